"""The timeline as a self-contained SVG picture (no script, no external assets), or HTML.

Each test is a column split into setup | body | teardown; the body part is shaded. A bar
starts where the fixture's setup began and ends where its finalizer finished, so a mock
that stops inside a fixture's setup shows as a short bar left of the shaded body.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass

from scopecheck.timeline.model import (
    CALL,
    SCOPE_ORDER,
    SETUP,
    TEARDOWN,
    FixtureRow,
    Moment,
    RanTest,
    Timeline,
)

SCOPE_COLOURS = {
    "session": "#4f5d75",
    "package": "#c2457a",
    "module": "#8a5cd1",
    "class": "#2a9d6f",
    "function": "#3f88d8",
}
OTHER_COLOUR = "#8d99ae"
MOTO_COLOURS = ("#f59f00", "#e8590c", "#c92a2a")  # depth 1, 2, 3+
FAIL_MARKS = {"F", "E", "X"}

FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace"
CHAR_W = 7.3  # width of one 12px monospace character, near enough for layout
MARGIN = 16
MIN_BAR = 3.0  # a mock that lives a few microseconds must still be visible
INSET = 1.5  # gap kept between consecutive instances
ROW_H = 24
BAR_H = 14
# Share of a column given to each phase: setup | body | teardown.
SLOTS = {SETUP: (0.0, 0.25), CALL: (0.25, 0.75), TEARDOWN: (0.75, 1.0)}


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _attrs(attrs: dict[str, object]) -> str:
    # Python keywords can't hold "-" or ":": fill_opacity -> fill-opacity, xml_space -> xml:space.
    out = []
    for key, value in attrs.items():
        name = "xml:space" if key == "xml_space" else key.replace("_", "-")
        out.append(f' {name}="{_esc(value)}"')
    return "".join(out)


@dataclass
class _Grid:
    x0: float
    y0: float
    col_w: float
    ncols: int
    slots: dict[tuple[int, int], list[int]]  # (test, phase) -> sorted event seqs

    @property
    def x_end(self) -> float:
        return self.x0 + self.ncols * self.col_w

    def col_x(self, index: int) -> float:
        return self.x0 + index * self.col_w

    def x(self, moment: Moment | None) -> float:
        if moment is None:
            return self.x_end
        if moment.test < 0:
            return self.x0
        lo, hi = SLOTS[moment.phase]
        seqs = self.slots.get((moment.test, moment.phase), [moment.seq])
        rank = seqs.index(moment.seq) if moment.seq in seqs else 0
        # Spread the events of one phase evenly, in the order they happened.
        frac = lo + (hi - lo) * (rank + 0.5) / len(seqs)
        return self.col_x(moment.test) + frac * self.col_w


def _moments(timeline: Timeline) -> list[Moment]:
    out: list[Moment] = []
    for row in timeline.fixtures:
        for life in row.lifetimes:
            out.append(life.start)
            if life.end is not None:
                out.append(life.end)
    if timeline.moto is not None:
        out.extend(when for when, _ in timeline.moto.changes)
    return out


def _slots(timeline: Timeline) -> dict[tuple[int, int], list[int]]:
    slots: dict[tuple[int, int], list[int]] = defaultdict(list)
    for m in _moments(timeline):
        slots[(m.test, m.phase)].append(m.seq)
    return {key: sorted(seqs) for key, seqs in slots.items()}


def _span(x1: float, x2: float, left: bool = True, right: bool = True) -> tuple[float, float]:
    """A bar's ends: never thinner than MIN_BAR, and pulled in a little at the ends where
    another instance may start right away, so that two instances never read as one."""
    if x2 - x1 < MIN_BAR:
        return x1, x1 + MIN_BAR
    inset = min(INSET, (x2 - x1 - MIN_BAR) / 2)
    return x1 + (inset if left else 0.0), x2 - (inset if right else 0.0)


def _requested_runs(row: FixtureRow, tests: list[RanTest], first: int, last: int) -> list[tuple[int, int]]:
    """Stretches of consecutive tests that requested the row's fixture: one rect each,
    so that no seams show between columns."""
    runs: list[tuple[int, int]] = []
    for i in range(first, last + 1):
        if row.argname not in tests[i].fixturenames:
            continue
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def _colour(row: FixtureRow) -> str:
    return SCOPE_COLOURS.get(row.scope, OTHER_COLOUR)


def _col_width(n: int) -> float:
    if n <= 30:
        return 28.0
    return max(8.0, min(28.0, 1100.0 / n))


class _Svg:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, text: str) -> None:
        self.parts.append(text)

    def rect(self, x: float, y: float, w: float, h: float, **attrs: object) -> None:
        extra = _attrs(attrs)
        self.add(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0.0):.1f}" height="{h:.1f}"{extra}/>')

    def text(self, x: float, y: float, content: str, **attrs: object) -> None:
        extra = _attrs(attrs)
        self.add(f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{_esc(content)}</text>')


def _tests_range(first: int, last: int) -> str:
    return f"test {first}" if first == last else f"tests {first}-{last}"


def render_svg(timeline: Timeline, test_list: bool = True) -> str:
    """The picture; `test_list=False` leaves out the numbered test ids (the HTML page has
    them in a table instead)."""
    tests = timeline.tests
    rows = timeline.ordered_fixtures()
    labels = timeline.labels()
    n = max(len(tests), 1)
    col_w = _col_width(n)
    label_w = max([len(label) for label in labels.values()] + [len("moto active")]) * CHAR_W + 14
    title_h = 30
    header_h = 34
    grid = _Grid(MARGIN + label_w, MARGIN + title_h + header_h, col_w, n, _slots(timeline))
    nrows = len(rows) + (1 if timeline.moto is not None else 0)
    grid_h = max(nrows, 1) * ROW_H
    legend_y = grid.y0 + grid_h + 28
    test_list_y = legend_y + 70
    num_w = len(str(n - 1))
    list_lines = [f"{t.index:>{num_w}} {t.mark} {t.nodeid}" for t in tests] if test_list else []
    width = max(
        grid.x_end + MARGIN,
        MARGIN * 2 + max([len(s) for s in list_lines] + [90]) * CHAR_W * 11 / 12,
    )
    height = (test_list_y + len(list_lines) * 15 if test_list else legend_y + 50) + MARGIN

    s = _Svg()
    s.add(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}" font-size="12">'
    )
    s.add("<title>pytest scope timeline</title>")
    s.rect(0, 0, width, height, fill="#ffffff")
    moto_note = "" if timeline.moto is not None else "; moto was not imported"
    s.text(
        MARGIN,
        MARGIN + 14,
        f"scope timeline: {len(tests)} tests, {len(rows)} fixture rows{moto_note}",
        font_size=14,
        font_weight="bold",
    )

    # Columns: failed ones tinted, the body part of each shaded, thin separators.
    top, bottom = grid.y0 - 4, grid.y0 + grid_h
    for t in tests:
        x = grid.col_x(t.index)
        if t.mark in FAIL_MARKS:
            s.rect(x, top - header_h + 4, col_w, bottom - top + header_h - 4, fill="#ffe3e3")
        lo, hi = SLOTS[CALL]
        s.rect(x + lo * col_w, top, (hi - lo) * col_w, bottom - top, fill="#000000", fill_opacity=0.06)
        s.add(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="#d0d0d0" stroke-width="0.6"/>')
    s.add(
        f'<line x1="{grid.x_end:.1f}" y1="{top:.1f}" x2="{grid.x_end:.1f}" y2="{bottom:.1f}" '
        'stroke="#d0d0d0" stroke-width="0.6"/>'
    )

    # Header: test numbers and outcome marks.
    every = 1 if col_w >= 16 else 5
    for t in tests:
        cx = grid.col_x(t.index) + col_w / 2
        failed = t.mark in FAIL_MARKS
        if t.index % every == 0 or failed:
            s.text(
                cx,
                grid.y0 - 22,
                str(t.index),
                text_anchor="middle",
                font_size=10,
                fill="#c92a2a" if failed else "#555555",
            )
        if t.mark != ".":
            s.text(
                cx,
                grid.y0 - 8,
                t.mark,
                text_anchor="middle",
                font_size=11,
                font_weight="bold",
                fill="#c92a2a" if failed else "#777777",
            )
    s.text(MARGIN, grid.y0 - 22, "test", font_size=10, fill="#555555")

    # Fixture rows.
    for r, row in enumerate(rows):
        y = grid.y0 + r * ROW_H
        if r % 2:
            s.rect(MARGIN, y, grid.x_end - MARGIN, ROW_H, fill="#000000", fill_opacity=0.025)
        s.text(MARGIN, y + ROW_H / 2 + 4, labels[id(row)])
        colour = _colour(row)
        by = y + (ROW_H - BAR_H) / 2
        for life in row.lifetimes:
            x1, x2 = _span(grid.x(life.start), grid.x(life.end))
            last = life.end.test if life.end is not None else n - 1
            first = max(life.start.test, 0)
            s.add("<g>")
            s.add(
                f"<title>{_esc(labels[id(row)])}: {_tests_range(first, last)}"
                f"{' (setup failed)' if life.error else ''}</title>"
            )
            # Faded where a test did not request it, solid where it did.
            s.rect(x1, by, x2 - x1, BAR_H, fill=colour, fill_opacity=0.3)
            for lo, hi in _requested_runs(row, tests, first, min(last, len(tests) - 1)):
                a, b = max(x1, grid.col_x(lo)), min(x2, grid.col_x(hi + 1))
                if b > a:
                    s.rect(a, by, b - a, BAR_H, fill=colour)
            if life.error:
                s.rect(
                    x1,
                    by,
                    x2 - x1,
                    BAR_H,
                    fill="none",
                    stroke="#c92a2a",
                    stroke_width=1.5,
                    stroke_dasharray="3 2",
                )
            s.add("</g>")

    # moto row.
    if timeline.moto is not None:
        y = grid.y0 + len(rows) * ROW_H
        s.add(
            f'<line x1="{MARGIN}" y1="{y:.1f}" x2="{grid.x_end:.1f}" y2="{y:.1f}" stroke="#999999" stroke-width="0.8"/>'
        )
        s.text(MARGIN, y + ROW_H / 2 + 4, timeline.moto.label, font_weight="bold")
        by = y + (ROW_H - BAR_H) / 2
        segments = timeline.moto.segments()
        for k, (start, end, depth) in enumerate(segments):
            # Depth changes inside one active stretch stay joined; only its ends are inset.
            joined_left = k > 0 and segments[k - 1][1] == start
            joined_right = k + 1 < len(segments) and segments[k + 1][0] == end
            x1, x2 = _span(grid.x(start), grid.x(end), not joined_left, not joined_right)
            colour = MOTO_COLOURS[min(depth, len(MOTO_COLOURS)) - 1]
            tail = " (never stopped)" if end is None else ""
            s.add(f"<g><title>moto active, depth {depth}{tail}</title>")
            s.rect(x1, by, x2 - x1, BAR_H, fill=colour)
            if depth > 1 and x2 - x1 >= 9:
                s.text(
                    (x1 + x2) / 2,
                    by + BAR_H - 3,
                    str(depth),
                    text_anchor="middle",
                    font_size=10,
                    fill="#ffffff",
                    font_weight="bold",
                )
            s.add("</g>")

    _legend(s, timeline, legend_y)

    if test_list:
        s.text(MARGIN, test_list_y - 8, "tests", font_weight="bold")
    for k, line in enumerate(list_lines):
        failed = tests[k].mark in FAIL_MARKS
        s.text(
            MARGIN,
            test_list_y + 8 + k * 15,
            line,
            font_size=11,
            fill="#c92a2a" if failed else "#222222",
            xml_space="preserve",
        )
    s.add("</svg>")
    return "\n".join(s.parts) + "\n"


def _legend(s: _Svg, timeline: Timeline, y: float) -> None:
    used = {row.scope for row in timeline.fixtures if row.lifetimes}
    x = float(MARGIN)
    for scope in SCOPE_ORDER:
        if scope not in used:
            continue
        s.rect(x, y - 10, 14, 12, fill=SCOPE_COLOURS[scope])
        s.text(x + 18, y, scope)
        x += 18 + len(scope) * CHAR_W + 16
    if timeline.moto is not None:
        for colour in MOTO_COLOURS:
            s.rect(x, y - 10, 14, 12, fill=colour)
            x += 16
        s.text(x + 2, y, "moto active (darker: nested)")
        x += 2 + len("moto active (darker: nested)") * CHAR_W + 16
    y2 = y + 20
    s.rect(MARGIN, y2 - 10, 14, 12, fill=SCOPE_COLOURS["function"], fill_opacity=0.3)
    s.text(MARGIN + 18, y2, "faded: alive, but that test did not request it")
    s.rect(MARGIN + 400, y2 - 10, 14, 12, fill="none", stroke="#c92a2a", stroke_dasharray="3 2")
    s.text(MARGIN + 418, y2, "setup raised")
    y3 = y2 + 20
    s.rect(MARGIN, y3 - 10, 14, 12, fill="#000000", fill_opacity=0.06)
    s.text(MARGIN + 18, y3, "each column: setup | test body (shaded) | teardown")
    s.rect(MARGIN + 400, y3 - 10, 14, 12, fill="#ffe3e3")
    s.text(MARGIN + 418, y3, "failed test")


def render_html(timeline: Timeline) -> str:
    rows = "\n".join(
        f'<tr class="{_esc(t.outcome)}"><td>{t.index}</td><td>{_esc(t.outcome)}</td>'
        f"<td><code>{_esc(t.nodeid)}</code></td></tr>"
        for t in timeline.tests
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>pytest scope timeline</title>\n<style>\n"
        "body { font-family: sans-serif; margin: 1.5em; }\n"
        "table { border-collapse: collapse; margin-top: 1em; }\n"
        "td, th { padding: 2px 10px; text-align: left; border-bottom: 1px solid #ddd; }\n"
        "tr.failed td, tr.error td { color: #c92a2a; }\n"
        "</style>\n</head>\n<body>\n<h1>pytest scope timeline</h1>\n"
        f"{render_svg(timeline, test_list=False)}"
        "<table>\n<thead><tr><th>#</th><th>outcome</th><th>test</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</body>\n</html>\n"
    )
