"""The facts/run cache under stress: runs sharing one ``--cache-dir`` at once, corrupt entries,
edits between runs, and ``--jobs``: every run reports exactly what an uncached run reports."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scopecheck.rules import ALL_RULES

REPO = Path(__file__).resolve().parent.parent


def _project(root: Path) -> Path:
    """Every rule's examples (each in a directory of its own) and the fixtures_demo lessons:
    enough files for the process pool, with conftests and cross-module imports."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n\n[tool.scopecheck]\n", encoding="utf-8")
    for rule in ALL_RULES:
        for kind in ("bad", "good"):
            for number, example in enumerate(getattr(rule, kind)):
                for name, source in example.files.items():
                    path = root / f"{rule.code.lower()}_{kind}_{number}" / name
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(source, encoding="utf-8")
    shutil.copytree(REPO / "fixtures_demo", root / "fixtures_demo", ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _project(tmp_path_factory.mktemp("cache") / "proj")


@pytest.fixture
def fresh_project(tmp_path: Path) -> Path:
    return _project(tmp_path / "proj")


def _args(*extra: str) -> list[str]:
    return [sys.executable, "-m", "scopecheck", ".", "--format", "json", "--target-moto-version", "5", *extra]


def _finish(proc: subprocess.Popen[bytes]) -> list[dict]:
    out, err = proc.communicate(timeout=300)
    text = err.decode("utf-8", "replace")
    assert "Traceback" not in text and "internal error" not in text, text
    assert proc.returncode in (0, 1), text
    return json.loads(out)


def lint(root: Path, *extra: str) -> list[dict]:
    return _finish(subprocess.Popen(_args(*extra), cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE))


def lint_together(root: Path, *variants: tuple[str, ...]) -> list[list[dict]]:
    """Start one process per variant at the same moment; wait for all."""
    procs = [subprocess.Popen(_args(*v), cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for v in variants]
    return [_finish(p) for p in procs]


def cache_entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*.pickle"))


def assert_cache_intact(cache: Path) -> None:
    """Every entry unpickles; no temporary file was left behind."""
    entries = cache_entries(cache)
    assert entries, "the cache was never written"
    for entry in entries:
        with open(entry, "rb") as handle:
            pickle.load(handle)
    assert not list(cache.rglob("*.tmp"))


def test_the_project_is_big_enough_for_the_process_pool_and_has_findings(project: Path) -> None:
    from scopecheck.parallel import MIN_FILES_FOR_POOL

    assert len(list(project.rglob("*.py"))) >= 2 * MIN_FILES_FOR_POOL
    assert lint(project, "--no-cache")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_findings_are_identical_with_one_or_two_jobs_with_and_without_cache(
    project: Path, tmp_path: Path, jobs: str
) -> None:
    baseline = lint(project, "--no-cache", "--jobs", "1")
    cache = str(tmp_path / f"cache-{jobs}")
    assert lint(project, "--no-cache", "--jobs", jobs) == baseline
    assert lint(project, "--cache-dir", cache, "--jobs", jobs) == baseline  # cold
    assert lint(project, "--cache-dir", cache, "--jobs", jobs) == baseline  # warm
    other = "2" if jobs == "1" else "1"
    assert lint(project, "--cache-dir", cache, "--jobs", other) == baseline  # warm, written by the other


def test_two_processes_sharing_one_cache_dir_agree_with_an_uncached_run(fresh_project: Path, tmp_path: Path) -> None:
    root = fresh_project
    cache = tmp_path / "shared"
    baseline = lint(root, "--no-cache")
    for round_number in range(3):
        # Cold (round 0), then partly warm after an edit, racing to write the same entries.
        both = lint_together(
            root, ("--cache-dir", str(cache), "--jobs", "2"), ("--cache-dir", str(cache), "--jobs", "1")
        )
        assert both == [baseline, baseline], f"round {round_number}"
        assert_cache_intact(cache)
        victim = root / "fixtures_demo" / "test_1_function_scope.py"
        victim.write_text(victim.read_text(encoding="utf-8") + f"\n# edit {round_number}\n", encoding="utf-8")
        baseline = lint(root, "--no-cache")
    # Warm for both at once.
    assert lint_together(
        root,
        (
            "--cache-dir",
            str(cache),
        ),
        (
            "--cache-dir",
            str(cache),
        ),
    ) == [baseline, baseline]
    assert_cache_intact(cache)


@pytest.mark.parametrize("damage", ["truncate-half", "empty", "garbage", "directory", "wrong-object"])
def test_a_corrupt_cache_entry_is_ignored_and_rewritten(fresh_project: Path, tmp_path: Path, damage: str) -> None:
    root = fresh_project
    cache = tmp_path / "cache"
    baseline = lint(root, "--no-cache")
    assert lint(root, "--cache-dir", str(cache)) == baseline
    entries = cache_entries(cache)
    for entry in entries:  # every entry, facts and whole-run alike
        data = entry.read_bytes()
        if damage == "truncate-half":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "empty":
            entry.write_bytes(b"")
        elif damage == "garbage":
            entry.write_bytes(os.urandom(64))
        elif damage == "directory":
            entry.unlink()
            entry.mkdir()
        else:
            entry.write_bytes(pickle.dumps({"not": "an entry"}))
    assert lint(root, "--cache-dir", str(cache)) == baseline
    if damage != "directory":  # a directory in the way cannot be replaced; the run just misses
        for entry in entries:
            with open(entry, "rb") as handle:
                assert not isinstance(pickle.load(handle), dict), f"{entry} was not rewritten"
    assert lint(root, "--cache-dir", str(cache)) == baseline


def test_one_truncated_entry_among_good_ones_is_rewritten(fresh_project: Path, tmp_path: Path) -> None:
    root = fresh_project
    cache = tmp_path / "cache"
    baseline = lint(root, "--no-cache")
    lint(root, "--cache-dir", str(cache))
    facts = sorted((cache).rglob("facts/*/*.pickle"))
    victim = facts[len(facts) // 2]
    victim.write_bytes(victim.read_bytes()[:10])
    for run in sorted(cache.rglob("runs/*/*.pickle")):
        run.unlink()  # so the run really reads the facts
    assert lint(root, "--cache-dir", str(cache)) == baseline
    with open(victim, "rb") as handle:
        pickle.load(handle)


def test_a_warm_run_after_edits_reports_what_an_uncached_run_reports(fresh_project: Path, tmp_path: Path) -> None:
    root = fresh_project
    cache = str(tmp_path / "cache")
    lint(root, "--cache-dir", cache)
    # Fix one finding, introduce another, and touch a conftest the others depend on.
    bad = next(root.glob("scp201_bad_0/*.py"))
    bad.write_text(bad.read_text(encoding="utf-8").replace("return", "yield"), encoding="utf-8")
    (root / "scp402_good_0" / "test_new.py").write_text(
        "import boto3\nfrom moto import mock_aws\n\ns3 = boto3.client('s3')\n", encoding="utf-8"
    )
    conftest = root / "fixtures_demo" / "conftest.py"
    conftest.write_text(conftest.read_text(encoding="utf-8") + "\n\n# touched\n", encoding="utf-8")
    assert lint(root, "--cache-dir", cache) == lint(root, "--no-cache")


def test_a_module_created_where_an_import_looked_invalidates_a_cached_run(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text(
        "import helpers\nfrom moto import mock_aws\n\n\ndef test_a():\n    pass\n", encoding="utf-8"
    )
    cache = str(tmp_path / "cache")

    def run() -> list[dict]:
        return _finish(
            subprocess.Popen(
                [sys.executable, "-m", "scopecheck", "tests", "--format", "json", "--cache-dir", cache],
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        )

    assert run() == []
    (tmp_path / "helpers.py").write_text("import boto3\nS3 = boto3.client('s3', region_name='us-east-1')\n")
    assert [f["code"] for f in run()] == ["SCP104"]
    (tmp_path / "helpers.py").unlink()
    assert run() == []


def test_a_cache_dir_that_is_or_lies_under_a_file_is_a_usage_error(project: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n", encoding="utf-8")
    for cache_dir in (blocker, blocker / "below"):
        proc = subprocess.run(_args("--cache-dir", str(cache_dir)), cwd=project, capture_output=True, text=True)
        assert proc.returncode == 2 and proc.stdout == "", proc.stderr
        assert (
            proc.stderr
            == f"scopecheck: error: --cache-dir: {str(cache_dir)!r} is not a directory ({blocker} is a file)\n"
        )


def test_a_cache_dir_that_cannot_be_written_only_costs_the_cache(project: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    assert lint(project, "--cache-dir", str(locked / "cache")) == lint(project, "--no-cache")


def test_a_file_edited_during_a_run_is_not_cached_under_its_earlier_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scopecheck import parallel
    from scopecheck.config import Settings
    from scopecheck.engine import LintRequest
    from scopecheck.engine import lint as lint_in_process
    from scopecheck.run_config import resolve

    clean = "from moto import mock_aws\n\n\n@mock_aws\ndef test_a():\n    pass\n"
    legacy = "from moto import mock_s3\n\n\n@mock_s3\ndef test_a():\n    pass\n"
    target = tmp_path / "test_a.py"
    target.write_text(clean, encoding="utf-8")
    settings = Settings(base_dir=str(tmp_path))
    config = resolve(
        settings, str(tmp_path), target_moto=5, root=str(tmp_path), cache=True, cache_dir=str(tmp_path / "cache")
    )
    request = LintRequest(paths=[str(tmp_path)], config=config)
    real = parallel.analyse_all

    def edit_then_analyse(paths: list[str], jobs: int, progress=None):  # type: ignore[no-untyped-def]
        target.write_text(legacy, encoding="utf-8")  # the user saves while scopecheck runs
        return real(paths, jobs, progress)

    monkeypatch.setattr(parallel, "analyse_all", edit_then_analyse)
    lint_in_process(request)  # hashed the clean text, analysed the legacy one
    monkeypatch.setattr(parallel, "analyse_all", real)
    target.write_text(clean, encoding="utf-8")  # back to the hashed content
    assert lint_in_process(request).findings == []
