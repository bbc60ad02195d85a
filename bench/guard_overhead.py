"""What the guard costs: a suite with and without `-p scopecheck.guard`, alternating.

    python bench/guard_overhead.py [--runs 5] [PYTEST ARGS...]       # fixtures_demo's lessons
    python bench/guard_overhead.py --project celery [--runs 5]       # a real suite (repeatable)
    python bench/guard_overhead.py --project celery --profile        # the guard's own time, cProfile

Each variant runs as its own pytest process, alternating, in the fake-credentials CI environment;
the figures are the fastest and the median wall time (the fastest is the least disturbed by
other load on a shared machine) and the same of the CPU time the pytest process used (user +
system, children included), which other load disturbs much less. Not a timed test: run it by hand and put the result in
docs/performance.md and docs/guard.md.

`--project` takes a real suite from bench/migration/projects.py and reuses the migration round
trip's pinned source, its cached moto 5 environment (package registry only) and its
`scopecheck --fix` to moto 5; the tests run offline as there (loopback-only socket guard, the
project's own credential setting). scopecheck reaches that environment through PYTHONPATH (a
folder holding a link to this checkout's package), in both variants, so the project's
environment stays as the round trip built it. The guarded runs also write the guard's report,
and the outcome lines of both variants must agree.

`--profile` runs the guarded variant once under cProfile and prints the time spent in
scopecheck's own functions (their self time, not the botocore work they wrap) against the whole
run: a figure that other load on the machine hardly moves.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pstats
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench" / "migration"))

import roundtrip  # noqa: E402
from projects import MOTO5, PROJECTS  # noqa: E402

ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
BASE = ["-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
GUARD = ["-p", "scopecheck.guard", "--scopecheck-guard=warn"]
OUTCOME = re.compile(r"^=*\s*(\d+ (passed|failed|error|errors|skipped)\b.*?)(?: in [\d.]+s.*)?$")


class Suite:
    def __init__(self, name: str, command: list[str], guard: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.name, self.command, self.guard, self.cwd, self.env = name, command, guard, cwd, env

    def python_and_args(self) -> tuple[str, list[str]]:
        """The interpreter and pytest's arguments (a venv's `bin/pytest` or `python -m pytest`)."""
        if self.command[1:3] == ["-m", "pytest"]:
            return self.command[0], self.command[3:]
        return str(Path(self.command[0]).with_name("python")), self.command[1:]

    def once(self, guarded: bool) -> tuple[float, float, str]:
        """Wall time, CPU time (user + system of the pytest process and its children) and the
        outcome line. CPU time is what the guard adds; wall time also counts other load."""
        command = self.command + (self.guard if guarded else [])
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(command, cwd=self.cwd, env=self.env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        lines = [m.group(1) for m in map(OUTCOME.match, proc.stdout.splitlines()) if m]
        return elapsed, cpu, lines[-1] if lines else f"exit {proc.returncode}"


def fixtures_demo(pytest_args: list[str], cwd: Path) -> Suite:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")} | ENV
    return Suite("fixtures_demo", [sys.executable, "-m", "pytest", *BASE, *pytest_args], GUARD, cwd, env)


def real_suite(name: str, cache: Path) -> Suite:
    project = next((p for p in PROJECTS if p.name == name), None)
    if project is None:
        raise SystemExit(f"no project {name!r}; known: {', '.join(p.name for p in PROJECTS)}")
    src = roundtrip.source(project, cache)
    env_home = roundtrip.environment(project, MOTO5, cache)
    work = cache / "work" / project.name
    tree = roundtrip.fresh_copy(src, work / "guard-bench")
    roundtrip.migrate(project, tree, src)  # the moto 5 tree the round trip's last step runs
    shim = work / "guard-bench-path"
    shim.mkdir(exist_ok=True)
    link = shim / "scopecheck"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(ROOT / "scopecheck", target_is_directory=True)
    env = roundtrip.suite_environment(project, env_home) | {"PYTHONPATH": str(shim)}
    report = work / "guard-bench.json"
    guard = [*GUARD, f"--scopecheck-guard-report={report}"]
    return Suite(name, roundtrip.suite_command(project, env_home, "-p", "no:randomly"), guard, tree, env)


def profile(suite: Suite) -> None:
    """One guarded run under cProfile: scopecheck's own (self) time against the whole run."""
    python, args = suite.python_and_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "guard.prof"
        command = [python, "-m", "cProfile", "-o", str(out), "-m", "pytest", *args, *suite.guard]
        subprocess.run(command, cwd=suite.cwd, env=suite.env, capture_output=True, check=False)
        stats = pstats.Stats(str(out))
    rows = stats.stats.items()  # type: ignore[attr-defined]  # (file, line, name) -> (cc, nc, self, cumulative, callers)
    own = sum(row[2] for (path, _, _), row in rows if "scopecheck" in Path(path).parts)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"== {suite.name}: profiled guarded run {total:.2f}s, scopecheck's own functions {own:.3f}s", end="")
    print(f" ({100 * own / total:.2f}%)")


def measure(suite: Suite, runs: int) -> None:
    times: dict[tuple[str, str], list[float]] = {(v, m): [] for v in ("plain", "guarded") for m in ("wall", "cpu")}
    outcomes: dict[str, set[str]] = {"plain": set(), "guarded": set()}
    suite.once(False)  # warm the file system cache
    for _ in range(runs):
        for label in ("plain", "guarded"):
            elapsed, cpu, outcome = suite.once(label == "guarded")
            times[(label, "wall")].append(elapsed)
            times[(label, "cpu")].append(cpu)
            outcomes[label].add(outcome)
    print(f"== {suite.name}: {runs} runs each, alternating")
    for measure_ in ("wall", "cpu"):
        plain, guarded = times[("plain", measure_)], times[("guarded", measure_)]
        for name, pick in (("fastest", min), ("median", statistics.median)):
            a, b = pick(plain), pick(guarded)
            print(f"{measure_:<4} {name:<8} plain {a:.2f}s  guarded {b:.2f}s  overhead {100 * (b - a) / a:+.1f}%")
        print(f"     runs: plain {sorted(round(x, 2) for x in plain)}  guarded {sorted(round(x, 2) for x in guarded)}")
    print(f"outcomes: plain {sorted(outcomes['plain'])}  guarded {sorted(outcomes['guarded'])}")
    report = next((Path(a.split("=", 1)[1]) for a in suite.guard if a.startswith("--scopecheck-guard-report=")), None)
    if report is not None and report.exists():
        data = json.loads(report.read_text())
        kinds = collections.Counter(e["kind"] for e in data["events"])
        clients = sum(c.get("count", 0) for c in data.get("clients", []))
        print(f"guard: {clients} clients at {len(data.get('clients', []))} sites, events {dict(sorted(kinds.items()))}")
    if outcomes["plain"] != outcomes["guarded"]:
        print("OUTCOMES DIFFER with the guard (warn mode must change none)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cwd", default=str(ROOT))
    parser.add_argument("--project", action="append", help="a real suite of bench/migration/projects.py (repeatable)")
    parser.add_argument("--cache", type=Path, default=roundtrip.DEFAULT_CACHE)
    parser.add_argument("--profile", action="store_true", help="one guarded run under cProfile instead")
    parser.add_argument("pytest_args", nargs="*", default=["fixtures_demo"])
    ns = parser.parse_args()
    if ns.project:
        suites = [real_suite(name, ns.cache.resolve()) for name in ns.project]
    else:
        suites = [fixtures_demo(ns.pytest_args, Path(ns.cwd))]
    for suite in suites:
        profile(suite) if ns.profile else measure(suite, ns.runs)


if __name__ == "__main__":
    main()
