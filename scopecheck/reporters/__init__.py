"""Output formats. Each reporter turns findings into text for stdout."""

from __future__ import annotations

from typing import Callable

from scopecheck.engine import LintResult
from scopecheck.reporters.json_format import render_json
from scopecheck.reporters.text import render_text

Reporter = Callable[[LintResult, "ReportOptions"], str]


class ReportOptions:
    def __init__(self, *, color: bool = False, show_source: bool = False) -> None:
        self.color = color
        self.show_source = show_source


REPORTERS: dict[str, Reporter] = {"text": render_text, "json": render_json}
