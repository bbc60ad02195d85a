"""What the guard costs: a suite with and without `-p scopecheck.guard`, alternating.

    python bench/guard_overhead.py [--runs 5] [PYTEST ARGS...]       # fixtures_demo's lessons
    python bench/guard_overhead.py --project celery [--runs 5]       # a real suite (repeatable)

Each variant runs as its own pytest process, alternating, in the fake-credentials CI environment;
the figures are the fastest and the median wall time (the fastest is the least disturbed by
other load on a shared machine). Not a timed test: run it by hand and put the result in
docs/performance.md and docs/guard.md.

`--project` takes a real suite from bench/migration/projects.py and reuses the migration round
trip's pinned source, its cached moto 5 environment (package registry only) and its
`scopecheck --fix` to moto 5; the tests run offline as there (loopback-only socket guard, the
project's own credential setting). scopecheck reaches that environment through PYTHONPATH (a
folder holding a link to this checkout's package), in both variants, so the project's
environment stays as the round trip built it. The guarded runs also write the guard's report,
and the outcome lines of both variants must agree.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import statistics
import subprocess
import sys
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

    def once(self, guarded: bool) -> tuple[float, str]:
        command = self.command + (self.guard if guarded else [])
        start = time.perf_counter()
        proc = subprocess.run(command, cwd=self.cwd, env=self.env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        lines = [m.group(1) for m in map(OUTCOME.match, proc.stdout.splitlines()) if m]
        return elapsed, lines[-1] if lines else f"exit {proc.returncode}"


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


def measure(suite: Suite, runs: int) -> None:
    plain: list[float] = []
    guarded: list[float] = []
    outcomes: dict[str, set[str]] = {"plain": set(), "guarded": set()}
    suite.once(False)  # warm the file system cache
    for _ in range(runs):
        for label, times, flag in (("plain", plain, False), ("guarded", guarded, True)):
            elapsed, outcome = suite.once(flag)
            times.append(elapsed)
            outcomes[label].add(outcome)
    print(f"== {suite.name}: {runs} runs each, alternating")
    for name, pick in (("fastest", min), ("median", statistics.median)):
        a, b = pick(plain), pick(guarded)
        print(f"{name:<8} plain {a:.2f}s  guarded {b:.2f}s  overhead {100 * (b - a) / a:+.1f}%")
    print(f"runs: plain {sorted(round(x, 2) for x in plain)}  guarded {sorted(round(x, 2) for x in guarded)}")
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
    parser.add_argument("pytest_args", nargs="*", default=["fixtures_demo"])
    ns = parser.parse_args()
    if ns.project:
        for name in ns.project:
            measure(real_suite(name, ns.cache.resolve()), ns.runs)
    else:
        measure(fixtures_demo(ns.pytest_args, Path(ns.cwd)), ns.runs)


if __name__ == "__main__":
    main()
