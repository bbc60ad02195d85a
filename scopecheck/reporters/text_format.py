"""``path:line:col: CODE message``, one finding per line (flake8's format); with ``--show-source``,
the line, a caret under the column and a ``help:`` line with the fix."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from scopecheck.findings import Severity
from scopecheck.source import split_lines

if TYPE_CHECKING:
    from scopecheck.engine import LintResult
    from scopecheck.reporters import ReportOptions

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(result: LintResult, options: ReportOptions) -> str:
    lines: list[str] = []
    for f in result.findings:
        where = f"{f.path}:{f.line}:{f.column}:"
        code = f.code
        if options.color:
            where = click.style(where, bold=True)
            code = click.style(code, fg=_COLORS[f.severity], bold=True)
        lines.append(f"{where} {code} {f.message}")
        if options.show_source:
            text = result.source_of(f.path)
            source_lines = split_lines(text) if text else []
            if 0 < f.line <= len(source_lines):
                source = source_lines[f.line - 1].expandtabs(1)
                lines.append(f"    {source}")
                lines.append("    " + " " * (f.column - 1) + "^")
            hint = f.hint
            if hint:
                # The fix, as ruff's ``help:``; the why is in ``--explain CODE``.
                label = click.style("help:", bold=True) if options.color else "help:"
                lines.append(f"    {label} {hint}")
    return "\n".join(lines) + ("\n" if lines else "")
