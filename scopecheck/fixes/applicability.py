"""What ``--fix`` would really do with each finding: ``safe``, ``unsafe`` or nothing.

JSON and SARIF announce a fix only when the fixer accepts the finding: each fixer is asked, on the
file as linted, with unsafe fixes allowed so that its verdict carries the safety. A finding it
declines (a ``return`` that is not the fixture's last statement, a removed API with no
replacement) has no fix, even though its rule is fixable elsewhere.
"""

from __future__ import annotations

import os
from collections import defaultdict
from typing import TYPE_CHECKING

from scopecheck.findings import Finding, FindingKey
from scopecheck.fixes.apply import parse_problem
from scopecheck.fixes.base import FixContext
from scopecheck.fixes.registry import FIXERS
from scopecheck.fixes.writer import read_bytes

if TYPE_CHECKING:
    from scopecheck.engine import LintRequest, LintResult


def applicabilities(result: LintResult, request: LintRequest) -> dict[FindingKey, str]:
    """Finding key -> ``"safe"`` / ``"unsafe"`` for each finding ``--fix`` would change."""
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        if finding.code in FIXERS:
            by_path[finding.path].append(finding)
    ctx = FixContext(moto_major=request.config.moto_major, allow_unsafe=True)
    found: dict[FindingKey, str] = {}
    for path, findings in by_path.items():
        data = _data(path, request)
        if data is None or parse_problem(data) is not None:
            continue  # --fix leaves what it cannot read or parse alone
        for code, fixer in FIXERS.items():
            mine = [f for f in findings if f.code == code]
            if not mine:
                continue
            try:
                outcome = fixer.fix(data, mine, ctx)
            except Exception:  # noqa: BLE001 - a fixer that fails here fails under --fix too: no fix
                continue
            if outcome.data == data or parse_problem(outcome.data) is not None:
                continue  # --fix would refuse output that does not parse
            for verdict in outcome.verdicts:
                if verdict.applied and verdict.safety is not None:
                    found[verdict.finding.key()] = verdict.safety.value
    return found


def _data(path: str, request: LintRequest) -> bytes | None:
    if request.stdin_text is not None:
        return request.stdin_text
    try:
        return read_bytes(os.path.abspath(path))
    except OSError:
        return None
