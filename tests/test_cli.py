"""The command line as a user runs it: options, config keys, suppressions, bad input, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scopecheck import __version__
from scopecheck.docs_build import expected_files, expected_pages
from scopecheck.rules import RULES_BY_CODE
from tests.helpers import Run, invoke_cli

BAD_FIXTURE = """\
import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def s3():
    with mock_aws():
        return boto3.client("s3", region_name="us-east-1")
"""
LEGACY = """\
from moto import mock_s3


@mock_s3
def test_it():
    pass
"""
NESTED = """\
import pytest
from moto import mock_aws


@pytest.fixture
def mocked():
    with mock_aws():
        yield


@mock_aws
def test_it(mocked):
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


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    def _run(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> Run:
        argv = ["--no-cache", *args] if "--cache-dir" not in args else list(args)
        return invoke_cli(argv, capsys, monkeypatch, cwd=cwd, stdin=stdin)

    return _run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_fixture.py").write_text(BAD_FIXTURE)
    (tests / "test_legacy.py").write_text(LEGACY)
    (tests / "test_clean.py").write_text(CLEAN)
    return tmp_path


def test_findings_print_as_path_line_col_code_message_and_exit_1(run, project: Path) -> None:
    result = run("tests", cwd=project)
    assert result.code == 1
    assert result.lines[0].startswith("tests/test_fixture.py:9:9: SCP201 fixture 's3' returns")
    assert result.lines[1] == (
        "tests/test_legacy.py:1:1: SCP401 mock_s3: moto<5 API, `ImportError` at collection on moto 5; use mock_aws"
    )
    assert "2 findings (2 errors) in 3 files" in result.err


def test_a_clean_tree_exits_0_with_a_summary_on_stderr(run, project: Path) -> None:
    result = run("tests/test_clean.py", cwd=project)
    assert (result.code, result.out) == (0, "")
    assert "no findings in 1 file" in result.err


def test_default_path_is_the_current_directory(run, project: Path) -> None:
    result = run(cwd=project)
    assert result.code == 1
    assert all(line.startswith("tests/") for line in result.lines)


def test_python_dash_m_scopecheck_and_the_console_script_work(project: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scopecheck", "--no-cache", "tests"], cwd=project, capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "SCP201" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_version_and_help(run) -> None:
    assert run("--version").out.strip().endswith(__version__)
    help_text = run("--help").out
    for option in (
        "--select",
        "--ignore",
        "--extend-select",
        "--format",
        "--exit-zero",
        "--fail-on",
        "--statistics",
        "--show-source",
        "--target-moto-version",
        "--config",
        "--no-config",
        "--quiet",
        "--list-rules",
        "--explain",
        "--stdin-filename",
        "--jobs",
        "--no-cache",
    ):
        assert option in help_text


def test_select_by_code_and_prefix(run, project: Path) -> None:
    assert {line.split()[1] for line in run("--select", "SCP401", "tests", cwd=project).lines} == {"SCP401"}
    assert {line.split()[1] for line in run("--select", "SCP2", "tests", cwd=project).lines} == {"SCP201"}
    assert run("--select", "scp101", "tests", cwd=project).code == 0  # case-insensitive, nothing found


def test_ignore_and_extend_select(run, project: Path) -> None:
    only_legacy = run("--ignore", "SCP2", "tests", cwd=project)
    assert {line.split()[1] for line in only_legacy.lines} == {"SCP401"}
    both = run("--select", "SCP401", "--extend-select", "SCP201", "tests", cwd=project)
    assert {line.split()[1] for line in both.lines} == {"SCP201", "SCP401"}
    specific = run("--ignore", "SCP", "--select", "SCP401", "tests", cwd=project)
    assert {line.split()[1] for line in specific.lines} == {"SCP401"}  # the more specific prefix wins


def test_unknown_codes_are_a_one_line_usage_error(run, project: Path) -> None:
    result = run("--select", "SCP999", "tests", cwd=project)
    assert result.code == 2
    assert result.err.strip().count("\n") == 0
    assert "SCP999" in result.err and "Traceback" not in result.err


def test_json_output_has_the_contract_fields_and_nothing_else_on_stdout(run, project: Path) -> None:
    result = run("--format", "json", "tests", cwd=project)
    items = json.loads(result.out)
    assert result.code == 1
    fields = ("code", "column", "end_column", "end_line", "fix", "help", "line", "message", "name", "path")
    assert {tuple(sorted(item)) for item in items} == {(*fields, "severity", "url")}
    first = items[0]
    assert (first["path"], first["line"], first["column"], first["code"]) == ("tests/test_fixture.py", 9, 9, "SCP201")
    assert first["name"] == "mock-ends-before-use" and first["severity"] == "error"
    assert first["fix"] == {"applicability": "safe", "message": "replace `return` with `yield`"}


def test_json_of_a_clean_run_is_an_empty_array(run, project: Path) -> None:
    assert json.loads(run("--format", "json", "tests/test_clean.py", cwd=project).out) == []


def test_exit_zero(run, project: Path) -> None:
    result = run("--exit-zero", "tests", cwd=project)
    assert result.code == 0 and "SCP201" in result.out


def test_fail_on_threshold(run, tmp_path: Path) -> None:
    (tmp_path / "test_nested.py").write_text(NESTED)
    on = ("--extend-select", "SCP301")  # an info finding, off by default on moto 5
    assert run(*on, "test_nested.py", cwd=tmp_path).code == 1  # default: any finding fails
    assert run(*on, "--fail-on", "warning", "test_nested.py", cwd=tmp_path).code == 0
    assert run(*on, "--fail-on", "info", "test_nested.py", cwd=tmp_path).code == 1
    assert run("--fail-on", "nope", "test_nested.py", cwd=tmp_path).code == 2


def test_statistics_count_per_code(run, project: Path) -> None:
    result = run("--statistics", "tests", cwd=project)
    assert "    1  SCP201  mock-ends-before-use" in result.out
    assert "    1  SCP401  removed-moto-api" in result.out
    as_json = run("--statistics", "--format", "json", "tests", cwd=project)
    json.loads(as_json.out)  # statistics go to stderr with json
    assert "SCP201" in as_json.err


def test_show_source_prints_the_line_and_a_caret(run, project: Path) -> None:
    lines = run("--show-source", "tests/test_fixture.py", cwd=project).lines
    assert lines[1] == "    " + '        return boto3.client("s3", region_name="us-east-1")'
    assert lines[2] == "    " + " " * 8 + "^"


def test_target_moto_version_changes_severity(run, tmp_path: Path) -> None:
    (tmp_path / "test_nested.py").write_text(NESTED)
    on5 = json.loads(run("--format", "json", "--target-moto-version", "5", "test_nested.py", cwd=tmp_path).out)
    selected = run(
        "--format", "json", "--target-moto-version", "5", "--extend-select", "SCP301", "test_nested.py", cwd=tmp_path
    )
    on4 = json.loads(run("--format", "json", "--target-moto-version", "4.2.14", "test_nested.py", cwd=tmp_path).out)
    assert on5 == []  # harmless on moto 5: not in the default selection
    assert [i["severity"] for i in json.loads(selected.out) if i["code"] == "SCP301"] == ["info"]
    assert [i["severity"] for i in on4 if i["code"] == "SCP301"] == ["error"]
    assert on4[0]["message"] == ("@mock_aws under fixture 'mocked' (test_nested.py:7) can wipe its data")
    bad = run("--target-moto-version", "five", "test_nested.py", cwd=tmp_path)
    assert bad.code == 2 and "--target-moto-version" in bad.err


def test_quiet_drops_the_summary(run, project: Path) -> None:
    result = run("--quiet", "tests", cwd=project)
    assert result.err == "" and result.code == 1


def test_list_rules_and_explain(run) -> None:
    listing = run("--list-rules").out
    for code in RULES_BY_CODE:
        assert code in listing
    page = run("--explain", "scp201")
    assert page.code == 0
    assert page.out == expected_pages()["SCP201.md"]
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Which moto versions"):
        assert heading in page.out
    unknown = run("--explain", "SCP999")
    assert unknown.code == 2 and unknown.err.count("\n") == 1


def test_docs_rules_pages_are_generated_from_the_rule_definitions() -> None:
    # docs/rules/*.md, README.md's rule table and fixtures_demo/README.md's copy of the pitfall table.
    repo = Path(__file__).resolve().parent.parent
    files = expected_files(repo)
    assert {repo / "README.md", repo / "fixtures_demo" / "README.md"} <= set(files)
    for path, text in files.items():
        assert path.read_text(encoding="utf-8") == text, f"run python -m scopecheck.docs_build ({path.name})"


def test_stdin_with_a_filename(run, tmp_path: Path) -> None:
    result = run("-", "--stdin-filename", "tests/test_x.py", cwd=tmp_path, stdin=LEGACY.encode())
    assert result.code == 1
    assert result.lines == [line for line in result.lines if line.startswith("tests/test_x.py:1:1: SCP401")]


def test_stdin_without_a_filename_reports_dash(run, tmp_path: Path) -> None:
    result = run("-", cwd=tmp_path, stdin=BAD_FIXTURE.encode())
    assert result.lines[0].startswith("-:9:9: SCP201")


def test_stdin_cannot_mix_with_paths_and_filename_needs_stdin(run, project: Path) -> None:
    assert run("-", "tests", cwd=project).code == 2
    assert run("--stdin-filename", "x.py", "tests", cwd=project).code == 2


def test_missing_path_is_a_usage_error(run, tmp_path: Path) -> None:
    result = run("does-not-exist", cwd=tmp_path)
    assert result.code == 2
    assert result.err == "scopecheck: error: path 'does-not-exist' does not exist\n"


def test_unknown_option_is_one_line(run, tmp_path: Path) -> None:
    result = run("--frobnicate", cwd=tmp_path)
    assert result.code == 2 and result.err.count("\n") == 1 and "--frobnicate" in result.err


def test_color_only_when_asked_or_on_a_tty(run, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "\x1b[" not in run("tests", cwd=project).out  # captured output is not a TTY
    assert "\x1b[" in run("--color", "tests", cwd=project).out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run("tests", cwd=project).out


# -- configuration -------------------------------------------------------------------------------


def write_config(root: Path, body: str) -> None:
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n\n[tool.scopecheck]\n" + body)


def test_config_select_and_ignore(run, project: Path) -> None:
    write_config(project, 'select = ["SCP4"]\n')
    assert {line.split()[1] for line in run("tests", cwd=project).lines} == {"SCP401"}
    write_config(project, 'ignore = ["SCP401"]\n')
    assert {line.split()[1] for line in run("tests", cwd=project).lines} == {"SCP201"}
    # the command line replaces select and adds to ignore
    assert {line.split()[1] for line in run("--select", "SCP2", "tests", cwd=project).lines} == {"SCP201"}


def test_config_extend_select(run, project: Path) -> None:
    write_config(project, 'select = ["SCP2"]\nextend-select = ["SCP401"]\n')
    assert {line.split()[1] for line in run("tests", cwd=project).lines} == {"SCP201", "SCP401"}


def test_config_per_file_ignores(run, project: Path) -> None:
    write_config(project, '[tool.scopecheck.per-file-ignores]\n"tests/test_legacy.py" = ["SCP401"]\n')
    assert {line.split()[1] for line in run("tests", cwd=project).lines} == {"SCP201"}
    write_config(project, '[tool.scopecheck.per-file-ignores]\n"tests/*.py" = ["SCP2", "SCP4"]\n')
    assert run("tests", cwd=project).code == 0


def test_config_exclude_and_extend_exclude(run, project: Path) -> None:
    write_config(project, 'extend-exclude = ["tests/test_legacy.py"]\n')
    assert {line.split()[1] for line in run("tests", cwd=project).lines} == {"SCP201"}
    write_config(project, 'exclude = ["test_fixture.py"]\n')
    assert {line.split()[1] for line in run(".", cwd=project).lines} == {"SCP401"}
    # a file named explicitly is linted anyway, unless --force-exclude
    assert run("tests/test_fixture.py", cwd=project).code == 1
    assert run("--force-exclude", "tests/test_fixture.py", cwd=project).code == 0


def test_default_excludes_skip_virtualenvs_and_caches(run, project: Path) -> None:
    for folder in (".venv/lib", "build", "node_modules/x", "__pycache__", ".tox/py"):
        (project / folder).mkdir(parents=True, exist_ok=True)
        (project / folder / "test_bad.py").write_text(LEGACY)
    result = run(".", cwd=project)
    assert all(line.startswith("tests/") for line in result.lines)


def test_gitignore_is_respected(run, project: Path) -> None:
    (project / ".git").mkdir()
    (project / ".gitignore").write_text("tests/test_legacy.py\n")
    assert {line.split()[1] for line in run(".", cwd=project).lines} == {"SCP201"}
    write_config(project, "respect-gitignore = false\n")
    assert {line.split()[1] for line in run(".", cwd=project).lines} == {"SCP201", "SCP401"}


def test_config_fail_on_and_target_moto_version(run, tmp_path: Path) -> None:
    (tmp_path / "test_nested.py").write_text(NESTED)
    write_config(tmp_path, 'fail-on = "warning"\n')
    assert run("test_nested.py", cwd=tmp_path).code == 0
    write_config(tmp_path, 'fail-on = "warning"\ntarget-moto-version = 4\n')
    assert run("test_nested.py", cwd=tmp_path).code == 1  # nested mocks are errors on moto 4


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("colour = true\n", "colour"),
        ('select = "SCP999"\n', "select"),
        ("ignore = 3\n", "ignore"),
        ('fail-on = "fatal"\n', "fail-on"),
        ('target-moto-version = "latest"\n', "target-moto-version"),
        ("per-file-ignores = 1\n", "per-file-ignores"),
        ("exclude = [1]\n", "exclude"),
        ('respect-gitignore = "yes"\n', "respect-gitignore"),
        ("select = [\n", "invalid TOML"),
    ],
)
def test_bad_config_is_a_one_line_error_naming_the_key(run, project: Path, body: str, named: str) -> None:
    write_config(project, body)
    result = run("tests", cwd=project)
    assert result.code == 2
    assert result.err.count("\n") == 1, result.err
    assert named in result.err and "Traceback" not in result.err


def test_no_config_and_explicit_config(run, project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    write_config(project, 'select = ["SCP4"]\n')
    assert {line.split()[1] for line in run("--no-config", "tests", cwd=project).lines} == {"SCP201", "SCP401"}
    other = tmp_path_factory.mktemp("cfg") / "scopecheck.toml"
    other.write_text('select = ["SCP2"]\n')
    assert {line.split()[1] for line in run("--config", str(other), "tests", cwd=project).lines} == {"SCP201"}
    assert run("--config", "missing.toml", "tests", cwd=project).code == 2
    assert run("--config", str(other), "--no-config", "tests", cwd=project).code == 2


# -- suppressions ---------------------------------------------------------------------------------


def test_bare_noqa_silences_the_line(run, tmp_path: Path) -> None:
    (tmp_path / "test_a.py").write_text(LEGACY.replace("import mock_s3\n", "import mock_s3  # noqa\n"))
    assert run("test_a.py", cwd=tmp_path).code == 0


def test_noqa_with_codes_silences_only_those(run, tmp_path: Path) -> None:
    (tmp_path / "test_a.py").write_text(LEGACY.replace("import mock_s3\n", "import mock_s3  # noqa: SCP101,SCP401\n"))
    assert run("test_a.py", cwd=tmp_path).code == 0
    (tmp_path / "test_a.py").write_text(LEGACY.replace("import mock_s3\n", "import mock_s3  # noqa: E501\n"))
    assert run("test_a.py", cwd=tmp_path).code == 1
    (tmp_path / "test_a.py").write_text(LEGACY.replace("import mock_s3\n", "import mock_s3  # NOQA:SCP4\n"))
    assert run("test_a.py", cwd=tmp_path).code == 0


def test_noqa_inside_a_string_does_not_count(run, tmp_path: Path) -> None:
    source = 'from moto import mock_s3; X = "# noqa"\n'
    (tmp_path / "test_a.py").write_text(source)
    assert run("test_a.py", cwd=tmp_path).code == 1


def test_ignore_file_comment_skips_the_file(run, tmp_path: Path) -> None:
    (tmp_path / "test_a.py").write_text("# scopecheck: ignore-file\n" + LEGACY)
    result = run(".", cwd=tmp_path)
    assert result.code == 0 and "ignore-file" in result.err
    (tmp_path / "test_a.py").write_text('X = "# scopecheck: ignore-file"\n' + LEGACY)
    assert run(".", cwd=tmp_path).code == 1


# -- robustness ------------------------------------------------------------------------------------


def test_syntax_error_is_scp000_and_the_run_goes_on(run, tmp_path: Path) -> None:
    (tmp_path / "test_broken.py").write_text("def test_x(:\n    pass\n")
    (tmp_path / "test_legacy.py").write_text(LEGACY)
    result = run(".", cwd=tmp_path)
    assert result.code == 1
    assert result.lines[0].startswith("test_broken.py:1:")
    assert " SCP000 cannot analyse this file: " in result.lines[0]
    assert result.lines[1].startswith("test_legacy.py:1:1: SCP401")


@pytest.mark.parametrize(
    ("data", "expect"),
    [
        (b"\xef\xbb\xbf" + LEGACY.encode(), "SCP401"),  # BOM
        (LEGACY.replace("\n", "\r\n").encode(), "SCP401"),  # CRLF
        (b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + LEGACY.encode(), "SCP401"),
        (b"x = '\xff\xfe'\n", "SCP000"),  # not UTF-8, no cookie
        (b"import os\x00\n", "SCP000"),  # null byte
        (b"", None),
        (b"   \n\t\n\x0c\n", None),  # whitespace and a form feed
        (b"if True:\n\tx = 1\n        y = 2\n", "SCP000"),  # inconsistent tabs
    ],
    ids=["bom", "crlf", "latin1-cookie", "bad-utf8", "null-byte", "empty", "whitespace", "tabs"],
)
def test_odd_files_never_crash(run, tmp_path: Path, data: bytes, expect: str | None) -> None:
    (tmp_path / "test_odd.py").write_bytes(data)
    result = run("test_odd.py", cwd=tmp_path)
    assert "Traceback" not in result.err
    codes = {line.split()[1] for line in result.lines}
    assert codes == ({expect} if expect else set())
    assert result.code == (1 if expect else 0)


def test_symlink_loops_do_not_hang(run, tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    os.symlink(tmp_path / "pkg", tmp_path / "pkg" / "loop")
    os.symlink(tmp_path / "nowhere.py", tmp_path / "pkg" / "test_dangling.py")
    (tmp_path / "pkg" / "test_a.py").write_text(LEGACY)
    result = run(".", cwd=tmp_path)
    assert result.code == 1 and "broken symbolic link" in result.err


def test_files_are_sorted_by_path_line_and_column(run, tmp_path: Path) -> None:
    for name in ("test_b.py", "test_a.py"):
        (tmp_path / name).write_text(LEGACY + "\n\nimport moto\nmoto.mock_sqs\n")
    result = run(".", cwd=tmp_path)
    keys = [(line.split(":")[0], int(line.split(":")[1]), int(line.split(":")[2])) for line in result.lines]
    assert keys == sorted(keys) and len(keys) == 4


def test_cache_gives_identical_findings_and_is_reused(run, project: Path, tmp_path_factory) -> None:
    cache = tmp_path_factory.mktemp("cache")
    cold = run("--format", "json", "--cache-dir", str(cache), "tests", cwd=project)
    warm = run("--format", "json", "--cache-dir", str(cache), "tests", cwd=project)
    uncached = run("--format", "json", "tests", cwd=project)
    assert cold.out == warm.out == uncached.out
    assert any(cache.rglob("*.pickle"))


def test_jobs_do_not_change_findings(run, tmp_path: Path) -> None:
    for i in range(40):
        (tmp_path / f"test_{i:02}.py").write_text(LEGACY if i % 2 else BAD_FIXTURE)
    one = run("--format", "json", "--jobs", "1", ".", cwd=tmp_path)
    two = run("--format", "json", "--jobs", "2", ".", cwd=tmp_path)
    assert one.out == two.out and len(json.loads(one.out)) == 40
    assert run("--jobs", "0", ".", cwd=tmp_path).code == 2


def test_a_warm_run_reuses_findings_and_notices_every_kind_of_change(run, project: Path, tmp_path_factory) -> None:
    cache = str(tmp_path_factory.mktemp("cache"))

    def codes() -> list[tuple[str, int, str]]:
        items = json.loads(run("--format", "json", "--cache-dir", cache, "tests", cwd=project).out)
        return [(i["path"], i["line"], i["code"]) for i in items]

    first = codes()
    assert codes() == first  # warm, nothing changed
    shown = run("--show-source", "--cache-dir", cache, "tests/test_fixture.py", cwd=project)
    assert shown.lines[2].strip() == "^"  # the source is read again for a cached run
    (project / "tests" / "test_clean.py").write_text(LEGACY)  # a target changed
    assert ("tests/test_clean.py", 1, "SCP401") in codes()
    nested = ("--extend-select", "SCP301", "--format", "json", "--cache-dir", cache, "tests/test_legacy.py")
    assert [i["code"] for i in json.loads(run(*nested, cwd=project).out)] == ["SCP401"]
    (project / "tests" / "conftest.py").write_text(  # a conftest appeared above the targets
        "import pytest\nfrom moto import mock_aws\n\n\n@pytest.fixture(autouse=True)\n"
        "def moto_on():\n    with mock_aws():\n        yield\n"
    )
    assert run(*nested, cwd=project).code == 1
    only = json.loads(run(*nested, cwd=project).out)
    assert [i["code"] for i in only] == ["SCP401", "SCP301"]
    # a first-party module read for SCP104 changed
    (project / "app.py").write_text("VALUE = 1\n")
    (project / "tests" / "test_app.py").write_text("import moto\n\nimport app\n")
    assert not [c for c in codes() if c[2] == "SCP104"]
    (project / "app.py").write_text("import boto3\n\nS3 = boto3.client('s3', region_name='us-east-1')\n")
    assert ("tests/test_app.py", 3, "SCP104") in codes()


def test_linting_never_imports_moto_or_boto3(project: Path) -> None:
    probe = (
        "import sys\n"
        "from scopecheck.cli import main\n"
        "try:\n"
        "    main(['--no-cache', '-q', 'tests'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('moto', 'boto3', 'botocore', 'libcst')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True)
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_a_conftest_named_alone_is_judged_with_the_tests_below_it(run, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conftest.py").write_text(
        "import boto3\nimport pytest\n\n\n@pytest.fixture\ndef s3():\n"
        "    return boto3.client('s3', region_name='us-east-1')\n"
    )
    test_module = "from moto import mock_aws\n\n\n@mock_aws\ndef test_it(s3):\n    pass\n"
    (tmp_path / "tests" / "test_a.py").write_text(test_module)
    result = run("tests/conftest.py", cwd=tmp_path)
    assert [line.split()[:2] for line in result.lines] == [["tests/conftest.py:7:12:", "SCP103"]]


def test_a_directory_named_on_the_command_line_is_linted_even_if_git_ignores_it(run, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("vendored/\n*_generated.py\n")
    (tmp_path / "vendored" / "suite").mkdir(parents=True)
    (tmp_path / "vendored" / "suite" / "test_a.py").write_text(LEGACY)
    (tmp_path / "vendored" / "suite" / "test_b_generated.py").write_text(LEGACY)
    assert run(".", cwd=tmp_path).code == 0  # ignored when walking from the top
    result = run("vendored/suite", cwd=tmp_path)
    assert [line.split(":")[0] for line in result.lines] == ["vendored/suite/test_a.py"]  # other rules still apply


def test_a_damaged_stat_index_is_ignored(run, project: Path, tmp_path_factory) -> None:
    cache = tmp_path_factory.mktemp("cache")
    first = run("--format", "json", "--cache-dir", str(cache), "tests", cwd=project).out
    for index in cache.rglob("stat.index"):
        index.write_bytes(b"\x80\x05garbage")
    (project / "tests" / "test_clean.py").write_text(LEGACY)  # and a file changed meanwhile
    again = json.loads(run("--format", "json", "--cache-dir", str(cache), "tests", cwd=project).out)
    assert len(again) == len(json.loads(first)) + 1


def test_progress_shows_only_on_a_terminal_and_only_for_long_runs() -> None:
    import io as _io

    from scopecheck.cli_output import ProgressBar, progress_bar

    assert progress_bar() is None  # the test's stderr is not a terminal
    stream = _io.StringIO()
    bar = ProgressBar(stream)
    bar(16, 100)
    assert stream.getvalue() == ""  # a short run shows nothing
    bar(16, 1085)
    bar(1085, 1085)
    assert stream.getvalue() == "\rscopecheck: analysing 16/1085 files\rscopecheck: analysing 1085/1085 files\r\x1b[K"
