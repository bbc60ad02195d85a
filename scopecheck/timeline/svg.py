"""The timeline as a self-contained SVG picture (no script, no external assets), or HTML.

Each test is a column split into setup | body | teardown; the body part is shaded. A bar
starts where the fixture's setup began and ends where its finalizer finished, so a mock
that stops inside a fixture's setup shows as a short bar left of the shaded body, marked
with a red caret (SCP201). Columns are grouped by test module, labelled above the numbers;
each row names its fixture and the file that defined it (which conftest.py). Under
pytest-xdist the chart has one lane per worker, stacked.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass

from scopecheck.timeline.layout import Group, Lane, common_dir, groups, lessons, module_name, row_labels, shorten_left
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


GROUP_FONT = 10.5
GROUP_CHAR_W = CHAR_W * GROUP_FONT / 12
MAX_GROUP_LABEL = 48
SOURCE_FONT = 10.5
SOURCE_CHAR_W = CHAR_W * SOURCE_FONT / 12
ROTATE = 40  # degrees, for module labels wider than their columns
SIN, COS = 0.643, 0.766
SLIVER_COLOUR = "#c92a2a"


def _is_setup_sliver(start: object, end: object) -> bool:
    """A mock that started and stopped inside one test's setup: it ended before the test ran."""
    return (
        isinstance(start, Moment)
        and isinstance(end, Moment)
        and start.test == end.test >= 0
        and start.phase == end.phase == SETUP
    )


@dataclass
class _Layout:
    lanes: list[Lane]
    prefix: str
    labels: dict[int, dict[int, tuple[str, str]]]  # id(lane) -> row id -> (label, source)
    groups: dict[int, list[Group]]
    label_chars: int
    source_chars: int
    col_w: float
    rotated: bool
    group_h: float

    @property
    def names_w(self) -> float:
        """Width of the row-name column (the HTML page keeps it in view)."""
        source = self.source_chars * SOURCE_CHAR_W + 14 if self.source_chars else 0
        return MARGIN + self.label_chars * CHAR_W + 14 + source


def _layout(lanes: list[Lane]) -> _Layout:
    prefix = common_dir(lanes)
    labels = {id(lane): row_labels(lane, prefix) for lane in lanes}
    spans = {id(lane): groups(lane.timeline.tests, prefix) for lane in lanes}
    names = [label for per in labels.values() for label, _ in per.values()]
    sources = [source for per in labels.values() for _, source in per.values()]
    label_chars = max([len(name) for name in names] + [len("moto active"), len("worker gw0")])
    source_chars = max([len(source) for source in sources] + [0])
    n = max([len(lane.timeline.tests) for lane in lanes] + [1])
    col_w = _col_width(n)
    widest = [
        (len(shorten_left(module_name(g), MAX_GROUP_LABEL)) * GROUP_CHAR_W, (g.last - g.first + 1) * col_w)
        for per in spans.values()
        for g in per
        if module_name(g)
    ]
    rotated = any(text_w > span_w - 4 for text_w, span_w in widest)
    longest = max([text_w for text_w, _ in widest] + [0.0])
    # Two tiers above the test numbers: the lesson (first folder or file), then its modules.
    module_h = (longest * SIN + 12) if rotated else (16.0 if widest else 0.0)
    group_h = 18.0 + module_h
    return _Layout(lanes, prefix, labels, spans, label_chars, source_chars, col_w, rotated, group_h)


def _lane_height(lay: _Layout, lane: Lane) -> float:
    head = 26.0 if lane.worker is not None else 0.0
    rows = len(lane.timeline.ordered_fixtures()) + (1 if lane.timeline.moto is not None else 0)
    return head + lay.group_h + 34 + max(rows, 1) * ROW_H + 14


def render_svg(timeline: Timeline, test_list: bool = True, sources: dict[str, str] | None = None) -> str:
    """The picture of a one-process run; `test_list=False` leaves out the numbered test ids."""
    return render_lanes_svg([Lane(None, timeline, dict(sources or {}))], test_list=test_list)


def render_lanes_svg(lanes: list[Lane], test_list: bool = True, title: bool = True, legend: bool = True) -> str:
    """The picture: a title, one chart per lane, the legend and the numbered test ids. The HTML
    page draws the title, legend and test list itself (`title`/`legend`/`test_list` False)."""
    lay = _layout(lanes)
    x0 = lay.names_w
    n = max([len(lane.timeline.tests) for lane in lanes] + [1])
    grid_w = n * lay.col_w
    title_h = 30.0 if title else 0.0
    y = MARGIN + title_h
    tops = []
    for lane in lanes:
        tops.append(y)
        y += _lane_height(lay, lane)
    legend_y = y + 18
    list_y = (legend_y + legend_height(lanes) + 16) if legend else y + 14
    list_lines = _test_list_lines(lanes) if test_list else []
    width = max(x0 + grid_w + MARGIN, MARGIN * 2 + max([len(s) for s in list_lines] + [90]) * CHAR_W * 11 / 12)
    if lay.rotated:
        width = max(width, x0 + grid_w + lay.group_h * COS / SIN + MARGIN)
    height = (list_y + 8 + len(list_lines) * 15 if test_list else (legend_y + 50 if legend else y)) + MARGIN

    s = _Svg()
    s.add(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}" font-size="12">'
    )
    s.rect(0, 0, width, height, fill="#ffffff")
    if title:
        s.add("<title>pytest scope timeline</title>")
        s.text(MARGIN, MARGIN + 14, summary(lanes), font_size=14, font_weight="bold")
    for lane, top in zip(lanes, tops):
        _draw_lane(s, lay, lane, top, n)
    if legend:
        _legend(s, lanes, legend_y)
    if test_list:
        s.text(MARGIN, list_y - 8, "tests", font_weight="bold")
        for k, (line, failed) in enumerate(list_lines):
            s.text(
                MARGIN,
                list_y + 8 + k * 15,
                line,
                font_size=11,
                fill="#c92a2a" if failed else "#222222",
                xml_space="preserve",
            )
    s.add("</svg>")
    return "\n".join(s.parts) + "\n"


def summary(lanes: list[Lane]) -> str:
    total = sum(len(lane.timeline.tests) for lane in lanes)
    workers = [lane for lane in lanes if lane.worker is not None]
    if workers:
        return f"scope timeline: {total} tests in {len(workers)} pytest-xdist workers, one lane each"
    timeline = lanes[0].timeline if lanes else Timeline([], [], None)
    moto_note = "" if timeline.moto is not None else "; moto was not imported"
    return f"scope timeline: {total} tests, {len(timeline.ordered_fixtures())} fixture rows{moto_note}"


def _test_list_lines(lanes: list[Lane]) -> list[tuple[str, bool]]:
    n = max([len(lane.timeline.tests) for lane in lanes] + [1])
    num_w = len(str(n - 1))
    out = []
    for lane in lanes:
        worker = f"{lane.worker} " if lane.worker is not None else ""
        for t in lane.timeline.tests:
            out.append((f"{worker}{t.index:>{num_w}} {t.mark} {t.nodeid}", t.mark in FAIL_MARKS))
    return out


def _draw_lane(s: _Svg, lay: _Layout, lane: Lane, top: float, n: int) -> None:
    timeline = lane.timeline
    tests = timeline.tests
    rows = timeline.ordered_fixtures()
    labels = lay.labels[id(lane)]
    y = top
    if lane.worker is not None:
        lost = (lane.lost or "").replace(f"worker {lane.worker} ", "")
        note = f" · {lost}: its fixture records were lost" if lost else ""
        s.text(
            MARGIN,
            y + 16,
            f"worker {lane.worker} · {len(tests)} tests{note}",
            font_size=13,
            font_weight="bold",
            fill="#c92a2a" if lane.lost else "#1d3557",
        )
        y += 26
    grid = _Grid(lay.names_w, y + lay.group_h + 34, lay.col_w, max(len(tests), 1), _slots(timeline))
    nrows = len(rows) + (1 if timeline.moto is not None else 0)
    grid_h = max(nrows, 1) * ROW_H
    top_y, bottom = grid.y0 - 4, grid.y0 + grid_h
    band_top = y + 2

    # Lesson bands: every other lesson tinted, a firm line where one begins, its name on top;
    # a thin line and the module's name where a lesson has more than one module.
    for k, lesson in enumerate(lessons(lay.groups[id(lane)])):
        gx, gw = grid.col_x(lesson.first), (lesson.last - lesson.first + 1) * lay.col_w
        if k % 2:
            s.rect(gx, band_top, gw, bottom - band_top, fill="#3f88d8", fill_opacity=0.06)
        _vline(s, gx, band_top, bottom, "#8d99ae", 1.0)
        fits = max(1, int((gw - 6) / GROUP_CHAR_W))
        s.add(f"<g><title>{_esc(lesson.label)}: {_tests_range(lesson.first, lesson.last)}</title>")
        s.text(gx + 3, y + 14, _fit(lesson.label, fits), font_size=GROUP_FONT, font_weight="bold", fill="#1d3557")
        s.add("</g>")
    for group in lay.groups[id(lane)]:
        name = module_name(group)
        if not name:
            continue
        gx = grid.col_x(group.first)
        _vline(s, gx, y + 20, bottom, "#b8c0cc", 0.8)
        base = y + lay.group_h - 6
        label = shorten_left(name, MAX_GROUP_LABEL)
        s.add(f"<g><title>{_esc(group.label)}: {_tests_range(group.first, group.last)}</title>")
        if lay.rotated:
            turn = f"rotate(-{ROTATE} {gx + 3:.1f} {base:.1f})"
            s.text(gx + 3, base, label, font_size=GROUP_FONT, fill="#1d3557", transform=turn)
        else:
            s.text(gx + 3, base, label, font_size=GROUP_FONT, fill="#1d3557")
        s.add("</g>")
    s.text(MARGIN, y + 14, "lesson / module", font_size=10, fill="#555555")

    # Columns: failed ones tinted, the body part of each shaded, thin separators.
    for t in tests:
        x = grid.col_x(t.index)
        if t.mark in FAIL_MARKS:
            s.rect(x, top_y - 30, lay.col_w, bottom - top_y + 30, fill="#ffe3e3")
        lo, hi = SLOTS[CALL]
        s.rect(x + lo * lay.col_w, top_y, (hi - lo) * lay.col_w, bottom - top_y, fill="#000000", fill_opacity=0.06)
        s.add(
            f'<line x1="{x:.1f}" y1="{top_y:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="#d0d0d0" stroke-width="0.6"/>'
        )
    s.add(
        f'<line x1="{grid.x_end:.1f}" y1="{top_y:.1f}" x2="{grid.x_end:.1f}" y2="{bottom:.1f}" '
        'stroke="#d0d0d0" stroke-width="0.6"/>'
    )

    # Header: test numbers and outcome marks.
    every = 1 if lay.col_w >= 16 else 5
    for t in tests:
        cx = grid.col_x(t.index) + lay.col_w / 2
        failed = t.mark in FAIL_MARKS
        if t.index % every == 0 or failed:
            s.text(
                cx, grid.y0 - 22, str(t.index), text_anchor="middle", font_size=10,
                fill="#c92a2a" if failed else "#555555",
            )  # fmt: skip
        if t.mark != ".":
            s.text(
                cx, grid.y0 - 8, t.mark, text_anchor="middle", font_size=11, font_weight="bold",
                fill="#c92a2a" if failed else "#777777",
            )  # fmt: skip
    s.text(MARGIN, grid.y0 - 22, "test", font_size=10, fill="#555555")

    if lane.lost and not rows:
        s.text(MARGIN, grid.y0 + ROW_H / 2 + 4, "records lost", fill="#c92a2a")

    source_x = MARGIN + lay.label_chars * CHAR_W + 14
    for r, row in enumerate(rows):
        ry = grid.y0 + r * ROW_H
        if r % 2:
            s.rect(MARGIN, ry, grid.x_end - MARGIN, ROW_H, fill="#000000", fill_opacity=0.025)
        label, source = labels[id(row)]
        s.text(MARGIN, ry + ROW_H / 2 + 4, label)
        if source:
            s.text(source_x, ry + ROW_H / 2 + 4, source, font_size=SOURCE_FONT, fill="#6c757d")
        _draw_lifetimes(s, grid, row, tests, ry, label)

    if timeline.moto is not None:
        _draw_moto(s, grid, timeline, grid.y0 + len(rows) * ROW_H)


def _draw_lifetimes(s: _Svg, grid: _Grid, row: FixtureRow, tests: list[RanTest], y: float, label: str) -> None:
    colour = _colour(row)
    by = y + (ROW_H - BAR_H) / 2
    n = len(tests)
    for life in row.lifetimes:
        x1, x2 = _span(grid.x(life.start), grid.x(life.end))
        last = life.end.test if life.end is not None else n - 1
        first = max(life.start.test, 0)
        s.add("<g>")
        s.add(f"<title>{_esc(label)}: {_tests_range(first, last)}{' (setup failed)' if life.error else ''}</title>")
        # Faded where a test did not request it, solid where it did.
        s.rect(x1, by, x2 - x1, BAR_H, fill=colour, fill_opacity=0.3)
        for lo, hi in _requested_runs(row, tests, first, min(last, n - 1)):
            a, b = max(x1, grid.col_x(lo)), min(x2, grid.col_x(hi + 1))
            if b > a:
                s.rect(a, by, b - a, BAR_H, fill=colour)
        if life.error:
            s.rect(x1, by, x2 - x1, BAR_H, fill="none", stroke="#c92a2a", stroke_width=1.5, stroke_dasharray="3 2")
        s.add("</g>")


def _draw_moto(s: _Svg, grid: _Grid, timeline: Timeline, y: float) -> None:
    assert timeline.moto is not None
    s.add(f'<line x1="{MARGIN}" y1="{y:.1f}" x2="{grid.x_end:.1f}" y2="{y:.1f}" stroke="#999999" stroke-width="0.8"/>')
    s.text(MARGIN, y + ROW_H / 2 + 4, timeline.moto.label, font_weight="bold")
    by = y + (ROW_H - BAR_H) / 2
    segments = timeline.moto.segments()
    for k, (start, end, depth) in enumerate(segments):
        # Depth changes inside one active stretch stay joined; only its ends are inset.
        joined_left = k > 0 and segments[k - 1][1] == start
        joined_right = k + 1 < len(segments) and segments[k + 1][0] == end
        x1, x2 = _span(grid.x(start), grid.x(end), not joined_left, not joined_right)
        colour = MOTO_COLOURS[min(depth, len(MOTO_COLOURS)) - 1]
        sliver = _is_setup_sliver(start, end) and not joined_left and not joined_right
        tail = " (never stopped)" if end is None else ""
        what = " (ended during set-up, before the test ran: SCP201)" if sliver else ""
        s.add(f"<g><title>moto active, depth {depth}{tail}{what}</title>")
        s.rect(x1, by, x2 - x1, BAR_H, fill=colour)
        if sliver:
            _caret(s, (x1 + x2) / 2, by + BAR_H + 1)
        if depth > 1 and x2 - x1 >= 9:
            s.text(
                (x1 + x2) / 2, by + BAR_H - 3, str(depth), text_anchor="middle", font_size=10,
                fill="#ffffff", font_weight="bold",
            )  # fmt: skip
        s.add("</g>")


def _vline(s: _Svg, x: float, y1: float, y2: float, colour: str, width: float) -> None:
    s.add(f'<line x1="{x:.1f}" y1="{y1:.1f}" x2="{x:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="{width}"/>')


def _fit(text: str, chars: int) -> str:
    return text if len(text) <= chars else (text[: max(chars - 1, 1)] + "…")


def _caret(s: _Svg, x: float, y: float) -> None:
    s.add(f'<path d="M{x:.1f} {y:.1f} l4 6 h-8 z" fill="{SLIVER_COLOUR}"/>')


def _legend(s: _Svg, lanes: list[Lane], y: float) -> None:
    used = {row.scope for lane in lanes for row in lane.timeline.fixtures if row.lifetimes}
    has_moto = any(lane.timeline.moto is not None for lane in lanes)
    x = float(MARGIN)
    for scope in SCOPE_ORDER:
        if scope not in used:
            continue
        s.rect(x, y - 10, 14, 12, fill=SCOPE_COLOURS[scope])
        s.text(x + 18, y, scope)
        x += 18 + len(scope) * CHAR_W + 16
    if has_moto:
        for colour in MOTO_COLOURS:
            s.rect(x, y - 10, 14, 12, fill=colour)
            x += 16
        s.text(x + 2, y, "moto active (darker: nested)")
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
    if has_moto:
        y4 = y3 + 20
        s.rect(MARGIN + 4, y4 - 10, MIN_BAR, 12, fill=MOTO_COLOURS[0])
        _caret(s, MARGIN + 4 + MIN_BAR / 2, y4 + 3)
        s.text(MARGIN + 18, y4, "mock ended during set-up: moto was on only before the test body ran (SCP201)")


def legend_height(lanes: list[Lane]) -> float:
    return 80.0 if any(lane.timeline.moto is not None for lane in lanes) else 60.0


def render_legend_svg(lanes: list[Lane]) -> str:
    height = legend_height(lanes) + 10
    s = _Svg()
    s.add(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="760" height="{height:.0f}" '
        f'viewBox="0 0 760 {height:.0f}" font-family="{FONT}" font-size="12">'
    )
    _legend(s, lanes, 18)
    s.add("</svg>")
    return "\n".join(s.parts) + "\n"
