"""Every rule's bad examples are flagged exactly at their marked anchor lines; good ones are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from scopecheck.rules import ALL_RULES
from scopecheck.rules.base import Example, Rule
from tests.helpers import as_markers, expected_markers, lint_tree, write_tree

BAD = [(rule, i, ex) for rule in ALL_RULES for i, ex in enumerate(rule.bad)]
GOOD = [(rule, i, ex) for rule in ALL_RULES for i, ex in enumerate(rule.good)]


@pytest.mark.parametrize(("rule", "index", "example"), BAD, ids=[f"{r.code}-bad{i}" for r, i, _ in BAD])
def test_bad_example_is_flagged_at_its_anchor_lines(rule: Rule, index: int, example: Example, tmp_path: Path) -> None:
    write_tree(tmp_path, example.files)
    expected = expected_markers(example.files)
    assert any(code == rule.code for _, _, code in expected), "a bad example must mark its anchor"
    codes = {rule.code} | {code for _, _, code in expected}
    found = as_markers(tmp_path, lint_tree(tmp_path, moto_major=example.target_moto, select=["ALL"]))
    assert {m for m in found if m[2] in codes} == expected


@pytest.mark.parametrize(("rule", "index", "example"), GOOD, ids=[f"{r.code}-good{i}" for r, i, _ in GOOD])
def test_good_example_is_not_flagged(rule: Rule, index: int, example: Example, tmp_path: Path) -> None:
    write_tree(tmp_path, example.files)
    found = as_markers(tmp_path, lint_tree(tmp_path, moto_major=example.target_moto, select=["ALL"]))
    assert {m for m in found if m[2] == rule.code} == set()


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.code for r in ALL_RULES])
def test_every_rule_has_three_bad_and_three_good_examples(rule: Rule) -> None:
    assert len(rule.bad) >= 3
    assert len(rule.good) >= 3
