"""Fixing one file's bytes: apply each rule's fixer, re-lint, repeat until nothing changes.

Findings come from a fresh lint of the exact bytes being fixed, so positions always match, and
only findings that survived selection, ``# noqa`` and per-file ignores are ever fixed. After each
fixer the file is linted again, because one fix moves the lines the next one points at.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from scopecheck.findings import Finding
from scopecheck.fixes.base import FixContext, Safety, Verdict
from scopecheck.fixes.registry import FIXERS

MAX_ROUNDS = 4  # every fix removes its finding; more rounds would mean a fixer bug

Relint = Callable[[bytes], list[Finding]]


@dataclass
class FileFix:
    original: bytes
    fixed: bytes
    applied: list[Verdict] = field(default_factory=list)
    pending: list[Verdict] = field(default_factory=list)  # last verdicts of findings not fixed
    errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def parse_problem(data: bytes) -> str | None:
    """Why *data* is not valid Python for both ``ast`` and libcst, or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences and the like: not ours
            ast.parse(data)
        cst.parse_module(data)
    except (SyntaxError, ValueError, cst.ParserSyntaxError) as exc:
        return f"{type(exc).__name__}: {exc}".splitlines()[0]
    return None


def fix_bytes(data: bytes, relint: Relint, ctx: FixContext) -> FileFix:
    result = FileFix(original=data, fixed=data)
    current = data
    findings = relint(current)
    pending: dict[str, list[Verdict]] = {}
    for _ in range(MAX_ROUNDS):
        progressed = False
        for code, fixer in FIXERS.items():
            mine = [f for f in findings if f.code == code]
            if not mine:
                pending.pop(code, None)
                continue
            try:
                outcome = fixer.fix(current, mine, ctx)
            except Exception as exc:  # noqa: BLE001 - a fixer bug must not stop the run
                result.errors.append(f"{code} fix failed ({type(exc).__name__}: {exc}); file left as it was")
                return result
            pending[code] = [v for v in outcome.verdicts if not v.applied]
            if not outcome.applied or outcome.data == current:
                continue
            problem = parse_problem(outcome.data)
            if problem is not None:
                result.errors.append(f"{code} fix produced invalid code ({problem}); not applied")
                continue
            current = outcome.data
            result.applied += outcome.applied
            findings = relint(current)
            progressed = True
        if not progressed:
            break
    result.fixed = current
    result.pending = [v for verdicts in pending.values() for v in verdicts]
    return result


__all__ = ["FileFix", "Safety", "fix_bytes", "parse_problem"]
