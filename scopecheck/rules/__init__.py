"""The rule registry: every rule, by code, in catalog order.

Rules are discovered, not listed: each module ``scpNNN_<name>.py`` in this package defines one
``RULE``, so adding a rule is adding its module (a test checks that the module name matches it).
A rule whose examples are most of it may keep them beside it in ``scpNNN_examples.py``, which its
rule module imports; that module is no rule.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from scopecheck.rules.base import Rule

RULE_MODULE = re.compile(r"scp\d{3}_[a-z0-9_]+")
EXAMPLES_MODULE = re.compile(r"scp\d{3}_examples")


def is_rule_module(name: str) -> bool:
    """Whether the module *name* of this package holds a rule (an examples module does not)."""
    return bool(RULE_MODULE.fullmatch(name)) and not EXAMPLES_MODULE.fullmatch(name)


def _discover() -> tuple[Rule, ...]:
    names = sorted(info.name for info in pkgutil.iter_modules(__path__) if is_rule_module(info.name))
    rules = [importlib.import_module(f"{__name__}.{name}").RULE for name in names]
    return tuple(sorted(rules, key=lambda rule: rule.code))


ALL_RULES: tuple[Rule, ...] = _discover()
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}
