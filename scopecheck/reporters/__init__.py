"""Output formats. Each format lives in ``scopecheck/reporters/<name>_format.py`` and exposes
``render(result, options) -> str``; they are imported only when used."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Callable

from scopecheck.findings import FindingKey, Severity

if TYPE_CHECKING:
    from scopecheck.engine import LintResult

FORMATS = ("text", "json", "github", "sarif", "junit")


class ReportOptions:
    def __init__(
        self,
        *,
        color: bool = False,
        show_source: bool = False,
        show_fixes: bool = False,
        fail_on: Severity = Severity.INFO,
        fixes: dict[FindingKey, str] | None = None,
    ) -> None:
        self.color = color
        self.show_source = show_source
        self.show_fixes = show_fixes
        self.fail_on = fail_on  # findings below it do not fail the run (JUnit: not a <failure>)
        # What --fix would do with each finding (safe / unsafe); absent: nothing. See fixes/applicability.py.
        self.fixes = fixes if fixes is not None else {}


Reporter = Callable[["LintResult", ReportOptions], str]


def available_formats() -> list[str]:
    found = []
    for name in FORMATS:
        try:
            importlib.import_module(f"scopecheck.reporters.{name}_format")
        except ImportError:
            continue
        found.append(name)
    return found


def get_reporter(name: str) -> Reporter:
    module = importlib.import_module(f"scopecheck.reporters.{name}_format")
    render: Reporter = module.render
    return render
