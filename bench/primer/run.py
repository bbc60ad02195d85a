"""Run scopecheck over the primer and compare with the audited baseline.

    python bench/primer/run.py                      # all suites present in the cache
    python bench/primer/run.py --suite prowler      # one suite (repeatable)
    python bench/primer/run.py --extend-select SCP301
    python bench/primer/run.py --update             # write the snapshot into the baseline

Each suite runs as a user would run it, from the project root:
``scopecheck --no-cache --format json --target-moto-version <suite's> <lint folder>``.
The findings go to bench/primer/snapshot.json (git-ignored) and are compared with
bench/primer/baseline.json, where every finding has a verdict (hazard, hint, fp) and a reason.

Exit status 1 when a finding has no verdict (new, or still "unaudited"), when a finding judged
hazard/hint is gone, or when scopecheck failed on a suite; 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import (  # noqa: E402
    Finding,
    compact,
    compare,
    dump_entries,
    load_entries,
    markdown_rules,
    merge_raw,
    problem_lines,
    report_lines,
    with_verdicts,
)
from suites import HERE, Suite, cache_root, is_present, load_suites, suite_dir  # noqa: E402

SNAPSHOT = HERE / "snapshot.json"
BASELINE = HERE / "baseline.json"
_FILES = re.compile(r"in (\d+) files?\.")


def scopecheck_command() -> list[str]:
    exe = shutil.which("scopecheck")
    if exe:
        return [exe]
    return [sys.executable, "-m", "scopecheck"]


def run_suite(suite: Suite, cache: Path, extend_select: str | None) -> tuple[list[Finding], dict]:
    root = suite_dir(cache, suite)
    cmd = [*scopecheck_command(), "--no-cache", "--format", "json", "--target-moto-version", str(suite.moto)]
    if extend_select:
        cmd += ["--extend-select", extend_select]
    cmd.append(suite.lint)
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    seconds = round(time.monotonic() - start, 1)
    info: dict = {"source": suite.source, "moto": suite.moto, "lint": suite.lint, "seconds": seconds}
    m = _FILES.search(proc.stderr)
    if m:
        info["files"] = int(m.group(1))
    if proc.returncode not in (0, 1) or "Traceback" in proc.stderr:
        info["error"] = f"exit {proc.returncode}: " + (proc.stderr.strip().splitlines() or [""])[-1][:200]
    try:
        raw = json.loads(proc.stdout or "[]")
    except json.JSONDecodeError as exc:
        info["error"] = f"unreadable JSON output: {exc}"
        raw = []
    if isinstance(raw, dict):  # tolerate a wrapped format
        raw = raw.get("findings", [])
    for item in raw:
        item["path"] = suite_relative(root, str(item.get("path", "")))
    return merge_raw(suite.name, raw), info


def suite_relative(root: Path, reported: str, _index: dict[Path, list[str]] = {}) -> str:  # noqa: B006 - memo
    """The reported path relative to the suite root, whatever base scopecheck used (the working
    directory, the guessed project root, or an absolute path), so keys stay stable."""
    path = Path(reported)
    if path.is_absolute():
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()
    if (root / path).is_file():
        return path.as_posix()
    # Relative to a nested project root: the one file under the suite whose path ends with it.
    if root not in _index:
        _index[root] = [p.relative_to(root).as_posix() for p in root.rglob("*.py")]
    tail = "/" + path.as_posix()
    found = [p for p in _index[root] if p.endswith(tail)]
    return found[0] if len(found) == 1 else path.as_posix()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run scopecheck over the primer suites and compare with the baseline.")
    parser.add_argument("--suite", action="append", help="only this suite (repeatable)")
    parser.add_argument("--cache", help="cache folder (default: $SCOPECHECK_PRIMER_CACHE or /work/primer-cache)")
    parser.add_argument("--extend-select", help="passed to scopecheck")
    parser.add_argument("--update", action="store_true", help="write the snapshot into the baseline, keeping verdicts")
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT)
    parser.add_argument(
        "--from-snapshot", action="store_true", help="do not run scopecheck: compare the existing snapshot"
    )
    parser.add_argument(
        "--allow-gone-hints", action="store_true", help="only a gone hazard fails the run (not a gone hint)"
    )
    parser.add_argument("--markdown", action="store_true", help="also print the tables of docs/accuracy.md")
    parser.add_argument("--full", action="store_true", help="list findings with their whole message")
    parser.add_argument("--limit", type=int, default=50, help="findings listed per problem kind (default 50)")
    args = parser.parse_args(argv)

    suites = load_suites()
    if args.suite:
        unknown = set(args.suite) - {s.name for s in suites}
        if unknown:
            print(f"unknown suite(s): {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        suites = [s for s in suites if s.name in args.suite]
    cache = cache_root(args.cache)

    errors: list[str] = []
    if args.from_snapshot:
        header, snapshot = load_entries(args.snapshot)
        ran = {name for name in header.get("suites", {}) if any(s.name == name for s in suites)}
        snapshot = [f for f in snapshot if f.suite in ran]
    else:
        snapshot, infos, ran = [], {}, set()
        for suite in suites:
            if not is_present(cache, suite):
                print(f"{suite.name}: not in {cache} (python bench/primer/fetch.py), skipped", file=sys.stderr)
                continue
            found, info = run_suite(suite, cache, args.extend_select)
            ran.add(suite.name)
            infos[suite.name] = info
            snapshot += found
            if "error" in info:
                errors.append(f"{suite.name}: {info['error']}")
            files = info.get("files", "?")
            n = sum(f.count for f in found)
            print(f"{suite.name}: {n} findings in {files} files ({info['seconds']} s)", file=sys.stderr)
        header = {"suites": infos, "extend_select": args.extend_select or ""}
        args.snapshot.write_text(dump_entries(header, snapshot, with_verdict=False), encoding="utf-8")

    baseline_header, baseline = load_entries(args.baseline) if args.baseline.exists() else ({}, [])
    cmp = compare(snapshot, baseline, suites=ran)
    if args.allow_gone_hints:
        cmp.must_stay = ("hazard",)
    print("\n".join(report_lines(cmp)))
    print(
        f"\n{len(ran)} suites run; {sum(f.count for f in cmp.current)} findings; "
        f"{sum(f.count for f in cmp.new)} new, {sum(f.count for f in cmp.gone)} gone"
    )

    width = 10**6 if args.full else 140
    if args.markdown:
        print("\n" + "\n".join(markdown_suites(suites, args.snapshot)))
        print("\n" + "\n".join(markdown_rules(cmp)))

    if args.update:
        merged = with_verdicts(cmp, ran, baseline)
        header = dict(baseline_header)
        header.setdefault("about", "Every primer finding with a verdict: hazard, hint or fp (see docs/accuracy.md).")
        header["suites"] = {**baseline_header.get("suites", {}), **(header_suites(args, ran))}
        args.baseline.write_text(dump_entries(header, merged, with_verdict=True), encoding="utf-8")
        print(f"baseline written: {args.baseline} ({len(merged)} entries)")
        if cmp.gone:
            print(f"dropped {len(cmp.gone)} gone entries ({len(cmp.gone_true)} judged hazard/hint):")
            print("\n".join(f"  [{f.verdict}] " + compact(f, width) for f in cmp.gone[: args.limit]))
        if cmp.unaudited:
            print(f"{len(cmp.unaudited)} unaudited (set verdict + reason in the baseline, or use judge.py):")
            print("\n".join("  " + compact(f, width) for f in cmp.unaudited))
        return 1 if cmp.failed or errors else 0

    for line in problem_lines(cmp, args.limit, width):
        print(line)
    for line in errors:
        print(f"scopecheck failed: {line}")
    return 1 if cmp.failed or errors else 0


def markdown_suites(suites: list[Suite], snapshot: Path) -> list[str]:
    """The suite table of docs/accuracy.md: files linted come from the snapshot."""
    try:
        info = load_entries(snapshot)[0].get("suites", {})
    except (OSError, ValueError):
        info = {}
    lines = ["| suite | source | linted | files | moto | style |", "|---|---|---|---:|---:|---|"]
    for s in suites:
        files = info.get(s.name, {}).get("files", "-")
        source = s.source if s.kind == "pypi" else f"{s.source.split('@')[0]}@{s.github[2][:10]}"
        moto = s.moto if s.uses_moto else f"none ({s.moto})"
        lines.append(f"| {s.name} | `{source}` | `{s.lint}` | {files} | {moto} | {s.style} |")
    return lines


def header_suites(args: argparse.Namespace, ran: set[str]) -> dict:
    """Per-suite facts (files linted, seconds) from the snapshot just written."""
    try:
        header, _ = load_entries(args.snapshot)
    except (OSError, ValueError):
        return {}
    keep = ("source", "moto", "lint", "files")  # no timings: the baseline diff stays quiet
    return {
        name: {k: info[k] for k in keep if k in info} for name, info in header.get("suites", {}).items() if name in ran
    }


if __name__ == "__main__":
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    sys.exit(main())
