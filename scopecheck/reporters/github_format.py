"""``--format github``: GitHub Actions workflow commands, so findings show up as annotations on the
pull request's diff. One ``::error``/``::warning``/``::notice`` line per finding."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from scopecheck.findings import Finding, Severity

if TYPE_CHECKING:
    from scopecheck.engine import LintResult
    from scopecheck.reporters import ReportOptions

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message part: the runner decodes only ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Property values also end at ``,`` and the message starts after ``::``, so both are encoded."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    loc = finding.location
    properties = {
        "file": finding.path.replace(os.sep, "/"),
        "line": str(loc.line),
        "col": str(loc.column),
        "endLine": str(loc.end_line),
        "endColumn": str(loc.end_column),
        "title": f"scopecheck ({finding.code})",
    }
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    text = f"{finding.path}:{loc.line}:{loc.column}: {finding.code} {finding.message}"
    return f"::{_COMMANDS[finding.severity]} {props}::{escape_data(text)}"


def render(result: LintResult, options: ReportOptions) -> str:
    return "".join(command(f) + "\n" for f in result.findings)
