"""The scope-timeline pytest plugin, run for real on small suites in a fresh pytest process.

Every run is a subprocess: whether moto has been imported, and moto's class-wide mock
counter, are per process, and the plugin must be judged on a clean one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from scopecheck.timeline import check_target
from scopecheck.timeline.model import (
    CALL,
    SETUP,
    TEARDOWN,
    DepthRow,
    FixtureRow,
    Lifetime,
    Moment,
    RanTest,
    Timeline,
)
from scopecheck.timeline.svg import render_svg
from scopecheck.timeline.text import can_encode, render

pytest_plugins = ["pytester"]

# no:asyncio: pytest-asyncio (dev extra) would warn about its unset loop scope on stderr.
PLUGIN = ("-p", "scopecheck.timeline", "-p", "no:xdist", "-p", "no:cacheprovider", "-p", "no:asyncio")
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # One chunk of columns, so each chart row is one line.
    monkeypatch.setenv("COLUMNS", "200")


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(*PLUGIN, *args)


def chart(result: pytest.RunResult) -> dict[str, str]:
    """label -> track of the ASCII chart in a run's output."""
    lines = result.outlines
    start = next(i for i, line in enumerate(lines) if " scope timeline " in line)
    rows: dict[str, str] = {}
    for line in lines[start + 1 :]:
        if line == "tests:":
            break
        # label, the file that defined the fixture (none for moto), track
        parts = re.split(r"\s{2,}", line.strip())
        if len(parts) >= 2 and "[" in parts[0] or parts[0] == "moto active":
            rows[parts[0]] = parts[-1] if len(parts) >= 2 else ""
    return rows


def sources(result: pytest.RunResult) -> dict[str, str]:
    """label -> the file a fixture row says it was defined in."""
    lines = result.outlines
    start = next(i for i, line in enumerate(lines) if " scope timeline " in line)
    out: dict[str, str] = {}
    for line in lines[start + 1 :]:
        if line == "tests:":
            break
        parts = re.split(r"\s{2,}", line.strip())
        if len(parts) == 3 and "[" in parts[0]:
            out[parts[0]] = parts[1]
    return out


def header_marks(result: pytest.RunResult) -> str:
    """The outcome line of the chart header (one mark per test)."""
    lines = result.outlines
    start = next(i for i, line in enumerate(lines) if " scope timeline " in line)
    for line in lines[start:]:
        if re.fullmatch(r"\s+([.FEsxX] ?)+", line):
            return line.split()
    raise AssertionError("no header marks line")


SCOPES_SUITE = """
import pytest

@pytest.fixture(scope="session")
def settings():
    return {}

@pytest.fixture(scope="module")
def table(settings):
    return []

@pytest.fixture
def row(table):
    return 1

@pytest.fixture(scope="class")
def kind():
    return "k"

def test_first(row):
    pass

def test_second(row):
    pass

def test_only_settings(settings):
    pass

class TestKind:
    def test_a(self, kind):
        pass

    def test_b(self, kind):
        pass
"""


def test_each_scope_gets_a_row_showing_how_long_its_instance_lived(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_scopes=SCOPES_SUITE)
    result = run(pytester, "--scope-timeline=ascii")
    result.assert_outcomes(passed=5)
    rows = chart(result)
    # One session instance for all five tests; dashes where a test did not request it.
    assert rows["settings [session]"] == "#####----"
    assert rows["table [module]"] == "###------"
    # A new function instance per test: cells with unfilled gaps between them.
    assert rows["row [function]"] == "# # . . ."
    assert rows["kind [class]"] == ". . . ###"
    assert "moto was not imported" in result.stdout.str()
    assert "moto active" not in rows


def test_the_legend_maps_each_column_number_to_its_test_id(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_scopes=SCOPES_SUITE)
    result = run(pytester, "--scope-timeline=ascii")
    result.stdout.fnmatch_lines(
        [
            "tests:",
            "  0 . test_scopes.py::test_first",
            "  1 . test_scopes.py::test_second",
            "  2 . test_scopes.py::test_only_settings",
            "  3 . test_scopes.py::TestKind::test_a",
            "  4 . test_scopes.py::TestKind::test_b",
        ]
    )


def test_the_default_chart_uses_block_characters_when_the_terminal_can_print_them(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONIOENCODING", "utf-8")
    pytester.makepyfile(test_scopes=SCOPES_SUITE)
    result = run(pytester, "--scope-timeline")
    result.stdout.fnmatch_lines(["settings ?session? *█████────"])


def test_a_terminal_that_cannot_print_block_characters_gets_ascii(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONIOENCODING", "ascii")
    pytester.makepyfile(test_scopes=SCOPES_SUITE)
    result = run(pytester, "--scope-timeline")
    result.stdout.fnmatch_lines(["settings ?session? *#####----"])


MOTO_CONFTEST = """
import boto3
import pytest
from moto import mock_aws

@pytest.fixture(scope="module")
def s3():
    with mock_aws():
        yield boto3.client("s3", region_name="us-east-1")
"""

MOTO_ALONE = """
import boto3
import pytest
from moto import mock_aws

@mock_aws
def test_decorated_alone():
    boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="q")

def test_without_a_mock():
    pass

@pytest.fixture
def client_of_a_finished_mock():
    with mock_aws():
        return boto3.client("s3", region_name="us-east-1")

def test_mock_ended_during_setup(client_of_a_finished_mock):
    pass
"""

MOTO_MODULE = """
import boto3
from moto import mock_aws

def test_uses_the_module_mock(s3):
    s3.create_bucket(Bucket="timeline-demo")

@mock_aws
def test_decorated_inside_the_module_mock(s3):
    # Nested inside the fixture's mock: moto 5 keeps the bucket made by the test before.
    buckets = boto3.client("s3", region_name="us-east-1").list_buckets()["Buckets"]
    names = [b["Name"] for b in buckets]
    assert names == ["timeline-demo"]
"""


def test_the_moto_row_shows_fixture_mocks_decorated_tests_and_nesting(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(MOTO_CONFTEST)
    pytester.makepyfile(test_a_alone=MOTO_ALONE, test_b_module=MOTO_MODULE)
    result = run(pytester, "--scope-timeline=ascii")
    result.assert_outcomes(passed=5)
    rows = chart(result)
    # 0: @mock_aws alone; 1: no mock; 2: mock ended in fixture setup (":" = setup only);
    # 3-4: the module fixture's mock, with the decorator nested inside it ("2").
    assert rows["moto active"] == "# . : ##2"
    assert rows["s3 [module]"] == ". . . ###"
    assert rows["client_of_a_finished_mock [function]"] == ". . # . ."


def test_moto_imported_only_inside_a_test_is_still_recorded(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_late="""
        import sys

        def test_nothing_imported_moto_yet():
            assert "moto" not in sys.modules

        def test_imports_moto_late():
            from moto import mock_aws
            with mock_aws():
                pass
        """
    )
    result = run(pytester, "--scope-timeline=ascii")
    result.assert_outcomes(passed=2)
    assert chart(result)["moto active"] == ". #"


def test_a_mock_started_and_never_stopped_stays_active_to_the_end(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_leak="""
        from moto import mock_aws

        def test_starts_a_mock_and_forgets_it():
            mock_aws().start()

        def test_later():
            pass

        def test_even_later():
            pass
        """
    )
    result = run(pytester, "--scope-timeline=ascii")
    assert chart(result)["moto active"] == "#####"


def test_a_failing_run_still_prints_the_chart_with_the_failure_marked(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_fail="""
        import pytest

        @pytest.fixture
        def number():
            return 1

        @pytest.fixture
        def broken():
            raise RuntimeError("setup breaks")

        def test_passes(number):
            pass

        def test_fails(number):
            assert number == 2

        def test_errors(broken):
            pass

        @pytest.mark.skip
        def test_skipped(number):
            pass
        """
    )
    result = run(pytester, "--scope-timeline=ascii")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert header_marks(result) == [".", "F", "E", "s"]
    rows = chart(result)
    assert rows["number [function]"] == "# # . ."
    assert rows["broken [function]"] == ". . x ."
    result.stdout.fnmatch_lines(["  1 F test_fail.py::test_fails", "  2 E test_fail.py::test_errors"])


def test_with_the_option_off_nothing_is_printed_or_recorded_and_moto_stays_unimported(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_off="""
        import sys

        def test_moto_was_not_imported(request):
            assert "moto" not in sys.modules
            manager = request.config.pluginmanager
            assert manager.get_plugin("scopecheck-timeline-recorder") is None
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=1)
    assert "scope timeline" not in result.stdout.str()


def test_with_the_option_on_the_plugin_itself_never_imports_moto(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_on="""
        import sys

        def test_moto_was_not_imported():
            assert "moto" not in sys.modules
        """
    )
    result = run(pytester, "--scope-timeline=ascii")
    result.assert_outcomes(passed=1)
    assert "moto was not imported" in result.stdout.str()


def test_a_conftest_can_switch_the_timeline_on_from_its_pytest_configure(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(
        """
        def pytest_configure(config):
            config.option.scope_timeline = "ascii"
        """
    )
    pytester.makepyfile(test_scopes=SCOPES_SUITE)
    result = run(pytester)
    assert chart(result)["settings [session]"] == "#####----"


def test_a_nested_conftest_found_during_collection_can_switch_it_on_too(
    pytester: pytest.Pytester,
) -> None:
    sub = pytester.mkpydir("sub")
    (sub / "conftest.py").write_text("def pytest_configure(config):\n    config.option.scope_timeline = 'ascii'\n")
    (sub / "test_scopes.py").write_text(SCOPES_SUITE)
    result = run(pytester, ".")
    assert chart(result)["row [function]"] == "# # . . ."


def test_the_svg_is_well_formed_and_has_a_row_per_fixture_and_one_for_moto(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(MOTO_CONFTEST)
    pytester.makepyfile(test_a_alone=MOTO_ALONE, test_b_module=MOTO_MODULE)
    result = run(pytester, "--scope-timeline=out/chart.svg")
    result.assert_outcomes(passed=5)
    path = pytester.path / "out" / "chart.svg"
    result.stdout.fnmatch_lines([f"scope timeline written to {path}"])
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG_NS}svg"
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
    assert "s3 [module]" in texts
    assert "client_of_a_finished_mock [function]" in texts
    assert "moto active" in texts
    assert any("test_b_module.py::test_decorated_inside_the_module_mock" in t for t in texts)
    # Self-contained: no script, no link to anything outside the file.
    raw = path.read_text(encoding="utf-8")
    assert "<script" not in raw and "href" not in raw
    # The nested mock is drawn in the depth-2 colour.
    assert any(r.get("fill") == "#e8590c" for r in root.iter(f"{SVG_NS}rect"))
    assert not list(path.parent.glob(".*tmp")), "the atomic write left its temp file"


def test_the_html_page_embeds_the_chart_and_lists_the_tests_in_a_table(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_scopes=SCOPES_SUITE)
    result = run(pytester, "--scope-timeline=timeline.html")
    result.assert_outcomes(passed=5)
    page = (pytester.path / "timeline.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG_NS}text")]
    assert "table [module]" in texts
    assert "<td><code>test_scopes.py::TestKind::test_b</code></td>" in page


def test_fixtures_from_pytest_and_plugins_show_only_with_scope_timeline_all(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_tmp="""
        def test_uses_tmp_path(tmp_path, monkeypatch):
            pass
        """
    )
    hidden = chart(run(pytester, "--scope-timeline=ascii"))
    assert not any(label.startswith("tmp_path") for label in hidden)
    shown = chart(run(pytester, "--scope-timeline=ascii", "--scope-timeline-all"))
    assert shown["tmp_path [function]"] == "#"
    assert shown["monkeypatch [function]"] == "#"


def test_a_fixture_fetched_with_getfixturevalue_counts_as_requested(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_dynamic="""
        import pytest

        @pytest.fixture(scope="module")
        def shared():
            return 1

        def test_static(shared):
            pass

        def test_dynamic(request):
            request.getfixturevalue("shared")

        def test_without():
            pass
        """
    )
    rows = chart(run(pytester, "--scope-timeline=ascii"))
    assert rows["shared [module]"] == "###--"


def test_a_parametrized_fixture_gets_one_row_per_parameter(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_params="""
        import pytest

        @pytest.fixture(scope="module", params=["eu-west-1", "us-west-2"])
        def region(request):
            return request.param

        def test_one(region):
            pass

        def test_two(region):
            pass
        """
    )
    rows = chart(run(pytester, "--scope-timeline=ascii"))
    # pytest finalizes the first instance during the setup of test 2 (":" = setup only),
    # when the parameter changes; only then is the second one created.
    assert rows["region[eu-west-1] [module]"] == "###-: ."
    assert rows["region[us-west-2] [module]"] == ". . ###"


def test_moto_start_and_stop_are_restored_after_the_run(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_scopes=SCOPES_SUITE)
    script = pytester.makepyfile(
        drive="""
        import sys
        import pytest
        import moto.core.models as models

        start, stop = models.MockAWS.start, models.MockAWS.stop
        code = pytest.main(["-p", "scopecheck.timeline", "--scope-timeline=ascii",
                            "-p", "no:cacheprovider", "test_scopes.py"])
        assert code == 0, code
        assert models.MockAWS.start is start and models.MockAWS.stop is stop
        assert not any("ModelsFinder" in type(f).__name__ for f in sys.meta_path)
        print("RESTORED")
        """
    )
    result = pytester.runpython(script)
    result.stdout.fnmatch_lines(["RESTORED"])


def test_moto_imported_after_the_watch_started_is_wrapped_then_restored(
    pytester: pytest.Pytester,
) -> None:
    script = pytester.makepyfile(
        drive="""
        import sys
        from scopecheck.timeline import motowatch

        seen = []
        motowatch.add_listener(seen.append)
        assert "moto" not in sys.modules
        from moto import mock_aws
        import moto.core.models as models
        with mock_aws():
            with mock_aws():
                pass
        assert seen == [1, 2, 1, 0], seen
        motowatch.remove_listener(seen.append)
        assert "__wrapped__" not in vars(models.MockAWS.start)
        assert not any("ModelsFinder" in type(f).__name__ for f in sys.meta_path)
        print("OK")
        """
    )
    result = pytester.runpython(script)
    result.stdout.fnmatch_lines(["OK"])


def test_a_bad_option_value_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_scopes=SCOPES_SUITE)
    result = run(pytester, "--scope-timeline=chart.png")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--scope-timeline='chart.png': expected 'term', 'ascii'*"])


def test_option_values_are_term_ascii_or_an_svg_or_html_file() -> None:
    assert check_target("term") == "term"
    assert check_target("ASCII") == "ascii"
    assert check_target("out/chart.svg") == "out/chart.svg"
    assert check_target("chart.HTML") == "chart.HTML"
    with pytest.raises(pytest.UsageError):
        check_target("chart.txt")


def test_encodings_without_block_characters_are_detected() -> None:
    assert can_encode("utf-8")
    assert not can_encode("ascii")
    assert not can_encode("latin-1")
    assert not can_encode(None)


def _moment(test: int, phase: int, seq: int) -> Moment:
    return Moment(test, phase, seq)


def test_a_long_run_is_split_into_chunks_that_fit_the_terminal_width() -> None:
    tests = [RanTest(i, f"t.py::test_{i}", {"db"}) for i in range(60)]
    row = FixtureRow("db", "session", None, "conftest.py:1")
    row.lifetimes.append(Lifetime(_moment(0, SETUP, 0), _moment(59, TEARDOWN, 1)))
    moto = DepthRow("moto active")
    moto.changes += [(_moment(3, CALL, 2), 1), (_moment(3, CALL, 3), 0)]
    lines = render(Timeline(tests, [row], moto), width=80, unicode=False)
    assert max(len(line) for line in lines if not line.startswith("  ")) <= 80
    db_lines = [line for line in lines if line.startswith("db [session]")]
    assert len(db_lines) > 1
    assert "".join(line.split("  ", 1)[1].strip() for line in db_lines) == "#" * 119


def test_the_svg_notes_a_mock_that_was_never_stopped() -> None:
    tests = [RanTest(i, f"t.py::test_{i}", set()) for i in range(3)]
    moto = DepthRow("moto active")
    moto.changes.append((_moment(1, CALL, 0), 1))
    root = ET.fromstring(render_svg(Timeline(tests, [], moto)))
    titles = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}title")]
    assert "moto active, depth 1 (never stopped)" in titles
