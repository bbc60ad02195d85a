"""The flake8 plugin, through real flake8 in a subprocess: same findings as ``scopecheck``."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scopecheck.flake8_plugin import ScopecheckChecker, _encode
from tests.helpers import write_tree

FLAKE8_FORMAT = "%(path)s|%(row)d|%(col)d|%(code)s|%(text)s"

SUITE = {
    # SCP301 is off by default on moto 5: the suite turns it on, as a project's config would.
    "pyproject.toml": "[project]\nname = 'demo'\n\n[tool.scopecheck]\nextend-select = ['SCP301']\n",
    "tests/conftest.py": """\
import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def mocked():
    with mock_aws():
        yield


@pytest.fixture
def s3():
    return boto3.client("s3", region_name="us-east-1")
""",
    # Each finding here needs the conftest.py above it: SCP301 on the test, SCP103 on the fixture.
    "tests/unit/test_orders.py": """\
import boto3
import pytest
from moto import mock_aws


@mock_aws
def test_nested(mocked):
    pass


def test_client_first(s3, mocked):
    s3.list_buckets()


@pytest.fixture
def table():
    with mock_aws():
        return boto3.client("dynamodb", region_name="us-east-1")
""",
    "tests/unit/test_legacy.py": """\
from moto import mock_s3


@mock_s3
def test_it():
    pass
""",
    "tests/test_clean.py": """\
import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def sqs():
    with mock_aws():
        yield boto3.client("sqs", region_name="us-east-1")
""",
}


def _flake8(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "SCP", f"--format={FLAKE8_FORMAT}", *args],
        cwd=root,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _flake8_findings(root: Path, *args: str, stdin: str | None = None) -> set[tuple[str, int, int, str, str]]:
    proc = _flake8(root, *args, stdin=stdin)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    found = set()
    for line in proc.stdout.splitlines():
        path, row, col, code, text = line.split("|", 4)  # flake8 splits "SCPnnn message" into code and text
        found.add((Path(path).as_posix().removeprefix("./"), int(row), int(col), code, text))
    return found


def _scopecheck_findings(root: Path, *args: str) -> set[tuple[str, int, int, str, str]]:
    proc = subprocess.run(
        [sys.executable, "-m", "scopecheck", "--no-cache", "--format", "json", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return {(f["path"], f["line"], f["column"], f["code"], f["message"]) for f in json.loads(proc.stdout)}


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    write_tree(tmp_path, SUITE)
    return tmp_path


def test_flake8_select_scp_reports_exactly_what_scopecheck_reports(suite: Path) -> None:
    expected = _scopecheck_findings(suite, "tests")
    assert {code for *_, code, _ in expected} >= {"SCP103", "SCP201", "SCP301", "SCP401"}
    assert _flake8_findings(suite, "tests") == expected


def test_flake8_select_scp_leaves_scp301_off_without_the_config(suite: Path) -> None:
    (suite / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    expected = _scopecheck_findings(suite, "tests")
    assert "SCP301" not in {code for *_, code, _ in expected}
    assert _flake8_findings(suite, "tests") == expected


def test_a_conftest_finding_that_depends_on_the_tests_below_it_is_reported(suite: Path) -> None:
    found = _flake8_findings(suite, "tests/conftest.py")
    assert [(path, line, code) for path, line, _, code, _ in found] == [("tests/conftest.py", 14, "SCP103")]


def test_one_test_file_alone_still_sees_its_conftest_chain(suite: Path) -> None:
    found = _flake8_findings(suite, "tests/unit/test_orders.py")
    assert ("tests/unit/test_orders.py", 6, 2, "SCP301") in {f[:4] for f in found}


def test_flake8_noqa_and_extend_ignore_apply_to_scp_codes(suite: Path) -> None:
    test = suite / "tests/unit/test_orders.py"
    source = test.read_text().replace("@mock_aws\ndef test_nested", "@mock_aws  # noqa: SCP301\ndef test_nested")
    test.write_text(source)
    codes = {f[3] for f in _flake8_findings(suite, "tests/unit")}
    assert "SCP301" not in codes
    assert "SCP201" in codes
    codes = {f[3] for f in _flake8_findings(suite, "--extend-ignore", "SCP2", "tests/unit")}
    assert "SCP201" not in codes
    assert "SCP401" in codes


def test_stdin_with_a_display_name_uses_the_conftest_chain_of_that_name(suite: Path) -> None:
    source = (suite / "tests/unit/test_orders.py").read_text()
    found = _flake8_findings(suite, "--stdin-display-name", "tests/unit/test_orders.py", "-", stdin=source)
    assert {f[:4] for f in found} == {f[:4] for f in _scopecheck_findings(suite, "tests/unit/test_orders.py")}
    assert found


def test_scopecheck_config_in_pyproject_applies_under_flake8_too(suite: Path) -> None:
    (suite / "pyproject.toml").write_text(
        textwrap.dedent(
            """\
            [project]
            name = "demo"

            [tool.scopecheck]
            extend-select = ["SCP301"]
            ignore = ["SCP401"]
            per-file-ignores = { "tests/conftest.py" = ["SCP103"] }
            """
        )
    )
    found = _flake8_findings(suite, "tests")
    assert found == _scopecheck_findings(suite, "tests")
    assert {f[3] for f in found} == {"SCP201", "SCP301"}


def test_files_excluded_by_scopecheck_config_are_skipped_like_force_exclude(suite: Path) -> None:
    (suite / "pyproject.toml").write_text("[tool.scopecheck]\nextend-exclude = ['tests/unit/test_legacy.py']\n")
    assert _flake8_findings(suite, "tests/unit/test_legacy.py") == set()
    assert _scopecheck_findings(suite, "--force-exclude", "tests/unit/test_legacy.py") == set()


def test_flake8_lists_the_plugin_under_its_name() -> None:
    proc = subprocess.run([sys.executable, "-m", "flake8", "--version"], capture_output=True, text=True, timeout=60)
    assert "scopecheck:" in proc.stdout


def test_flake8_gets_zero_based_columns_and_the_code_first(tmp_path: Path) -> None:
    source = "from moto import mock_s3\n\n\n@mock_s3\ndef test_it():\n    pass\n"
    (tmp_path / "pyproject.toml").write_text("[tool.scopecheck]\ntarget-moto-version = 5\n")
    checker = ScopecheckChecker(None, str(tmp_path / "test_x.py"), source.splitlines(keepends=True))
    (result,) = list(checker.run())
    assert result[:2] == (1, 0)
    assert result[2].startswith("SCP401 ")
    assert result[3] is ScopecheckChecker


def test_lines_go_back_to_bytes_in_the_encoding_their_coding_cookie_declares() -> None:
    lines = ["# -*- coding: latin-1 -*-\n", "name = 'café'\n"]
    assert _encode(lines) == "".join(lines).encode("latin-1")
    assert _encode(["x = 'café'\n"]) == "x = 'café'\n".encode()


def test_an_unsaved_buffer_on_stdin_is_linted_as_given_not_as_saved(suite: Path) -> None:
    clean = (suite / "tests/test_clean.py").read_text()
    edited = clean.replace('yield boto3.client("sqs"', 'return boto3.client("sqs"')
    assert edited != clean
    found = _flake8_findings(suite, "--stdin-display-name", "tests/test_clean.py", "-", stdin=edited)
    assert {(f[0], f[3]) for f in found} == {("tests/test_clean.py", "SCP201")}
    assert _flake8_findings(suite, "tests/test_clean.py") == set()


def test_saved_files_go_through_the_same_cache_as_the_command_line(suite: Path) -> None:
    _flake8_findings(suite, "tests/unit")
    assert (suite / ".scopecheck_cache" / ".gitignore").is_file()
