"""What a new user meets in the first hour (issue 11), each through the real entry point: the
``scopecheck`` command in a subprocess, real flake8, pytester for the timeline plugin, real pytest
runs of this repository's own suites. pre-commit's two hooks are in test_precommit.py."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from scopecheck import REPOSITORY_URL
from scopecheck.rules.base import RULE_DOCS_URL
from tests.helpers import write_tree

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parent.parent
SCOPECHECK = [sys.executable, "-m", "scopecheck"]

LEGACY = "from moto import mock_s3\n\n\n@mock_s3\ndef test_it():\n    pass\n"
FIXTURE_HEAD = "import boto3\nimport pytest\nfrom moto import mock_aws\n\n\n@pytest.fixture\n"
# SCP201 three times: --fix rewrites the first (safe), the second only with --unsafe-fixes (the
# with block sits in an `if`), and refuses the third (the fixture has another return).
SCP201_KINDS = (
    FIXTURE_HEAD
    + "def safe():\n"
    + "    with mock_aws():\n"
    + '        return boto3.client("s3", region_name="us-east-1")\n'
    + "\n\n@pytest.fixture\n"
    + "def unsafe(flag=True):\n"
    + "    if flag:\n"
    + "        with mock_aws():\n"
    + '            return boto3.client("s3", region_name="us-east-1")\n'
    + "\n\n@pytest.fixture\n"
    + "def refused(flag=False):\n"
    + "    if flag:\n"
    + "        return None\n"
    + "    with mock_aws():\n"
    + '        return boto3.client("s3", region_name="us-east-1")\n'
)


def scopecheck(*args: str, cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SCOPECHECK, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False, **kwargs
    )


def usage_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2 and exactly one line on stderr that says what is wrong."""
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("scopecheck: error: "), proc.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_tree(tmp_path, {"pyproject.toml": "[project]\nname = 'demo'\n", "tests/test_legacy.py": LEGACY})
    return tmp_path


# -- bug 1: a bad [tool.scopecheck] under flake8 ----------------------------------------------------


def flake8(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "flake8", "--format=%(path)s:%(row)d: %(code)s", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.parametrize(
    ("config", "said"),
    [
        ('[tool.scopecheck]\nselectt = ["SCP"]\n', "unknown key 'selectt' in [tool.scopecheck]"),
        ("[tool.scopecheck\n", "invalid TOML"),
        ('[tool.scopecheck]\nfail-on = "fatal"\n', "'fail-on': unknown severity 'fatal'"),
    ],
    ids=["typo", "invalid-toml", "bad-value"],
)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bad_config_leaves_flake8s_other_checks_running_and_says_so_once(
    tmp_path: Path, config: str, said: str, jobs: str
) -> None:
    write_tree(
        tmp_path,
        {"pyproject.toml": config, "test_a.py": "x=1\n" + LEGACY, "test_b.py": "y=2\n", "test_c.py": "z=3\n"},
    )
    proc = flake8("--select", "E225,SCP", "--jobs", jobs, ".", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert sorted(proc.stdout.splitlines()) == ["./test_a.py:1: E225", "./test_b.py:1: E225", "./test_c.py:1: E225"]
    assert proc.stderr.startswith("scopecheck (flake8 plugin): config error, SCP checks skipped: "), proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and said in proc.stderr, proc.stderr


# -- bug 2 and 4: --scope-timeline=FILE -------------------------------------------------------------

# no:asyncio: pytest-asyncio (dev extra) would warn about its unset loop scope on stderr.
TIMELINE = ("-p", "scopecheck.timeline", "-p", "no:cacheprovider", "-p", "no:asyncio")


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("afile/chart.svg", "cannot be created: {base}/afile is not a directory"),
        ("x.svg", "is a directory"),
    ],
)
def test_an_unwritable_timeline_path_is_a_usage_error_before_the_tests_run(
    pytester: pytest.Pytester, target: str, problem: str
) -> None:
    pytester.makepyfile(test_one="def test_it():\n    pass\n")
    (pytester.path / "afile").write_text("")
    (pytester.path / "x.svg").mkdir()
    result = pytester.runpytest_subprocess(*TIMELINE, f"--scope-timeline={target}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    message = problem.format(base=pytester.path)
    assert result.errlines[0] == f"ERROR: --scope-timeline={target!r}: {pytester.path / target} {message}"
    assert "Traceback" not in result.stderr.str()


def test_a_timeline_that_cannot_be_written_at_the_end_is_one_line_and_the_run_keeps_its_outcome(
    pytester: pytest.Pytester,
) -> None:
    # The path is fine when the run starts; a test then puts a directory in its way.
    pytester.makepyfile(test_one="import os\n\ndef test_it():\n    os.mkdir('chart.svg')\n")
    result = pytester.runpytest_subprocess(*TIMELINE, "--scope-timeline=chart.svg")
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1)
    lines = [line for line in result.outlines if line.startswith("scope timeline")]
    assert len(lines) == 1 and lines[0].startswith(f"scope timeline: cannot write {pytester.path / 'chart.svg'}: ")
    assert "Traceback" not in result.stdout.str()


def test_a_timeline_file_is_readable_by_others_under_the_usual_umask(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_one="def test_it():\n    pass\n")
    old = os.umask(0o022)
    try:
        result = pytester.runpytest_subprocess(*TIMELINE, "--scope-timeline=out/chart.svg")
    finally:
        os.umask(old)
    assert result.ret == 0
    assert stat.S_IMODE((pytester.path / "out" / "chart.svg").stat().st_mode) == 0o644


# -- bug 3: the progress counter on a terminal with -j 1 --------------------------------------------


def test_with_one_job_the_progress_counter_is_erased_before_the_first_finding(tmp_path: Path) -> None:
    files = {f"tests/test_{i:03}.py": "x = 1\n" for i in range(210)}
    files["tests/test_zzz.py"] = LEGACY
    files["pyproject.toml"] = ""  # a project root: no note about a guessed one on stderr
    write_tree(tmp_path, files)
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(
            [*SCOPECHECK, "--no-cache", "--no-color", "-j", "1", "tests"],
            cwd=tmp_path,
            stdout=follower,
            stderr=follower,
        )
        os.close(follower)
        chunks = []
        while True:
            ready, _, _ = select.select([leader], [], [], 60)
            if not ready:
                break
            try:
                data = os.read(leader, 4096)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        assert proc.wait(timeout=60) == 1
    finally:
        os.close(leader)
    screen = b"".join(chunks).decode()
    assert "scopecheck: analysing 211/211 files\r\x1b[K" in screen
    # What is left on the screen: every counter line erased, then the finding on a line of its own.
    after = screen.rsplit("\x1b[K", 1)[1]
    assert after.startswith("tests/test_zzz.py:1:1: SCP401"), repr(screen[-300:])


# -- bug 5: `# scopecheck: ignore-file` --------------------------------------------------------------


def test_only_a_comment_that_starts_with_ignore_file_skips_the_file(project: Path) -> None:
    legacy = project / "tests" / "test_legacy.py"
    legacy.write_text("# scopecheck: ignore-file  (generated)\n" + LEGACY)
    skipped = scopecheck("--no-cache", "tests", cwd=project)
    assert skipped.returncode == 0 and "skipped tests/test_legacy.py: # scopecheck: ignore-file" in skipped.stderr
    legacy.write_text("# add `# scopecheck: ignore-file` to skip a file\n" + LEGACY)
    linted = scopecheck("--no-cache", "tests", cwd=project)
    assert linted.returncode == 1 and "SCP401" in linted.stdout and "skipped" not in linted.stderr


def test_scopechecks_own_analysis_module_is_linted_not_skipped() -> None:
    proc = scopecheck("--no-cache", "scopecheck/analysis.py", cwd=REPO)
    assert proc.returncode == 0
    assert proc.stderr == "scopecheck: no findings in 1 file.\n"


# -- bug 6: the fix field says what --fix does --------------------------------------------------------


def test_json_and_sarif_fix_is_the_fixers_applicability(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "", "tests/test_kinds.py": SCP201_KINDS})
    items = json.loads(scopecheck("--no-cache", "--format", "json", "tests", cwd=tmp_path).stdout)
    message = "replace `return` with `yield`"
    assert [(i["code"], i["line"], i["fix"]) for i in items] == [
        ("SCP201", 9, {"applicability": "safe", "message": message}),
        ("SCP201", 16, {"applicability": "unsafe", "message": message}),
        ("SCP201", 24, None),
    ]
    sarif = json.loads(scopecheck("--no-cache", "--format", "sarif", "tests", cwd=tmp_path).stdout)
    fixes = [r.get("properties", {}).get("fix") for r in sarif["runs"][0]["results"]]
    assert fixes == [i["fix"] for i in items]
    # And --fix does just that: the safe one now, the unsafe one on request, the third never.
    scopecheck("--no-cache", "--fix", "tests", cwd=tmp_path)
    after = json.loads(scopecheck("--no-cache", "--format", "json", "tests", cwd=tmp_path).stdout)
    assert [(i["line"], i["fix"]) for i in after] == [(16, items[1]["fix"]), (24, None)]
    scopecheck("--no-cache", "--fix", "--unsafe-fixes", "tests", cwd=tmp_path)
    last = json.loads(scopecheck("--no-cache", "--format", "json", "tests", cwd=tmp_path).stdout)
    assert [(i["line"], i["fix"]) for i in last] == [(24, None)]


# -- bug 7: --config FILE without our table -------------------------------------------------------------


def test_a_config_file_without_a_scopecheck_table_says_so(project: Path) -> None:
    (project / "other.toml").write_text("[tool.black]\nline-length = 100\n")
    usage_error(scopecheck("--config", "other.toml", "tests", cwd=project), "other.toml has no [tool.scopecheck] table")
    (project / "plain.toml").write_text('select = ["SCP4"]\n')  # a plain table still works
    assert scopecheck("--no-cache", "--config", "plain.toml", "tests", cwd=project).returncode == 1


# -- bug 8: JUnit and fail-on -----------------------------------------------------------------------------


def test_junit_fails_only_the_findings_that_fail_the_run(tmp_path: Path) -> None:
    nested = (
        "import pytest\nfrom moto import mock_aws\n\n\n@pytest.fixture\ndef mocked():\n    with mock_aws():\n"
        "        yield\n\n\n@mock_aws\ndef test_it(mocked):\n    pass\n"
    )
    write_tree(tmp_path, {"pyproject.toml": "", "tests/test_nested.py": nested, "tests/test_legacy.py": LEGACY})
    args = ("--no-cache", "--format", "junit", "--target-moto-version", "5", "--select", "SCP301,SCP401")
    proc = scopecheck(*args, "--fail-on", "error", "tests/test_nested.py", cwd=tmp_path)
    assert proc.returncode == 0  # SCP301 is info on moto 5
    root = ET.fromstring(proc.stdout)
    assert (root.get("tests"), root.get("failures")) == ("1", "0")
    (case,) = root.iter("testcase")
    assert case.find("failure") is None
    assert case.findtext("system-out", "").startswith("info (below fail-on): tests/test_nested.py:11:2: SCP301 ")
    both = scopecheck(*args, "--fail-on", "error", "tests", cwd=tmp_path)
    assert both.returncode == 1
    root = ET.fromstring(both.stdout)
    assert (root.get("tests"), root.get("failures")) == ("2", "1")
    assert [c.find("failure") is not None for c in root.iter("testcase")] == [True, False]


# -- bug 9: noqa comments inside a string under flake8 ---------------------------------------------------------


def test_flake8_reads_noqa_in_a_string_and_the_docs_say_so(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "", "test_a.py": 'from moto import mock_s3; X = "# noqa"\n'})
    assert scopecheck("--no-cache", ".", cwd=tmp_path).returncode == 1  # scopecheck: strings are no comments
    assert flake8("--select", "SCP", ".", cwd=tmp_path).stdout == ""  # flake8 reads the raw line
    docs = (REPO / "docs" / "integrations.md").read_text(encoding="utf-8")
    assert "`# noqa` inside a string" in docs


# -- silent no-ops ------------------------------------------------------------------------------------------


def test_a_selection_with_no_rule_is_a_usage_error(project: Path) -> None:
    usage_error(scopecheck("--no-cache", "--select", "", "tests", cwd=project), "turns every rule off")
    usage_error(scopecheck("--no-cache", "--select", "SCP4", "--ignore", "SCP4", "tests", cwd=project), "every rule")


def test_a_path_without_python_files_says_so(project: Path) -> None:
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# hi\n")
    proc = scopecheck("--no-cache", "docs", cwd=project)
    assert proc.returncode == 0
    assert proc.stderr.splitlines() == [
        "scopecheck: no findings in 0 files.",
        "scopecheck: warning: no Python files found in docs",
    ]


@pytest.mark.parametrize("flag", ["--show-fixes", "--unsafe-fixes", "--exit-non-zero-on-fix"])
def test_fix_options_without_fix_or_diff_are_usage_errors(project: Path, flag: str) -> None:
    usage_error(scopecheck("--no-cache", flag, "tests", cwd=project), f"{flag} does nothing without --fix or --diff")
    assert scopecheck("--no-cache", flag, "--diff", "tests", cwd=project).returncode == 1  # the diff is not empty


def test_a_cache_dir_that_is_a_file_is_a_usage_error(project: Path) -> None:
    (project / "cache").write_text("")
    usage_error(
        scopecheck("--cache-dir", "cache", "tests", cwd=project),
        "--cache-dir: 'cache' is not a directory (cache is a file)",
    )


def test_list_rules_as_json(project: Path) -> None:
    proc = scopecheck("--list-rules", "--format", "json", cwd=project)
    assert proc.returncode == 0
    rules = json.loads(proc.stdout)
    by_code = {r["code"]: r for r in rules}
    assert by_code["SCP201"] == {
        "code": "SCP201",
        "name": "mock-ends-before-use",
        "severity": "error",
        "summary": by_code["SCP201"]["summary"],
        "fixable": True,
        "url": f"{RULE_DOCS_URL}SCP201.md",
    }
    assert by_code["SCP101"]["fixable"] is False


@pytest.mark.parametrize("how", ["config", "option"])
def test_a_moto_version_that_does_not_exist_yet_is_an_error(project: Path, how: str) -> None:
    if how == "config":
        (project / "pyproject.toml").write_text("[tool.scopecheck]\ntarget-moto-version = 6\n")
        usage_error(scopecheck("--no-cache", "tests", cwd=project), "there is no moto 6 yet")
    else:
        usage_error(scopecheck("--no-cache", "--target-moto-version", "6", "tests", cwd=project), "no moto 6")


# -- the cache's place -------------------------------------------------------------------------------------


def test_without_a_project_root_the_cache_is_in_the_current_directory(tmp_path: Path) -> None:
    if any((parent / marker).exists() for parent in tmp_path.parents for marker in ("pyproject.toml", ".git")):
        pytest.skip("the temporary directory lies inside a project")
    write_tree(tmp_path, {"work/suite/test_legacy.py": LEGACY})
    assert scopecheck("suite", cwd=tmp_path / "work").returncode == 1
    assert (tmp_path / "work" / ".scopecheck_cache").is_dir()
    assert not (tmp_path / "work" / "suite" / ".scopecheck_cache").exists()


def test_with_a_project_root_the_cache_is_at_the_root(project: Path) -> None:
    assert scopecheck("tests", cwd=project).returncode == 1
    assert scopecheck(".", cwd=project / "tests").returncode == 1
    assert (project / ".scopecheck_cache").is_dir() and not (project / "tests" / ".scopecheck_cache").exists()


# -- one repository URL ---------------------------------------------------------------------------------


def test_the_repository_url_is_written_once_and_used_everywhere(project: Path) -> None:
    urls = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    assert urls["Repository"] == REPOSITORY_URL
    assert RULE_DOCS_URL == f"{REPOSITORY_URL}/blob/main/docs/rules/"
    sarif = json.loads(scopecheck("--no-cache", "--format", "sarif", "tests", cwd=project).stdout)
    assert sarif["runs"][0]["tool"]["driver"]["informationUri"] == REPOSITORY_URL
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"pip install 'git+{REPOSITORY_URL}'" in readme or f"pip install git+{REPOSITORY_URL}" in readme


# -- slow means opt-in; the demo's two commands ---------------------------------------------------------------


def collected(*args: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return [line for line in proc.stdout.splitlines() if "::" in line]


def test_slow_tests_are_opt_in() -> None:
    by_default = collected("tests/test_corpus_runs.py", "fixtures_demo/pitfalls")
    slow = ("lints_without_a_crash", "test_moto4_nested_mock_wipes_the_fixture_state")
    assert not [test for test in by_default if any(name in test for name in slow)]
    opted_in = collected("-m", "slow", "tests/test_corpus_runs.py", "fixtures_demo/pitfalls")
    assert len([test for test in opted_in if slow[0] in test]) == 2
    assert len([test for test in opted_in if slow[1] in test]) == 2


def test_pytest_fixtures_demo_runs_the_lessons_and_the_proofs_run_on_their_own() -> None:
    lessons = collected("fixtures_demo")
    assert lessons and not any(test.startswith("fixtures_demo/pitfalls/") for test in lessons)
    proofs = collected("fixtures_demo/pitfalls")
    assert proofs and all(test.startswith("fixtures_demo/pitfalls/") for test in proofs)
    everything = collected()
    assert set(lessons) | set(proofs) <= set(everything) and len(everything) == len(set(everything))


# -- packaging (these reach the package registry: slow, opt-in) -------------------------------------------------


@pytest.mark.slow
def test_the_wheel_ships_the_mit_license_and_the_repository_url(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("scopecheck-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (license_name,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        assert archive.read(license_name) == (REPO / "LICENSE").read_bytes()
        (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = archive.read(metadata_name).decode()
    assert "License-Expression: MIT\n" in metadata
    assert f"Project-URL: Repository, {REPOSITORY_URL}\n" in metadata
    assert (REPO / "LICENSE").read_text().startswith("MIT License\n")


def _python38() -> str | None:
    """A Python 3.8 that runs (a pyenv shim on PATH may not)."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [str(p) for p in sorted(pyenv.glob("3.8*/bin/python3.8"))] if pyenv.is_dir() else []
    candidates += [found] if (found := shutil.which("python3.8")) else []
    for candidate in candidates:
        probe = subprocess.run([candidate, "-c", "import venv"], capture_output=True, timeout=60, check=False)
        if probe.returncode == 0:
            return candidate
    return None


@pytest.mark.slow
def test_on_python_38_pip_stops_at_requires_python(tmp_path: Path) -> None:
    python38 = _python38()
    if python38 is None:
        pytest.skip("no Python 3.8 here")
    subprocess.run([python38, "-m", "venv", str(tmp_path / "venv")], check=True, timeout=120)
    pip = subprocess.run(
        [str(tmp_path / "venv" / "bin" / "python"), "-m", "pip", "install", str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert pip.returncode == 1
    assert re.search(r"ERROR: Package 'scopecheck' requires a different Python: 3\.8\.\d+ not in '>=3\.9'", pip.stderr)
    assert "AttributeError" not in pip.stdout + pip.stderr
