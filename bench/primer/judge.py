"""Give baseline findings a verdict, one decision for many findings of one cause.

    python bench/primer/judge.py --suite prowler --code SCP104 --message 'utils.py:111' \\
        fp "Session() built after import moto: lazy credentials, moto's handler (ground truth 14)"

Filters (all optional, all must match; regexes use re.search):
  --suite NAME, --code CODE, --path REGEX (path relative to the suite), --line N,
  --message REGEX, --source REGEX (the suite's source line at the finding, read from the cache),
  --key SUITE:PATH:LINE:CODE (repeatable).
Only unaudited findings are touched unless --overwrite. --dry-run lists what would change.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import UNAUDITED, VERDICTS, Finding, compact, dump_entries, load_entries  # noqa: E402
from suites import cache_root  # noqa: E402

BASELINE = Path(__file__).resolve().parent / "baseline.json"


def source_line(cache: Path, f: Finding, _files: dict[Path, list[str]] = {}) -> str:  # noqa: B006 - memo
    path = cache / f.suite / f.path
    if path not in _files:
        try:
            _files[path] = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            _files[path] = []
    lines = _files[path]
    return lines[f.line - 1] if 0 < f.line <= len(lines) else ""


def matches(f: Finding, args: argparse.Namespace, cache: Path) -> bool:
    if args.key and f"{f.suite}:{f.path}:{f.line}:{f.code}" not in args.key:
        return False
    if args.suite and f.suite != args.suite:
        return False
    if args.code and f.code != args.code:
        return False
    if args.path and not re.search(args.path, f.path):
        return False
    if args.line is not None and f.line != args.line:
        return False
    if args.message and not re.search(args.message, f.message):
        return False
    if args.source and not re.search(args.source, source_line(cache, f)):
        return False
    return args.overwrite or f.verdict == UNAUDITED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Set a verdict on baseline findings that match the filters.")
    parser.add_argument("verdict", choices=[*VERDICTS, UNAUDITED])
    parser.add_argument("reason", help="one line")
    parser.add_argument("--suite")
    parser.add_argument("--code")
    parser.add_argument("--path")
    parser.add_argument("--line", type=int)
    parser.add_argument("--message")
    parser.add_argument("--source")
    parser.add_argument("--key", action="append")
    parser.add_argument("--overwrite", action="store_true", help="also change findings that have a verdict")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    parser.add_argument("--cache")
    args = parser.parse_args(argv)
    if "\n" in args.reason:
        parser.error("the reason is one line")

    cache = cache_root(args.cache)
    header, findings = load_entries(args.baseline)
    hit = [f for f in findings if matches(f, args, cache)]
    for f in hit:
        if args.dry_run:
            print(f"  {f.verdict} -> {args.verdict}: " + compact(f))
        else:
            f.verdict, f.reason = args.verdict, args.reason
    if not args.dry_run:
        args.baseline.write_text(dump_entries(header, findings, with_verdict=True), encoding="utf-8")
    left = sum(1 for f in findings if f.verdict == UNAUDITED)
    print(f"{len(hit)} finding(s) {'would be ' if args.dry_run else ''}set to {args.verdict}; {left} unaudited left")
    return 0 if hit else 1


if __name__ == "__main__":
    sys.exit(main())
