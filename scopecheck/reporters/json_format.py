"""``--format json``: a JSON array of findings and nothing else on stdout."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scopecheck.engine import LintResult
    from scopecheck.reporters import ReportOptions


def render(result: LintResult, options: ReportOptions) -> str:
    items = [f.to_dict(options.fixes.get(f.key())) for f in result.findings]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
