"""Drawing primitives shared by the SVG chart and its legend: colours, sizes, the column grid
(where a moment falls inside its test's setup | body | teardown), and small shapes."""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass

from scopecheck.timeline.layout import Lane
from scopecheck.timeline.model import CALL, SCOPE_ORDER, SETUP, TEARDOWN, FixtureRow, Moment, RanTest, Timeline

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
