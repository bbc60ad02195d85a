"""The timeline as one HTML page: the title once, the chart with its row names kept in view
while it scrolls sideways (a narrow window), the legend, and the tests in a table."""

from __future__ import annotations

from scopecheck.timeline.layout import Lane
from scopecheck.timeline.model import Timeline
from scopecheck.timeline.svg import _layout, render_lanes_svg, render_legend_svg, summary
from scopecheck.timeline.svg_parts import _esc


def render_html(timeline: Timeline, sources: dict[str, str] | None = None) -> str:
    return render_lanes_html([Lane(None, timeline, dict(sources or {}))])


_CSS = """\
body { font-family: sans-serif; margin: 1em; }
h1 { font-size: 1.3em; margin: 0 0 .2em; }
p.summary { margin: 0 0 .8em; color: #444; }
.chart { display: flex; overflow-x: auto; border: 1px solid #ddd; }
.chart svg { display: block; }
body > svg { max-width: 100%; height: auto; }
/* The row names stay in view while the chart scrolls sideways: a second copy of the picture,
   clipped to its name column, sits on top of the first one at the left edge. */
/* In a narrow window only the first part of the names stays (max-width): the copy below shows
   the rest until it scrolls away. */
.names { position: sticky; left: 0; z-index: 1; flex: none; overflow: hidden; background: #fff; max-width: 45vw;
         box-shadow: 2px 0 4px rgba(0, 0, 0, .15); }
.grid { flex: none; }
table { border-collapse: collapse; margin-top: 1em; }
td, th { padding: 2px 10px; text-align: left; border-bottom: 1px solid #ddd; vertical-align: top; }
td code { word-break: break-all; }
tr.failed td, tr.error td { color: #c92a2a; }
"""


def render_lanes_html(lanes: list[Lane]) -> str:
    """A page: the title once, the chart with its name column kept in view, legend, test table."""
    picture = render_lanes_svg(lanes, test_list=False, title=False, legend=False)
    names_w = _layout(lanes).names_w
    workers = any(lane.worker is not None for lane in lanes)
    rows = "\n".join(
        f'<tr class="{_esc(t.outcome)}">' + (f"<td>{_esc(lane.worker)}</td>" if workers else "")
        + f"<td>{t.index}</td><td>{_esc(t.outcome)}</td><td><code>{_esc(t.nodeid)}</code></td></tr>"
        for lane in lanes
        for t in lane.timeline.tests
    )  # fmt: skip
    worker_th = "<th>worker</th>" if workers else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>pytest scope timeline</title>\n<style>\n{_CSS}</style>\n</head>\n<body>\n"
        f'<h1>pytest scope timeline</h1>\n<p class="summary">{_esc(summary(lanes).split(": ", 1)[-1])}</p>\n'
        f'<div class="chart">\n<div class="names" style="width: {names_w:.0f}px">\n{picture}</div>\n'
        f'<div class="grid" style="margin-left: -{names_w:.0f}px">\n{picture}</div>\n</div>\n'
        f"{render_legend_svg(lanes)}"
        f"<table>\n<thead><tr>{worker_th}<th>#</th><th>outcome</th><th>test</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</body>\n</html>\n"
    )
