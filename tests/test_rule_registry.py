"""The rule registry is discovered from the rule modules, so it cannot drift from them."""

from __future__ import annotations

from pathlib import Path

import scopecheck.rules
from scopecheck.docs_build import region, replace_region
from scopecheck.rules import ALL_RULES, RULES_BY_CODE

RULES_DIR = Path(scopecheck.rules.__file__).parent


def test_every_rule_module_is_registered_in_code_order() -> None:
    modules = sorted(path.stem for path in RULES_DIR.glob("scp[0-9][0-9][0-9]_*.py"))
    assert [rule.code for rule in ALL_RULES] == sorted(stem[:6].upper() for stem in modules)
    assert list(RULES_BY_CODE) == [rule.code for rule in ALL_RULES]
    for rule in ALL_RULES:  # scpNNN_<name>.py holds rule SCPNNN
        module = getattr(rule.check, "__module__", "")
        assert module.rsplit(".", 1)[-1].startswith(f"{rule.code.lower()}_"), (rule.code, module)


def test_no_rule_module_is_listed_by_hand() -> None:
    init = (RULES_DIR / "__init__.py").read_text(encoding="utf-8")
    assert not [rule.code for rule in ALL_RULES if rule.code.lower() in init]


def test_generated_regions_keep_their_markers_and_surroundings() -> None:
    text = "before\n<!-- BEGIN rules (a note) -->\nold\n<!-- END rules -->\nafter\n"
    new = replace_region(text, "rules", "| a |\n")
    assert new == "before\n<!-- BEGIN rules (a note) -->\n| a |\n<!-- END rules -->\nafter\n"
    assert region(new, "rules") == "| a |\n"
    assert replace_region(new, "rules", "| a |\n") == new
    try:
        region("no markers", "rules")
    except ValueError as error:
        assert "BEGIN rules" in str(error)
    else:
        raise AssertionError("missing markers must raise")
