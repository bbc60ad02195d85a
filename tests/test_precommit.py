"""The pre-commit hooks in ``.pre-commit-hooks.yaml``, run by real pre-commit on a throwaway repository.

``pre-commit try-repo`` installs this checkout (HEAD plus uncommitted changes to tracked files) into a
fresh virtualenv, so the first test pays for one pip install from the package registry; the
environment is shared by every test in this module. Those tests are marked slow (opt-in).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import write_tree

REPO_ROOT = Path(__file__).resolve().parents[1]
HOOKS_FILE = REPO_ROOT / ".pre-commit-hooks.yaml"

BAD = """\
import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def s3():
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        return client


def test_buckets(s3):
    assert s3.list_buckets()["Buckets"] == []
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
LEGACY = """\
from moto import mock_s3


@mock_s3
def test_it():
    pass
"""

_git_checkout = pytest.mark.skipif(
    shutil.which("git") is None or not (REPO_ROOT / ".git").exists(), reason="needs git and a git checkout"
)


def needs_git(test):  # type: ignore[no-untyped-def]
    """A try-repo test: it needs git, and pip installs the hook's environment from the package
    registry, so it is slow (opt-in: ``pytest -m slow``)."""
    return pytest.mark.slow(_git_checkout(test))


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=cwd, check=True, timeout=60)


@pytest.fixture(scope="module")
def precommit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def user_repo(tmp_path: Path) -> Path:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'demo'\n\n[tool.scopecheck]\nextend-exclude = ['legacy']\n",
            "tests/test_bad.py": BAD,
            "tests/test_clean.py": CLEAN,
            "legacy/test_old.py": LEGACY,
        },
    )
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "init")
    return tmp_path


def _try_repo(repo: Path, home: Path, hook: str | None, *files: str) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo`` of this checkout: one hook, or (*hook* None) every hook in the order
    of .pre-commit-hooks.yaml, as a user who configures both gets them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))}
    env["PRE_COMMIT_HOME"] = str(home)
    env["PRE_COMMIT_COLOR"] = "never"
    chosen = [hook] if hook else []
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO_ROOT), *chosen, "--verbose", "--files", *files]
    return subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=600)


def _hooks() -> dict[str, dict]:
    return {hook["id"]: hook for hook in yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))}


def _has_fix_option() -> bool:
    from scopecheck.cli import cli

    return any("--fix" in getattr(param, "opts", ()) for param in cli.params)


def test_hooks_file_declares_both_hooks_like_ruffs() -> None:
    hooks = _hooks()
    assert set(hooks) == {"scopecheck", "scopecheck-fix"}
    assert hooks["scopecheck"]["entry"] == "scopecheck --force-exclude"
    assert hooks["scopecheck-fix"]["entry"] == "scopecheck --fix-only --force-exclude"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types"] == ["python"]
        assert hook["require_serial"] is True


@needs_git
def test_the_hook_fails_on_a_file_with_findings_and_prints_them(user_repo: Path, precommit_home: Path) -> None:
    proc = _try_repo(user_repo, precommit_home, "scopecheck", "tests/test_bad.py", "tests/test_clean.py")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "- hook id: scopecheck" in proc.stdout
    assert "tests/test_bad.py:10:9: SCP201 fixture 's3' returns inside `with mock_aws()` (line 8)" in proc.stdout
    assert "test_clean.py:" not in proc.stdout


@needs_git
def test_the_hook_passes_on_clean_files(user_repo: Path, precommit_home: Path) -> None:
    proc = _try_repo(user_repo, precommit_home, "scopecheck", "tests/test_clean.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


@needs_git
def test_excluded_files_stay_excluded_although_pre_commit_names_them(user_repo: Path, precommit_home: Path) -> None:
    proc = _try_repo(user_repo, precommit_home, "scopecheck", "legacy/test_old.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SCP401" not in proc.stdout


@needs_git
@pytest.mark.skipif(not _has_fix_option(), reason="scopecheck --fix is not in this version yet")
def test_the_fix_hook_rewrites_the_file_and_fails_so_the_change_gets_reviewed(
    user_repo: Path, precommit_home: Path
) -> None:
    proc = _try_repo(user_repo, precommit_home, "scopecheck-fix", "tests/test_bad.py")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    fixed = (user_repo / "tests/test_bad.py").read_text()
    assert "        yield client\n" in fixed
    assert "return client" not in fixed
    assert "SCP201" not in proc.stdout  # it fixes; reporting is the other hook's job
    again = _try_repo(user_repo, precommit_home, "scopecheck", "tests/test_bad.py")
    assert again.returncode == 0, again.stdout + again.stderr


def test_every_yaml_snippet_in_the_integration_docs_parses_and_names_real_hooks() -> None:
    text = (REPO_ROOT / "docs" / "integrations.md").read_text(encoding="utf-8")
    blocks = [block.split("```", 1)[0] for block in text.split("```yaml\n")[1:]]
    assert len(blocks) >= 4
    hook_ids = set(_hooks())
    for block in blocks:
        document = yaml.safe_load(block)
        assert document is not None
    snippet = yaml.safe_load(blocks[0])
    ours = [hook["id"] for repo in snippet["repos"] for hook in repo["hooks"]]
    assert set(ours) == hook_ids


MIXED = (
    BAD
    + """

def test_leaks():
    mock = mock_aws()
    mock.start()
"""
)


@needs_git
def test_with_both_hooks_each_remaining_finding_is_printed_once(user_repo: Path, precommit_home: Path) -> None:
    (user_repo / "tests/test_mixed.py").write_text(MIXED)
    _git(user_repo, "add", ".")
    _git(user_repo, "commit", "-q", "-m", "mixed")
    proc = _try_repo(user_repo, precommit_home, None, "tests/test_mixed.py")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "- hook id: scopecheck-fix" in proc.stdout and "- hook id: scopecheck\n" in proc.stdout
    findings = [line.split(" ")[:2] for line in proc.stdout.splitlines() if line.startswith("tests/test_mixed.py:")]
    # pre-commit may run the two in either order; either way no finding is printed twice.
    assert len(findings) == len({tuple(f) for f in findings}), proc.stdout
    assert ["tests/test_mixed.py:19:5:", "SCP203"] in findings, proc.stdout
    assert "yield client" in (user_repo / "tests/test_mixed.py").read_text()
