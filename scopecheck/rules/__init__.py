"""The rule registry: every rule, by code, in catalog order.

Rules are discovered, not listed: each module ``scpNNN_<name>.py`` in this package defines one
``RULE``, so adding a rule is adding its module (a test checks that the module name matches it).
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from scopecheck.rules.base import Rule

RULE_MODULE = re.compile(r"scp\d{3}_[a-z0-9_]+")


def _discover() -> tuple[Rule, ...]:
    names = sorted(info.name for info in pkgutil.iter_modules(__path__) if RULE_MODULE.fullmatch(info.name))
    rules = [importlib.import_module(f"{__name__}.{name}").RULE for name in names]
    return tuple(sorted(rules, key=lambda rule: rule.code))


ALL_RULES: tuple[Rule, ...] = _discover()
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}
