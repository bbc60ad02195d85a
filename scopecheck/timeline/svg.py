"""The timeline as a self-contained SVG picture (no script, no external assets), or HTML.

Each test is a column split into setup | body | teardown; the body part is shaded. A bar
starts where the fixture's setup began and ends where its finalizer finished, so a mock
that stops inside a fixture's setup shows as a short bar left of the shaded body, marked
with a red caret (SCP201). Columns are grouped by test module, labelled above the numbers;
each row names its fixture and the file that defined it (which conftest.py). Under
pytest-xdist the chart has one lane per worker, stacked.
"""

from __future__ import annotations

from dataclasses import dataclass

from scopecheck.timeline.layout import Group, Lane, common_dir, groups, lessons, module_name, row_labels, shorten_left
from scopecheck.timeline.model import CALL, FixtureRow, RanTest, Timeline
from scopecheck.timeline.svg_parts import (
    BAR_H,
    CHAR_W,
    COS,
    FAIL_MARKS,
    FONT,
    GROUP_CHAR_W,
    GROUP_FONT,
    MARGIN,
    MAX_GROUP_LABEL,
    MOTO_COLOURS,
    ROTATE,
    ROW_H,
    SIN,
    SLIVER_COLOUR,
    SLOTS,
    SOURCE_CHAR_W,
    SOURCE_FONT,
    _caret,
    _col_width,
    _colour,
    _esc,
    _fit,
    _Grid,
    _is_setup_sliver,
    _legend,
    _requested_runs,
    _slots,
    _span,
    _Svg,
    _tests_range,
    _vline,
    legend_height,
    render_legend_svg,
)

__all__ = ["SLIVER_COLOUR", "render_legend_svg", "render_lanes_svg", "render_svg", "summary"]


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
