"""The terminal chart: one row per fixture (plus "moto active"), two characters per test.

Each test gets a cell and a gap. The cell says how the row lived during that test; the
gap is filled only when the *same* instance lives on into the next test, so a function
fixture reads `█ █ █` while a module fixture reads `█████`.
"""

from __future__ import annotations

from dataclasses import dataclass

from scopecheck.timeline.model import (
    Cell,
    Timeline,
    fixture_track,
    moto_track,
)


@dataclass(frozen=True)
class Glyphs:
    body: str
    idle: str
    edge: str
    absent: str
    error: str
    ellipsis: str


UNICODE = Glyphs(body="█", idle="─", edge="░", absent="·", error="✗", ellipsis="…")
ASCII = Glyphs(body="#", idle="-", edge=":", absent=".", error="x", ellipsis="~")

MAX_LABEL = 40


def can_encode(encoding: str | None) -> bool:
    """Can a stream with this encoding print the box-drawing glyphs?"""
    if not encoding:
        return False
    sample = "".join(vars(UNICODE).values())
    try:
        sample.encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return False
    return True


def key_lines(g: Glyphs) -> list[str]:
    """The legend under the title; each line fits 80 columns."""
    return [
        f"{g.body} alive while the test ran, requested by it   {g.idle} alive, not requested",
        f"{g.edge} alive only in setup/teardown   {g.absent} not alive   {g.error} setup failed   2-9 moto nesting",
        "filled gap: the same instance lives on into the next test",
        "marks: F failed  E error  s skipped  x xfailed  X xpassed",
    ]


def _cell_char(cell: Cell, g: Glyphs) -> str:
    return {
        Cell.BODY: g.body,
        Cell.IDLE: g.idle,
        Cell.EDGE: g.edge,
        Cell.ABSENT: g.absent,
        Cell.ERROR: g.error,
    }[cell]


def _track(cells: list[str], bridges: list[bool], g: Glyphs) -> str:
    def solid(ch: str) -> bool:
        return ch == g.body or ch.isdigit()

    out = []
    for i, ch in enumerate(cells):
        out.append(ch)
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        if nxt is None or not bridges[i]:
            out.append(" ")
        elif ch.isdigit() and ch == nxt:
            out.append(ch)  # one nested stretch reads as one block: "222"
        elif solid(ch) and solid(nxt):
            out.append(g.body)
        else:
            out.append(g.idle)
    return "".join(out)


def _shorten(label: str, g: Glyphs) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + g.ellipsis


def rows(timeline: Timeline, g: Glyphs) -> list[tuple[str, str]]:
    """(label, full track) for every row, fixtures first, moto last."""
    labels = timeline.labels()
    out: list[tuple[str, str]] = []
    n = len(timeline.tests)
    for row in timeline.ordered_fixtures():
        track = fixture_track(row, timeline.tests)
        cells = [_cell_char(cell, g) for cell in track.cells]
        bridges = [b and i + 1 < n for i, b in enumerate(track.bridges)]
        out.append((_shorten(labels[id(row)], g), _track(cells, bridges, g)))
    if timeline.moto is not None:
        track = moto_track(timeline.moto, n)
        cells = []
        for cell, depth in zip(track.cells, track.depths):
            nested = cell is Cell.BODY and depth > 1
            cells.append(str(min(depth, 9)) if nested else _cell_char(cell, g))
        out.append((timeline.moto.label, _track(cells, track.bridges, g)))
    return out


def _index_lines(first: int, last: int) -> list[str]:
    """Test numbers written downwards (hundreds, tens, units), one per cell."""
    digits = len(str(max(last, 0)))
    lines = []
    for power in range(digits - 1, -1, -1):
        chars = []
        for i in range(first, last + 1):
            chars.append(str(i // 10**power % 10) if i >= 10**power or power == 0 else " ")
        lines.append(" ".join(chars))
    return lines


def render(timeline: Timeline, width: int = 80, unicode: bool = True) -> list[str]:
    g = UNICODE if unicode else ASCII
    tests = timeline.tests
    if not tests:
        return ["scope timeline: no test ran in this process"]
    tracks = rows(timeline, g)
    label_w = max([len(label) for label, _ in tracks] + [len("test")])
    per_chunk = max(4, (width - label_w - 2) // 2)
    nfix = len(timeline.ordered_fixtures())
    lines = [
        f"{len(tests)} tests, {nfix} fixture rows" + ("" if timeline.moto is not None else "; moto was not imported"),
    ]
    lines += key_lines(g)
    for first in range(0, len(tests), per_chunk):
        last = min(first + per_chunk, len(tests)) - 1
        lines.append("")
        index = _index_lines(first, last)
        for k, text in enumerate(index):
            name = "test" if k == len(index) - 1 else ""
            lines.append(f"{name:<{label_w}}  {text}".rstrip())
        marks = " ".join(t.mark for t in tests[first : last + 1])
        lines.append(f"{'':<{label_w}}  {marks}")
        for k, (label, track) in enumerate(tracks):
            part = track[2 * first : 2 * last + 2]
            is_moto = timeline.moto is not None and k == len(tracks) - 1
            if not is_moto and not part.replace(g.absent, "").strip():
                continue  # nothing alive in this stretch of tests: leave the row out
            lines.append(f"{label:<{label_w}}  {part}".rstrip())
    lines.append("")
    lines.append("tests:")
    num_w = len(str(len(tests) - 1))
    for t in tests:
        lines.append(f"  {t.index:>{num_w}} {t.mark} {t.nodeid}")
    return lines
