"""What the guard costs: fixtures_demo's lessons with and without `-p scopecheck.guard`.

    python bench/guard_overhead.py [--runs 5] [PYTEST ARGS...]

Each variant runs as its own pytest process, alternating, in the fake-credentials CI environment;
the figures are the fastest and the median wall time (the fastest is the least disturbed by
other load on a shared machine). Not a timed test: run it by hand and put the result in
docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
BASE = ["-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
GUARD = ["-p", "scopecheck.guard", "--scopecheck-guard=warn"]


def once(args: list[str], cwd: Path) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")} | ENV
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", *args], cwd=cwd, env=env, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cwd", default=str(ROOT))
    parser.add_argument("pytest_args", nargs="*", default=["fixtures_demo"])
    ns = parser.parse_args()
    cwd = Path(ns.cwd)
    plain: list[float] = []
    guarded: list[float] = []
    once(BASE + ns.pytest_args, cwd)  # warm the file system cache
    for _ in range(ns.runs):
        plain.append(once(BASE + ns.pytest_args, cwd))
        guarded.append(once(BASE + GUARD + ns.pytest_args, cwd))
    for name, pick in (("fastest", min), ("median", statistics.median)):
        a, b = pick(plain), pick(guarded)
        print(f"{name:<8} plain {a:.2f}s  guarded {b:.2f}s  overhead {100 * (b - a) / a:+.1f}%")
    print(f"runs: plain {sorted(round(x, 2) for x in plain)}  guarded {sorted(round(x, 2) for x in guarded)}")


if __name__ == "__main__":
    main()
