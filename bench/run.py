"""Benchmark scopecheck against its peers on moto 5.2.5's own test suite.

    python bench/run.py            # full run (20-40 min on 2 cores; fixit dominates)
    python bench/run.py --quick    # smoke run: 250-file corpus, 1 run each

Sets up (and reuses) the corpus and a bench virtualenv under bench/.corpus/, then re-runs
itself with the venv's Python and measures every case round-robin. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import corpus  # noqa: E402
import toolenv  # noqa: E402

INNER_FLAG = "SCOPECHECK_BENCH_INNER"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=None, help="timed runs per case (default 5; 1 with --quick)")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: the 250-file subset as corpus, 1 run, no growth rows"
    )
    parser.add_argument("--only", default="", help="keys or key prefixes to run, e.g. scopecheck,peer_ruff")
    parser.add_argument("--skip", default="", help="keys or key prefixes to leave out, e.g. peer_fixit")
    parser.add_argument(
        "--reinstall", action="store_true", help="reinstall the bench venv even when its pins did not change"
    )
    parser.add_argument(
        "--scopecheck", type=Path, default=None, help="measure this scopecheck executable instead of the bench venv's"
    )
    parser.add_argument("--no-json", action="store_true", help="do not write bench/results/")
    return parser.parse_args(argv)


def setup_outer(args: argparse.Namespace) -> None:
    """Runs in whatever Python started us: corpus + venv, then exec the venv's Python."""
    full = corpus.ensure_full(BENCH_DIR)
    for size in corpus.SUBSET_SIZES:
        corpus.ensure_subset(BENCH_DIR, full, size)
    status = toolenv.ensure_venv(BENCH_DIR, REPO_ROOT, reinstall=args.reinstall)
    if status["failed"]:
        print(f"[bench] could not install: {', '.join(status['failed'])} (rows will say n/a)")
    python = toolenv.python_of(toolenv.venv_dir(BENCH_DIR))
    env = dict(os.environ, **{INNER_FLAG: "1"})
    argv = [str(python), str(Path(__file__).resolve()), *sys.argv[1:]]
    os.execve(str(python), argv, env)


def _selected(key: str, only: list[str], skip: list[str]) -> bool:
    if only and not any(key.startswith(p) for p in only):
        return False
    return not any(key.startswith(p) for p in skip)


def measure_all(args: argparse.Namespace) -> int:
    # Imported here: they need the venv (psutil) and run only in the inner process.
    import cases as cases_mod
    import report
    from measure import Sample, run_measured

    corpus.restore_touched(BENCH_DIR)
    full = corpus.ensure_full(BENCH_DIR)
    subsets = [corpus.ensure_subset(BENCH_DIR, full, n) for n in corpus.SUBSET_SIZES]
    runs = args.runs if args.runs is not None else (1 if args.quick else 5)
    env_dir = toolenv.venv_dir(BENCH_DIR)
    caches = BENCH_DIR / ".corpus" / "caches"
    shutil.rmtree(caches, ignore_errors=True)
    caches.mkdir(parents=True)
    layout = cases_mod.Layout(
        bench_dir=BENCH_DIR,
        env=env_dir,
        corpus=subsets[0] if args.quick else full,
        subsets=[] if args.quick else subsets,
        caches=caches,
        full_mode=not args.quick,
    )
    info = report.machine(REPO_ROOT, toolenv.python_of(toolenv.flake8_venv_dir(BENCH_DIR)))
    report.print_machine(info)
    files = layout.corpus.py_files()
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    print(f"Corpus:  {layout.corpus.tests} ({len(files)} .py files, {size_mb:.1f} MB)")
    print(f"Runs:    {runs} per case, round-robin")

    single = layout.corpus.root / cases_mod.single_file(layout.corpus)
    lines = single.read_bytes().count(b"\n")
    print(f"One file: {single.relative_to(layout.corpus.root)} ({lines} lines, {single.stat().st_size / 1e3:.0f} kB)")
    override = args.scopecheck.resolve() if args.scopecheck is not None else None
    cli = cases_mod.detect_scopecheck(env_dir, override)
    print(f"scopecheck: {cli.exe} (options found: {', '.join(sorted(cli.options)) or 'none'})\n")
    if cli.problem:
        print(f"[bench] scopecheck rows are n/a: {cli.problem}")
    only = [p for p in args.only.split(",") if p]
    skip = [p for p in args.skip.split(",") if p]
    all_cases = [c for c in cases_mod.all_cases(layout, cli) if _selected(c.key, only, skip)]
    active = [c for c in all_cases if c.argv is not None]
    samples: dict[str, list[Sample]] = {c.key: [] for c in all_cases}

    for case in active:
        case.prime()
    started = time.perf_counter()
    try:
        for round_no in range(1, runs + 1):
            for case in active:
                assert case.argv is not None
                case.setup()
                try:
                    sample = run_measured(case.argv, case.cwd)
                finally:
                    case.teardown()
                samples[case.key].append(sample)
                flag = "" if sample.returncode in case.ok_codes else f"  exit {sample.returncode}!"
                print(
                    f"  round {round_no}/{runs}  {case.key:<28} {sample.wall_s:8.3f} s  {sample.peak_mb:6.0f} MB{flag}",
                    flush=True,
                )
    finally:
        corpus.restore_touched(BENCH_DIR)
    elapsed = time.perf_counter() - started
    info["loadavg_at_end"] = report.loadavg()
    print(f"Load at end: {info['loadavg_at_end']}")

    print(f"\nResults: median wall time of {runs} run(s); total {elapsed:.0f} s\n")
    rows = [report.Row(c, samples[c.key]) for c in all_cases]
    table = report.print_table(rows)
    growth = report.linearity(rows)
    checks = report.targets(rows)
    print(
        "\npeak MB = max over runs of max(largest single process RSS, sampled RSS sum of the "
        "process tree); see bench/README.md."
    )

    if not args.no_json:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        payload = {
            "timestamp": stamp,
            "mode": "quick" if args.quick else "full",
            "runs": runs,
            "corpus": {
                "path": str(layout.corpus.tests.relative_to(REPO_ROOT)),
                "files": len(files),
                "bytes": sum(p.stat().st_size for p in files),
            },
            "scopecheck_options": sorted(cli.options),
            "machine": info,
            "rows": table,
            "growth": growth,
            "targets": checks,
        }
        out_dir = BENCH_DIR / "results"
        out_dir.mkdir(exist_ok=True)
        text = json.dumps(payload, indent=2)
        (out_dir / f"{stamp}.json").write_text(text)
        (out_dir / "latest.json").write_text(text)
        print(f"\nWrote bench/results/{stamp}.json and bench/results/latest.json")
    return 0


def main() -> int:
    args = parse_args(sys.argv[1:])
    if os.environ.get(INNER_FLAG) != "1" or not toolenv.in_venv(BENCH_DIR):
        setup_outer(args)  # does not return
    return measure_all(args)


if __name__ == "__main__":
    sys.exit(main())
