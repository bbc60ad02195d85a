"""Every rule's examples, linted with every rule: the whole finding set of each is exactly what its
``# expect: SCPnnn`` markers say (so a good example is clean for every rule, not only its own), no
rule crashes on them, and every message is short."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from scopecheck.findings import MESSAGE_LIMIT, Finding
from scopecheck.rules import ALL_RULES
from scopecheck.rules.base import RULE_DOCS_URL, Example, Rule, first_sentence
from tests.helpers import as_markers, example_settings, expected_markers, lint_tree, write_tree

REPO = Path(__file__).resolve().parent.parent

# --- cases that fail only because of rules another branch is changing --------------------------
# The lead deletes an entry when that branch is merged; strict=False, so a case that starts to pass
# before then shows as XPASS, not as a failure.
PENDING_FINDING_SET: dict[str, str] = {}
# Rule code -> the branch that shortens its message.
PENDING_SHORT_MESSAGE: dict[str, str] = {}


def _examples(kind: str) -> Iterator[tuple[str, Rule, Example]]:
    for rule in ALL_RULES:
        for index, example in enumerate(getattr(rule, kind)):
            yield f"{rule.code}-{kind}{index}", rule, example


def _params(kind: str, pending: dict[str, str]) -> list[object]:
    return [
        pytest.param(rule, example, id=case, marks=_xfail(pending[case]) if case in pending else ())
        for case, rule, example in _examples(kind)
    ]


def _xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=False, reason=reason)


def _short_message_params() -> list[object]:
    params = []
    for case, rule, example in _examples("bad"):
        codes = {rule.code} | {code for _, _, code in expected_markers(example.files)}
        branches = sorted({PENDING_SHORT_MESSAGE[c] for c in codes if c in PENDING_SHORT_MESSAGE})
        marks = _xfail(f"message shortened on branch {', '.join(branches)}") if branches else ()
        params.append(pytest.param(rule, example, id=case, marks=marks))
    return params


_LINTED: dict[int, tuple[list[Finding], set[tuple[str, int, str]]]] = {}


@pytest.fixture
def lint_example(tmp_path: Path):
    """Lint an example with every rule (opt-in ones too) at its target moto version, from its root
    as a user would, with its [tool.scopecheck] settings (its pyproject.toml, then its
    ``settings``); each example once per session (several tests read its findings)."""

    def _lint(example: Example) -> tuple[list[Finding], set[tuple[str, int, str]]]:
        if id(example) not in _LINTED:
            write_tree(tmp_path, example.files)
            before = os.getcwd()
            os.chdir(tmp_path)
            try:
                findings = lint_tree(
                    tmp_path,
                    moto_major=example.target_moto,
                    paths=["."],
                    select=["ALL"],
                    settings=example_settings(tmp_path, example),
                )
                _LINTED[id(example)] = (findings, as_markers(tmp_path, findings))
            finally:
                os.chdir(before)
        return _LINTED[id(example)]

    return _lint


@pytest.mark.parametrize(("rule", "example"), _params("bad", PENDING_FINDING_SET))
def test_bad_example_has_exactly_its_marked_findings(rule: Rule, example: Example, lint_example) -> None:
    expected = expected_markers(example.files)
    assert any(code == rule.code for _, _, code in expected), "a bad example must mark its anchor"
    _, found = lint_example(example)
    assert found == expected


@pytest.mark.parametrize(("rule", "example"), _params("good", PENDING_FINDING_SET))
def test_good_example_is_clean_for_every_rule(rule: Rule, example: Example, lint_example) -> None:
    expected = expected_markers(example.files)
    assert all(code != rule.code for _, _, code in expected), "a good example must not be flagged by its rule"
    _, found = lint_example(example)
    assert found == expected  # markers here are other rules' legitimate findings


@pytest.mark.parametrize(("rule", "example"), _short_message_params())
def test_bad_example_messages_are_short_single_lines(rule: Rule, example: Example, lint_example) -> None:
    findings, _ = lint_example(example)
    assert findings
    too_long = [(f.code, len(f.message), f.message) for f in findings if len(f.message) >= MESSAGE_LIMIT]
    assert too_long == []
    assert all("\n" not in f.message for f in findings)


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.code for r in ALL_RULES])
def test_every_rule_has_three_bad_and_three_good_examples(rule: Rule) -> None:
    assert len(rule.bad) >= 3
    assert len(rule.good) >= 3


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.code for r in ALL_RULES])
def test_every_rule_has_a_one_line_help_and_the_url_of_its_page(rule: Rule) -> None:
    assert rule.help and "\n" not in rule.help and rule.help == rule.help.strip()
    assert rule.url == f"{RULE_DOCS_URL}{rule.code}.md"
    assert (REPO / "docs" / "rules" / f"{rule.code}.md").is_file()
    assert RULE_DOCS_URL.endswith("/docs/rules/")


def test_help_defaults_to_the_first_sentence_of_instead() -> None:
    assert first_sentence("Use `mock.stop()`. Then more.") == "Use `mock.stop()`."
    assert first_sentence("Stop it (e.g. in `finally`). Or not.") == "Stop it (e.g. in `finally`)."
    assert first_sentence("Wrap\n   lines.\nSecond.") == "Wrap lines."
    assert first_sentence("No final period") == "No final period"
    assert first_sentence("Prefer `with m: yield. x` here. Next.") == "Prefer `with m: yield. x` here."
