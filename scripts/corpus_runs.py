"""Run scopecheck over whole real-world corpora and check it never crashes.

Corpora:
- ``stdlib``: the interpreter's own ``Lib/test`` (found with ``sysconfig``), which holds files that
  are bad on purpose (bad encodings, syntax errors, odd line endings);
- ``moto``: the tests of the moto 5.2.5 sdist, taken from ``bench/.corpus`` when the benchmark has
  unpacked it, otherwise downloaded with pip into ``~/.cache/scopecheck-corpora`` (outside the repo).

Checks: exit status 0 or 1, no traceback, no "internal error", no SCP000 on a file that Python
compiles, and (``--cache``) cold and warm cached runs report exactly what the uncached run does.

    python scripts/corpus_runs.py                 # both corpora, summary on stdout
    python scripts/corpus_runs.py moto --cache    # one corpus, plus the cache comparison
    python scripts/corpus_runs.py --json          # machine-readable summary
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

MOTO_VERSION = "5.2.5"
REPO = Path(__file__).resolve().parent.parent
CACHE_HOME = Path(os.environ.get("SCOPECHECK_CORPORA", Path.home() / ".cache" / "scopecheck-corpora"))
# The corpora live inside other projects' trees (a pyenv git checkout ignores its versions/):
# lint every file, as given.
CONFIG = "[tool.scopecheck]\nrespect-gitignore = false\nexclude = []\n"


@dataclass
class CorpusReport:
    name: str
    root: str
    files: int = 0
    seconds: float = 0.0
    exit_status: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)  # "path: reason" of every SCP000
    problems: list[str] = field(default_factory=list)  # anything that is a scopecheck bug
    cache_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def stdlib_tests() -> Path | None:
    path = Path(sysconfig.get_paths()["stdlib"]) / "test"
    return path if path.is_dir() else None


def moto_tests() -> Path | None:
    """moto's test suite from its sdist, unpacked once and reused."""
    for root in (REPO / "bench" / ".corpus" / f"moto-{MOTO_VERSION}", CACHE_HOME / f"moto-{MOTO_VERSION}"):
        if (root / "tests").is_dir():
            return root / "tests"
    CACHE_HOME.mkdir(parents=True, exist_ok=True)
    sdist = CACHE_HOME / f"moto-{MOTO_VERSION}.tar.gz"
    if not sdist.exists():
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                f"moto=={MOTO_VERSION}",
                "-d",
                str(CACHE_HOME),
                "--retries",
                "1",
                "--timeout",
                "30",
            ],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0 or not sdist.exists():
            return None
    target = CACHE_HOME / f"moto-{MOTO_VERSION}"
    with tempfile.TemporaryDirectory(dir=CACHE_HOME) as scratch, tarfile.open(sdist) as archive:
        prefix = f"moto-{MOTO_VERSION}/tests/"
        members = [m for m in archive.getmembers() if m.name.startswith(prefix) and (m.isfile() or m.isdir())]
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # no links out of the tree
        archive.extractall(scratch, members=members, **safe)
        os.replace(Path(scratch) / f"moto-{MOTO_VERSION}", target)  # only a complete copy appears
    return target / "tests"


def _scopecheck(root: Path, config: Path, *extra: str) -> tuple[int, list[dict], str, float]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "scopecheck", str(root), "--format", "json", "--config", str(config), *extra],
        capture_output=True,
        text=True,
        errors="surrogateescape",
    )
    seconds = time.perf_counter() - start
    try:
        findings = json.loads(proc.stdout) if proc.stdout.strip() else []
    except ValueError:
        findings = []
    return proc.returncode, findings, proc.stderr, seconds


def _compiles(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            compile(handle.read(), path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, OverflowError, MemoryError, RecursionError, OSError):
        return False
    return True


def run_corpus(name: str, root: Path, *, cache: bool = False, jobs: int | None = None) -> CorpusReport:
    report = CorpusReport(name=name, root=str(root))
    report.files = sum(1 for _ in root.rglob("*.py"))
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "scopecheck.toml"
        config.write_text(CONFIG, encoding="utf-8")
        extra = ["--jobs", str(jobs)] if jobs else []
        status, findings, stderr, seconds = _scopecheck(root, config, "--no-cache", *extra)
        report.exit_status, report.seconds = status, round(seconds, 2)
        if status not in (0, 1):
            report.problems.append(f"exit status {status}: {stderr.strip()[-500:]}")
        if "Traceback" in stderr or "internal error" in stderr:
            report.problems.append(f"crash on stderr: {stderr.strip()[-2000:]}")
        report.findings = dict(sorted(collections.Counter(f["code"] for f in findings).items()))
        for finding in findings:
            if finding["code"] != "SCP000":
                continue
            report.unreadable.append(f"{finding['path']}: {finding['message']}")
            if "internal error" in finding["message"]:
                report.problems.append(f"internal error: {finding['path']}: {finding['message']}")
            elif _compiles(finding["path"]):
                report.problems.append(f"SCP000 on a file Python compiles: {finding['path']}: {finding['message']}")
        if cache:
            cache_dir = Path(scratch) / "cache"
            for label in ("cold", "warm"):
                status2, again, stderr2, seconds2 = _scopecheck(root, config, "--cache-dir", str(cache_dir), *extra)
                report.cache_seconds[label] = round(seconds2, 2)
                if again != findings or status2 != status or "Traceback" in stderr2:
                    report.problems.append(f"{label} cached run differs from the uncached run")
    return report


CORPORA = {"stdlib": stdlib_tests, "moto": moto_tests}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="*", metavar="CORPUS", help=f"any of {', '.join(CORPORA)} [default: all]")
    parser.add_argument("--cache", action="store_true", help="also compare cold and warm cached runs")
    parser.add_argument("--jobs", type=int, help="passed on to scopecheck")
    parser.add_argument("--json", action="store_true", help="print the reports as JSON")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.corpora) - set(CORPORA))
    if unknown:
        parser.error(f"unknown corpus {', '.join(unknown)} (choose from {', '.join(CORPORA)})")
    reports = []
    for name in args.corpora or list(CORPORA):
        root = CORPORA[name]()
        if root is None:
            print(f"{name}: corpus not available, skipped", file=sys.stderr)
            continue
        reports.append(run_corpus(name, root, cache=args.cache, jobs=args.jobs))
    if args.json:
        print(json.dumps([asdict(r) for r in reports], indent=2))
    else:
        for r in reports:
            print(f"{r.name}: {r.files} files in {r.seconds}s, exit {r.exit_status}, findings {r.findings}")
            if r.cache_seconds:
                print(f"  cached runs: {r.cache_seconds}")
            for line in r.unreadable:
                print(f"  SCP000 {line}")
            for line in r.problems:
                print(f"  PROBLEM {line}")
    return 0 if all(r.ok for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
