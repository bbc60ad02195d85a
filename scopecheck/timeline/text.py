"""The terminal chart: one row per fixture (plus "moto active"), two characters per test.

Each test gets a cell and a gap. The cell says how the row lived during that test; the
gap is filled only when the *same* instance lives on into the next test, so a function
fixture reads `█ █ █` while a module fixture reads `█████`.
"""

from __future__ import annotations

from dataclasses import dataclass

from scopecheck.timeline.layout import MAX_SOURCE, Group, Lane, common_dir, groups, row_labels, shorten_left
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
        f"{g.edge} in the moto row: the mock ended during set-up, before the test ran (SCP201)",
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


def rows(timeline: Timeline, g: Glyphs, lane: Lane | None = None, prefix: str = "") -> list[tuple[str, str, str]]:
    """(label, source, full track) for every row, fixtures first, moto last."""
    labels = row_labels(lane if lane is not None else Lane(None, timeline), prefix)
    out: list[tuple[str, str, str]] = []
    n = len(timeline.tests)
    for row in timeline.ordered_fixtures():
        track = fixture_track(row, timeline.tests)
        cells = [_cell_char(cell, g) for cell in track.cells]
        bridges = [b and i + 1 < n for i, b in enumerate(track.bridges)]
        label, source = labels[id(row)]
        out.append((_shorten(label, g), shorten_left(source, MAX_SOURCE, g.ellipsis), _track(cells, bridges, g)))
    if timeline.moto is not None:
        track = moto_track(timeline.moto, n)
        cells = []
        for cell, depth in zip(track.cells, track.depths):
            nested = cell is Cell.BODY and depth > 1
            cells.append(str(min(depth, 9)) if nested else _cell_char(cell, g))
        out.append((timeline.moto.label, "", _track(cells, track.bridges, g)))
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


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _group_line(spans: list[Group], letters: dict[str, str], first: int, last: int, g: Glyphs) -> str:
    """One letter where a module's columns begin, a line over the rest of its columns."""
    out = []
    for group in spans:
        lo, hi = max(group.first, first), min(group.last, last)
        if lo > hi:
            continue
        head = letters[group.label] if group.first >= first else g.idle
        out.append(head + g.idle * (2 * (hi - lo) + 1) if hi > lo else head + " ")
    return "".join(out).rstrip()


def render(
    timeline: Timeline, width: int = 80, unicode: bool = True, sources: dict[str, str] | None = None
) -> list[str]:
    return render_lanes([Lane(None, timeline, dict(sources or {}))], width=width, unicode=unicode)


def render_lanes(lanes: list[Lane], width: int = 80, unicode: bool = True) -> list[str]:
    """The whole chart: one section per lane (one per pytest-xdist worker; one in a plain run)."""
    g = UNICODE if unicode else ASCII
    total = sum(len(lane.timeline.tests) for lane in lanes)
    if not total:
        return ["scope timeline: no test ran in this process"]
    prefix = common_dir(lanes)
    workers = [lane for lane in lanes if lane.worker is not None]
    if workers:
        head = f"{total} tests in {len(workers)} pytest-xdist workers: one chart per worker"
    else:
        timeline = lanes[0].timeline
        nfix = len(timeline.ordered_fixtures())
        head = f"{total} tests, {nfix} fixture rows" + ("" if timeline.moto is not None else "; moto was not imported")
    lines = [head, *key_lines(g)]
    letters: dict[str, str] = {}
    spans = {id(lane): groups(lane.timeline.tests, prefix) for lane in lanes}
    for lane in lanes:
        for group in spans[id(lane)]:
            letters.setdefault(group.label, LETTERS[len(letters) % len(LETTERS)])
    lines.append("modules (the letters over the columns):")
    lines += [f"  {letter} {label}" for label, letter in letters.items()]
    for lane in lanes:
        lines += _lane_lines(lane, g, width, prefix, spans[id(lane)], letters)
    lines.append("")
    lines.append("tests:")
    num_w = len(str(max(len(lane.timeline.tests) for lane in lanes) - 1))
    for lane in lanes:
        for t in lane.timeline.tests:
            worker = f"{lane.worker} " if lane.worker is not None else ""
            lines.append(f"  {worker}{t.index:>{num_w}} {t.mark} {t.nodeid}")
    return lines


def _lane_lines(
    lane: Lane, g: Glyphs, width: int, prefix: str, spans: list[Group], letters: dict[str, str]
) -> list[str]:
    timeline = lane.timeline
    tests = timeline.tests
    lines: list[str] = []
    if lane.worker is not None:
        nfix = len(timeline.ordered_fixtures())
        moto = "" if timeline.moto is not None or lane.lost else "; moto was not imported"
        lines += ["", f"== worker {lane.worker}: {len(tests)} tests, {nfix} fixture rows{moto}"]
    if lane.lost:
        lines.append(f"{lane.lost}: its fixture records were lost; the outcomes below come from the controller")
    if not tests:
        return lines
    tracks = rows(timeline, g, lane, prefix)
    label_w = max([len(label) for label, _, _ in tracks] + [len("module")])
    source_w = max([len(source) for _, source, _ in tracks] + [0])
    pad = label_w + (source_w + 2 if source_w else 0)
    per_chunk = max(4, (width - pad - 2) // 2)
    for first in range(0, len(tests), per_chunk):
        last = min(first + per_chunk, len(tests)) - 1
        lines.append("")
        lines.append(f"{'module':<{pad}}  {_group_line(spans, letters, first, last, g)}".rstrip())
        index = _index_lines(first, last)
        for k, text in enumerate(index):
            name = "test" if k == len(index) - 1 else ""
            lines.append(f"{name:<{pad}}  {text}".rstrip())
        marks = " ".join(t.mark for t in tests[first : last + 1])
        lines.append(f"{'':<{pad}}  {marks}")
        for k, (label, source, track) in enumerate(tracks):
            part = track[2 * first : 2 * last + 2]
            is_moto = timeline.moto is not None and k == len(tracks) - 1
            if not is_moto and not part.replace(g.absent, "").strip():
                continue  # nothing alive in this stretch of tests: leave the row out
            name = f"{label:<{label_w}}  {source:<{source_w}}" if source_w else label
            lines.append(f"{name:<{pad}}  {part}".rstrip())
    return lines
