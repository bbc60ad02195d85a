"""The timeline under pytest-xdist (workers send records, one lane per worker) and the parts a
learner reads at a glance: module bands, row sources, the SCP201 sliver, the HTML page.

The xdist runs are real: a fresh pytest process with `-n 2`, whose workers are processes too.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from scopecheck.timeline.html import render_lanes_html
from scopecheck.timeline.layout import Lane
from scopecheck.timeline.model import CALL, SETUP, TEARDOWN, DepthRow, FixtureRow, Lifetime, Moment, RanTest, Timeline
from scopecheck.timeline.svg import SLIVER_COLOUR, render_lanes_svg
from scopecheck.timeline.text import render_lanes
from scopecheck.timeline.xdist_transport import from_data, to_data
from tests.test_timeline import MOTO_ALONE, MOTO_CONFTEST, MOTO_MODULE, chart, sources

pytest.importorskip("xdist")

pytest_plugins = ["pytester"]

# no:asyncio: pytest-asyncio (dev extra) adds its own session fixture to every worker's lane.
PLUGIN = ("-p", "scopecheck.timeline", "-p", "no:cacheprovider", "-p", "no:randomly", "-p", "no:asyncio")
SVG_NS = "{http://www.w3.org/2000/svg}"

SUITE = """
import pytest

@pytest.mark.parametrize("n", range(4))
def test_passes(settings, n):
    pass

def test_fails(settings):
    assert False, "on purpose"
"""

CRASH = """
import os

def test_before(settings):
    pass

def test_crashes_its_worker(settings):
    os._exit(3)

def test_after(settings):
    pass
"""

CONFTEST = """
import pytest

@pytest.fixture(scope="session")
def settings():
    return {}
"""


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


def lane_blocks(result: pytest.RunResult) -> dict[str, list[str]]:
    """worker -> the chart lines of its lane."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in result.outlines:
        found = re.match(r"== worker (gw\d+): ", line)
        if found:
            current = blocks.setdefault(found.group(1), [line])
        elif line == "tests:":
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def listed(result: pytest.RunResult) -> dict[str, tuple[str, str]]:
    """test id -> (worker, mark) from the test list under the chart."""
    start = result.outlines.index("tests:")
    out = {}
    for line in result.outlines[start + 1 :]:
        found = re.fullmatch(r"  (gw\d+) +\d+ (\S) (\S+)", line)
        if not found:
            break
        out[found.group(3)] = (found.group(1), found.group(2))
    return out


def test_each_worker_gets_a_lane_with_its_own_session_fixture_and_the_failure_marked(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_suite=SUITE)
    result = pytester.runpytest_subprocess(*PLUGIN, "-n", "2", "--scope-timeline=ascii")
    result.assert_outcomes(passed=4, failed=1)
    assert "5 tests in 2 pytest-xdist workers: one chart per worker" in result.outlines
    blocks = lane_blocks(result)
    assert sorted(blocks) == ["gw0", "gw1"]
    tests = listed(result)
    assert sorted(tests) == [
        "test_suite.py::test_fails",
        *(f"test_suite.py::test_passes[{n}]" for n in range(4)),
    ]
    assert tests["test_suite.py::test_fails"][1] == "F"
    for worker, lines in blocks.items():
        ran = sum(1 for w, _ in tests.values() if w == worker)
        assert lines[0] == f"== worker {worker}: {ran} tests, 1 fixture rows; moto was not imported"
        # One session instance per worker: a bar over every test of that worker.
        row = next(line for line in lines if line.startswith("settings [session]"))
        assert row.split()[-1] == "#" * (2 * ran - 1)
        assert "conftest.py" in row


def test_a_crashed_worker_keeps_a_lane_from_the_controllers_reports(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_crash=CRASH)
    result = pytester.runpytest_subprocess(*PLUGIN, "-n", "2", "--scope-timeline=ascii")
    result.assert_outcomes(passed=2, failed=1)
    tests = listed(result)
    crashed, mark = tests["test_crash.py::test_crashes_its_worker"]
    assert mark == "F"
    block = lane_blocks(result)[crashed]
    assert block[1] == (
        f"worker {crashed} crashed: its fixture records were lost; the outcomes below come from the controller"
    )
    # The test after the crash ran on a worker that is still up, whose records did arrive.
    other, mark = tests["test_crash.py::test_after"]
    assert (mark, other != crashed) == (".", True)
    assert any(line.startswith("settings [session]") for line in lane_blocks(result)[other])
    # A worker that ran nothing (xdist's replacement for the crashed one) gets no lane.
    assert set(lane_blocks(result)) == {worker for worker, _ in tests.values()}


def test_rows_say_which_conftest_defined_the_fixture_and_modules_get_letters(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(MOTO_CONFTEST)
    pytester.makepyfile(test_a_alone=MOTO_ALONE)
    sub = pytester.mkpydir("sub")
    (sub / "conftest.py").write_text(MOTO_CONFTEST, encoding="utf-8")
    (sub / "test_b_module.py").write_text(MOTO_MODULE, encoding="utf-8")
    result = pytester.runpytest_subprocess(*PLUGIN, "-p", "no:xdist", "--scope-timeline=ascii")
    result.assert_outcomes(passed=5)
    assert sources(result) == {
        "s3 [module]": "sub/conftest.py",
        "client_of_a_finished_mock [function]": "test_a_alone.py",
    }
    # pytest collects the folder first.
    start = result.outlines.index("modules (the letters over the columns):")
    assert result.outlines[start + 1 : start + 3] == ["  A sub/test_b_module.py", "  B test_a_alone.py"]
    module_line = next(line for line in result.outlines if line.startswith("module "))
    assert module_line.split()[-1] == "A---B-----"
    # The mock that ended in its fixture's set-up: ':' in the moto row, and the key says why.
    assert chart(result)["moto active"] == "##2 # . :"
    assert ": in the moto row: the mock ended during set-up, before the test ran (SCP201)" in result.outlines


def _moment(test: int, phase: int, seq: int) -> Moment:
    return Moment(test, phase, seq)


def sample() -> Timeline:
    tests = [RanTest(0, "pkg/test_a.py::test_one", {"s3"}), RanTest(1, "pkg/test_b.py::test_two", set(), "failed")]
    row = FixtureRow("s3", "function", None, "conftest.py:7")
    row.lifetimes = [
        Lifetime(_moment(0, SETUP, 1), _moment(0, TEARDOWN, 5)),
        Lifetime(_moment(1, SETUP, 7), None, True),
    ]
    # A mock that starts and stops in test 1's set-up: the SCP201 sliver.
    moto = DepthRow("moto active", 0, [(_moment(0, SETUP, 2), 1), (_moment(0, TEARDOWN, 4), 0)])
    moto.changes += [(_moment(1, SETUP, 8), 1), (_moment(1, SETUP, 9), 0), (_moment(1, CALL, 10), 0)]
    return Timeline(tests, [row], moto)


def test_records_survive_the_trip_from_worker_to_controller_as_plain_json() -> None:
    timeline = sample()
    data = json.loads(json.dumps(to_data(timeline, {"s3 conftest.py:7": "pkg/conftest.py"})))
    back, paths = from_data(data)
    assert back == timeline
    assert paths == {"s3 conftest.py:7": "pkg/conftest.py"}


def test_the_svg_has_a_lane_per_worker_module_bands_sources_and_the_setup_sliver() -> None:
    lanes = [
        Lane("gw0", sample(), {"s3 conftest.py:7": "pkg/conftest.py"}),
        Lane(
            "gw1",
            Timeline([RanTest(0, "pkg/test_c.py::test_three", set(), "failed")], [], None),
            lost="worker gw1 crashed",
        ),
    ]
    root = ET.fromstring(render_lanes_svg(lanes))
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
    assert texts[0] == "scope timeline: 3 tests in 2 pytest-xdist workers, one lane each"
    assert "worker gw0 · 2 tests" in texts
    assert "worker gw1 · 1 tests · crashed: its fixture records were lost" in texts
    assert "records lost" in texts
    # The common folder pkg/ is left out: the modules are test_a.py, test_b.py (too wide for one
    # column: cut, whole in the tooltip); the row names its fixture and the file that defined it.
    titles = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}title")]
    assert {"test_a.py: test 0", "test_b.py: test 1", "test_c.py: test 0"} <= set(titles)
    assert texts.count("te…") == 3
    assert {"conftest.py", "s3 [function]"} <= set(texts)
    carets = [p for p in root.iter(f"{SVG_NS}path") if p.get("fill") == SLIVER_COLOUR]
    assert len(carets) == 2  # test 1's sliver, and the legend's sample
    assert "mock ended during set-up: moto was on only before the test body ran (SCP201)" in texts
    assert "gw1 0 F pkg/test_c.py::test_three" in texts


def test_the_page_has_its_title_once_and_keeps_the_row_names_in_view() -> None:
    page = render_lanes_html([Lane(None, sample(), {"s3 conftest.py:7": "pkg/conftest.py"})])
    assert page.count("scope timeline") == 2  # <title> and <h1>, nothing in the picture
    assert page.count("<h1>") == 1
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert ".names { position: sticky; left: 0;" in page
    names = re.search(r'<div class="names" style="width: (\d+)px">', page)
    grid = re.search(r'<div class="grid" style="margin-left: -(\d+)px">', page)
    assert names and grid and names.group(1) == grid.group(1)
    assert "<td>1</td><td>failed</td><td><code>pkg/test_b.py::test_two</code></td>" in page


def test_the_text_chart_has_a_section_per_worker() -> None:
    lanes = [Lane("gw0", sample(), {}), Lane("gw1", Timeline([], [], None), lost="worker gw1 crashed")]
    lines = render_lanes(lanes, width=120, unicode=False)
    assert lines[0] == "2 tests in 2 pytest-xdist workers: one chart per worker"
    assert "== worker gw0: 2 tests, 1 fixture rows" in lines
    assert "== worker gw1: 0 tests, 0 fixture rows" in lines
    assert lines[-2:] == ["  gw0 0 . pkg/test_a.py::test_one", "  gw0 1 F pkg/test_b.py::test_two"]
