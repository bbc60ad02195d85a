"""What the ``scopecheck`` command line prints: the report, its summary lines, ``--list-rules``,
``--explain``, the runtime cross-check and the progress counter."""

from __future__ import annotations

import os
import sys
from collections import Counter
from typing import TYPE_CHECKING, TextIO

import click

from scopecheck.cli_options import UsageProblem
from scopecheck.findings import Severity

if TYPE_CHECKING:  # imported when used: a plain lint never loads the cross-check
    from scopecheck.engine import LintRequest, LintResult
    from scopecheck.findings import Finding
    from scopecheck.runtime_report import Runtime


def list_rules(moto_major: int, output_format: str = "text") -> str:
    from scopecheck.rules import ALL_RULES

    if output_format == "json":
        import json

        items = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity_for(moto_major).label,
                "summary": r.short,
                "fixable": _fixable(r.code),
                "url": r.url,
            }
            for r in ALL_RULES
        ]
        return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
    rows = []
    for rule in ALL_RULES:
        severity = rule.severity_for(moto_major).label
        off = "" if rule.on_by_default(moto_major) else f" (off by default on moto >= {rule.opt_in_from_moto})"
        rows.append(f"{rule.code}  {rule.name:<24} {severity:<8} {rule.short}{off}")
    return "\n".join(rows) + "\n"


def _fixable(code: str) -> bool:
    from scopecheck.fixes.registry import fixable

    return fixable(code)


def explain(code: str) -> str:
    from scopecheck.docs import render_rule
    from scopecheck.rules import RULES_BY_CODE

    rule = RULES_BY_CODE.get(code.strip().upper())
    if rule is None:
        raise UsageProblem(f"--explain: unknown rule code {code!r} (see --list-rules)")
    return render_rule(rule)


def use_color(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def summary(findings_by_severity: Counter, files: int) -> str:
    total = sum(findings_by_severity.values())
    plural = "s" if files != 1 else ""
    if not total:
        return f"scopecheck: no findings in {files} file{plural}."
    parts = []
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        count = findings_by_severity.get(severity, 0)
        if count:
            name = severity.label + ("s" if count != 1 and severity != Severity.INFO else "")
            parts.append(f"{count} {name}")
    return f"scopecheck: {total} finding{'s' if total != 1 else ''} ({', '.join(parts)}) in {files} file{plural}."


def print_report(
    result: LintResult,
    request: LintRequest,
    output_format: str,
    *,
    color: bool | None,
    show_source: bool,
    threshold: Severity,
    statistics: bool,
) -> None:
    """The findings in *output_format* on stdout, then ``--statistics``' counts per code."""
    from scopecheck.reporters import ReportOptions, get_reporter

    try:
        reporter = get_reporter(output_format)
    except ImportError:
        raise UsageProblem(f"--format {output_format} is not available in this version") from None
    options = ReportOptions(
        color=use_color(color) and output_format == "text", show_source=show_source, fail_on=threshold
    )
    if output_format in ("json", "sarif"):
        from scopecheck.fixes.applicability import applicabilities

        options.fixes = applicabilities(result, request)
    output = reporter(result, options)
    click.echo(output, nl=False, color=options.color)
    if statistics:
        counts = Counter((f.code, f.name) for f in result.findings)
        lines = [f"{n:>5}  {code}  {name}" for (code, name), n in sorted(counts.items())]
        if lines:
            click.echo("\n".join(lines), err=output_format != "text")


def print_summary(result: LintResult, path_list: list[str], reads_stdin: bool) -> None:
    """The skipped files and the summary line on stderr (not with ``--quiet``)."""
    for path, reason in result.skipped:
        click.echo(f"scopecheck: skipped {path}: {reason}", err=True)
    click.echo(summary(Counter(f.severity for f in result.findings), result.files_scanned), err=True)
    if not result.files_scanned and not reads_stdin and not result.skipped:
        # As ruff does: a path with nothing to lint is worth a line, not a silent pass.
        click.echo(f"scopecheck: warning: no Python files found in {', '.join(path_list)}", err=True)


def print_cross_check(findings: list[Finding], runtime: Runtime, output_format: str) -> None:
    import json

    from scopecheck.runtime_report import cross_check, render, to_json

    check = cross_check(findings, runtime)
    if output_format == "json":
        click.echo(json.dumps(to_json(check), indent=2))
    else:
        click.echo(render(check), nl=False)


class ProgressBar:
    """A one-line counter on stderr while many files are analysed; erased when done."""

    MIN_FILES = 200

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if total < self.MIN_FILES:
            return
        write = self.stream.write
        write(f"\rscopecheck: analysing {done}/{total} files")
        self.shown = True
        if done >= total:
            write("\r\x1b[K")
            self.shown = False
        self.stream.flush()


def progress_bar() -> ProgressBar | None:
    """Only on a terminal: redirected or piped stderr gets no progress noise."""
    stream = sys.stderr
    return ProgressBar(stream) if stream.isatty() else None
