"""``--fix`` / ``--diff`` for the command line: which files to fix, writing, diffs, summaries.

The CLI lints first, hands the result here, and reports whatever result comes back. For files
that is the re-lint after writing (so the exit status follows what remains, as with ruff). For
``--diff`` and for stdin this module writes the whole output itself and returns the exit status:
stdin with ``--fix`` prints the fixed source on stdout and the remaining findings on stderr.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable, Optional

import click

from scopecheck.engine import LintRequest, LintResult, lint
from scopecheck.findings import Finding, Severity
from scopecheck.fixes.apply import FileFix, fix_bytes
from scopecheck.fixes.base import FixContext
from scopecheck.fixes.registry import FIXERS
from scopecheck.fixes.writer import WriteSkipped, read_bytes, write_atomically
from scopecheck.source import SourceError, decode_source

EXIT_CLEAN, EXIT_FINDINGS = 0, 1
MIN_FILES_PER_WORKER = 4  # below this a process pool costs more than it saves


@dataclass(frozen=True)
class FixOptions:
    write: bool = True  # False: --diff
    unsafe: bool = False
    show: bool = False
    quiet: bool = False
    exit_zero: bool = False
    exit_non_zero_on_fix: bool = False
    threshold: Severity = Severity.INFO


@dataclass
class FixRun:
    result: LintResult  # what remains, for the CLI to report
    exit_code: int | None = None  # set when the output is complete (--diff, stdin)
    fixed: int = 0
    files_fixed: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def fail(self) -> bool:
        """Whether the CLI must exit non-zero whatever remains."""
        return bool(self.failures)


def _relinter(request: LintRequest, display: str) -> Callable[[bytes], list[Finding]]:
    base = dataclasses.replace(request, paths=[], stdin_filename=display, jobs=1, config=request.config.without_cache())

    def relint(data: bytes) -> list[Finding]:
        found = lint(dataclasses.replace(base, stdin_text=data)).findings
        return [f for f in found if f.path == display]

    return relint


def _decode(data: bytes) -> str:
    try:
        return decode_source(data).text
    except SourceError:
        return data.decode("utf-8", "replace")


def unified_diff(display: str, before: bytes, after: bytes) -> str:
    old = _decode(before).splitlines(keepends=True)
    new = _decode(after).splitlines(keepends=True)
    lines = []
    for line in difflib.unified_diff(old, new, fromfile=display, tofile=display):
        lines.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(lines)


def _show(display: str, fix: FileFix, verb: str) -> list[str]:
    counts = Counter((v.finding.code, v.finding.name) for v in fix.applied)
    lines = [f"{verb} {display}:" if fix.changed else f"Nothing fixed in {display}:"]
    lines += [f"    {n} x {code} ({name}): {FIXERS[code].description}" for (code, name), n in sorted(counts.items())]
    for v in fix.pending:
        lines.append(f"    not fixed: {v.finding.code} at line {v.finding.line}: {v.reason}")
    return lines


def _unsafe_hint(fixes: list[FileFix]) -> str:
    waiting = sum(1 for fix in fixes for v in fix.pending if v.needs_unsafe)
    return f" ({waiting} more with --unsafe-fixes)" if waiting else ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def run_fixes(request: LintRequest, result: LintResult, options: FixOptions) -> FixRun:
    started = time.perf_counter()
    ctx = FixContext(moto_major=request.config.moto_major, allow_unsafe=options.unsafe)
    if request.stdin_text is not None:
        return _run_stdin(request, result, options, ctx)
    displays = sorted({f.path for f in result.findings if f.code in FIXERS})
    run = FixRun(result=result)
    fixes: list[FileFix] = []
    diffs: list[str] = []
    for display, data, fix, problem in _fix_files(request, displays, ctx):
        if fix is None or data is None:
            run.failures.append(f"{display}: {problem}")
            continue
        path = os.path.abspath(display)
        fixes.append(fix)
        run.failures += [f"{display}: {e}" for e in fix.errors]
        if not fix.changed:
            if options.show and fix.pending:
                _err("\n".join(_show(display, fix, "")))
            continue
        if not options.write:
            diffs.append(unified_diff(display, fix.original, fix.fixed))
            run.fixed += len(fix.applied)
            run.files_fixed += 1
            if options.show:
                _err("\n".join(_show(display, fix, "Would fix")))
            continue
        try:
            write_atomically(path, fix.fixed, expected=data)
        except WriteSkipped as exc:
            run.failures.append(f"{display}: {exc}")
            continue
        run.fixed += len(fix.applied)
        run.files_fixed += 1
        if options.show:
            _err("\n".join(_show(display, fix, "Fixed")))
    for failure in run.failures:
        _err(f"scopecheck: {failure}")
    elapsed = time.perf_counter() - started
    if not options.write:
        if diffs:
            click.echo("".join(diffs), nl=False)
        if not options.quiet:
            _err(
                f"scopecheck: would fix {_plural(run.fixed, 'finding')} in {_plural(run.files_fixed, 'file')}"
                f"{_unsafe_hint(fixes)} ({elapsed:.2f}s)"
            )
        run.exit_code = EXIT_FINDINGS if diffs or run.failures else EXIT_CLEAN
        return run
    run.result = lint(request) if run.files_fixed else result
    if not options.quiet:
        _err(
            f"scopecheck: fixed {_plural(run.fixed, 'finding')} in {_plural(run.files_fixed, 'file')}; "
            f"{len(run.result.findings)} remaining{_unsafe_hint(fixes)} ({elapsed:.2f}s)"
        )
    if options.exit_non_zero_on_fix and run.fixed:
        run.failures.append("fixes applied (--exit-non-zero-on-fix)")
    return run


_Job = tuple[LintRequest, str, FixContext]
_Done = tuple[str, Optional[bytes], Optional[FileFix], Optional[str]]


def _fix_one(job: _Job) -> _Done:
    request, display, ctx = job
    try:
        data = read_bytes(os.path.abspath(display))
    except OSError as exc:
        return display, None, None, f"cannot read: {exc.strerror or exc}"
    return display, data, fix_bytes(data, _relinter(request, display), ctx), None


def _fix_files(request: LintRequest, displays: list[str], ctx: FixContext) -> list[_Done]:
    """Compute the fixes, on several cores for many files (libcst is the slow part); the main
    process does all the writing."""
    jobs = [(request, display, ctx) for display in displays]
    workers = min(request.jobs, len(jobs) // MIN_FILES_PER_WORKER)
    if workers > 1:
        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                return list(pool.map(_fix_one, jobs, chunksize=4))
        except (OSError, RuntimeError, BrokenProcessPool):
            pass  # no process pool here: do the work in this process
    return [_fix_one(job) for job in jobs]


def _run_stdin(request: LintRequest, result: LintResult, options: FixOptions, ctx: FixContext) -> FixRun:
    from scopecheck.reporters import ReportOptions, get_reporter

    display = request.stdin_filename or "-"
    data = request.stdin_text or b""
    run = FixRun(result=result)
    fix = fix_bytes(data, _relinter(request, display), ctx) if any(f.code in FIXERS for f in result.findings) else None
    fixed = fix.fixed if fix is not None else data
    for error in fix.errors if fix is not None else []:
        _err(f"scopecheck: {display}: {error}")
    if fix is not None and fix.changed:
        run.fixed, run.files_fixed = len(fix.applied), 1
    if not options.write:
        diff = unified_diff(display, data, fixed) if run.files_fixed else ""
        click.echo(diff, nl=False)
        run.exit_code = EXIT_FINDINGS if diff else EXIT_CLEAN
        return run
    out = getattr(sys.stdout, "buffer", None)
    if out is not None:
        sys.stdout.flush()
        out.write(fixed)
        out.flush()
    else:  # pragma: no cover - a text-only stdout
        click.echo(_decode(fixed), nl=False)
    remaining = lint(dataclasses.replace(request, stdin_text=fixed)) if run.files_fixed else result
    run.result = remaining
    text = get_reporter("text")(remaining, ReportOptions())
    if text:
        click.echo(text, nl=False, err=True)
    if options.show and fix is not None and run.files_fixed:
        _err("\n".join(_show(display, fix, "Fixed")))
    if not options.quiet:
        _err(
            f"scopecheck: fixed {_plural(run.fixed, 'finding')} in {_plural(run.files_fixed, 'file')}; "
            f"{len(remaining.findings)} remaining{_unsafe_hint([fix] if fix else [])}"
        )
    if options.exit_non_zero_on_fix and run.fixed:
        run.exit_code = EXIT_FINDINGS
    elif options.exit_zero:
        run.exit_code = EXIT_CLEAN
    else:
        failing = any(f.severity >= options.threshold for f in remaining.findings)
        run.exit_code = EXIT_FINDINGS if failing or fix is not None and fix.errors else EXIT_CLEAN
    return run


def _err(text: str) -> None:
    click.echo(text, err=True)
