"""``--fix``: libcst rewrites for the rules whose correction is certain (or, opt-in, nearly so)."""

from __future__ import annotations

from scopecheck.fixes.base import FixContext, FixOutcome, Safety, Verdict
from scopecheck.fixes.registry import FIXERS, fixable

__all__ = ["FIXERS", "FixContext", "FixOutcome", "Safety", "Verdict", "fixable"]
