"""Rule code -> fixer, from each rule's ``fixer`` reference. The order is the order fixes are
applied in a file: by code, highest first, so that SCP4xx migrations run before the SCP2xx fixes,
which then see (and keep) ``mock_aws`` rather than a service mock."""

from __future__ import annotations

import importlib

from scopecheck.fixes.base import Fixer
from scopecheck.rules import ALL_RULES


def _load(reference: str) -> Fixer:
    module, _, name = reference.partition(":")
    fixer: Fixer = getattr(importlib.import_module(module), name)()
    return fixer


FIXERS: dict[str, Fixer] = {
    rule.code: _load(rule.fixer)
    for rule in sorted(ALL_RULES, key=lambda r: r.code, reverse=True)
    if rule.fixer is not None
}


def fixable(code: str) -> bool:
    return code in FIXERS
