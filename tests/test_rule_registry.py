"""The rule registry is discovered from the rule modules, so it cannot drift from them."""

from __future__ import annotations

from pathlib import Path

import scopecheck.rules
from scopecheck.docs_build import region, replace_region
from scopecheck.rules import ALL_RULES, RULES_BY_CODE, is_rule_module

RULES_DIR = Path(scopecheck.rules.__file__).parent


def test_every_rule_module_is_registered_in_code_order() -> None:
    modules = sorted(path.stem for path in RULES_DIR.glob("scp[0-9][0-9][0-9]_*.py") if is_rule_module(path.stem))
    assert [rule.code for rule in ALL_RULES] == sorted(stem[:6].upper() for stem in modules)
    assert list(RULES_BY_CODE) == [rule.code for rule in ALL_RULES]
    for rule in ALL_RULES:  # scpNNN_<name>.py holds rule SCPNNN
        module = getattr(rule.check, "__module__", "")
        assert module.rsplit(".", 1)[-1].startswith(f"{rule.code.lower()}_"), (rule.code, module)


def test_an_examples_module_holds_the_examples_of_its_rule() -> None:
    import importlib

    examples = sorted(path.stem for path in RULES_DIR.glob("scp[0-9][0-9][0-9]_examples.py"))
    assert not [stem for stem in examples if is_rule_module(stem)]
    for stem in examples:
        module = importlib.import_module(f"scopecheck.rules.{stem}")
        rule = RULES_BY_CODE[stem[:6].upper()]
        assert (rule.bad, rule.good) == (module.BAD, module.GOOD), stem


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


# -- severity by moto version range --------------------------------------------------------------------


def test_severity_by_moto_version_range() -> None:
    from scopecheck.findings import Severity

    assert [RULES_BY_CODE["SCP301"].severity_for(m) for m in (1, 2, 3, 4, 5, 6)] == [Severity.ERROR] * 4 + [
        Severity.INFO
    ] * 2
    assert [RULES_BY_CODE["SCP401"].severity_for(m) for m in (1, 4, 5)] == [
        Severity.INFO,
        Severity.INFO,
        Severity.ERROR,
    ]
    assert {RULES_BY_CODE["SCP201"].severity_for(m) for m in range(1, 7)} == {Severity.ERROR}


def test_severity_ranges_render_in_the_docs_and_the_readme_table() -> None:
    import dataclasses

    from scopecheck.docs import _severity_cell, render_rule, versions_label
    from scopecheck.findings import Severity

    assert [versions_label(r) for r in (range(1, 5), range(4, 5), range(2, 4), range(6, 7))] == [
        "moto < 5",
        "moto 4",
        "moto 2 to 3",
        "moto 6",
    ]
    base = RULES_BY_CODE["SCP201"]
    split = dataclasses.replace(base, severity_by_moto={range(1, 4): Severity.INFO, range(4, 5): Severity.WARNING})
    assert [split.severity_for(m) for m in (1, 3, 4, 5)] == [
        Severity.INFO,
        Severity.INFO,
        Severity.WARNING,
        Severity.ERROR,
    ]
    assert "Default severity: **error (moto >= 5), info (moto < 4), warning (moto 4)**." in render_rule(split)
    assert _severity_cell(split) == "error (info on moto < 4; warning on moto 4)"
    later = dataclasses.replace(base, severity_by_moto={range(6, 7): Severity.INFO})
    assert "Default severity: **error (other moto versions), info (moto 6)**." in render_rule(later)
    assert _severity_cell(RULES_BY_CODE["SCP301"]) == "info, **off by default** (error and on by default on moto < 5)"
    assert _severity_cell(RULES_BY_CODE["SCP401"]) == "error (info on moto < 5)"
