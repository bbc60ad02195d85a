"""Fixes as the rules' examples carry them: each bad example of a fixable rule states the whole
text ``--fix`` makes of it (``Example(fixed=...)``), the fix is idempotent and parses, and what
JSON/SARIF announce for each finding (``fix.applicability``) is what ``--fix`` and
``--unsafe-fixes`` really do with it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from scopecheck.engine import LintRequest, LintResult, lint
from scopecheck.fixes.applicability import applicabilities
from scopecheck.fixes.apply import fix_bytes, parse_problem
from scopecheck.fixes.base import FixContext
from scopecheck.fixes.command import FixOptions, _relinter, run_fixes
from scopecheck.fixes.registry import FIXERS
from scopecheck.rules import ALL_RULES
from scopecheck.rules.base import Example, Rule
from scopecheck.run_config import resolve
from tests.helpers import example_settings, write_tree

FIXABLE = [rule for rule in ALL_RULES if rule.fixer is not None]


def _bad_examples() -> Iterator[object]:
    for rule in FIXABLE:
        for index, example in enumerate(rule.bad):
            yield pytest.param(rule, example, id=f"{rule.code}-bad{index}")


def _request(root: Path, example: Example) -> LintRequest:
    settings = example_settings(root, example)
    config = resolve(settings, str(root), select=["ALL"], target_moto=example.target_moto, root=str(root))
    return LintRequest(paths=["."], config=config)


def _lint(root: Path, example: Example) -> tuple[LintRequest, LintResult]:
    request = _request(root, example)
    result = lint(request)
    assert result.internal_errors == []
    return request, result


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_fixers_are_the_rules_fixers_in_order() -> None:
    assert list(FIXERS) == ["SCP404", "SCP401", "SCP202", "SCP201"]
    assert all(fixer.code == code for code, fixer in FIXERS.items())
    assert {r.code for r in FIXABLE} == set(FIXERS)
    assert all(r.fix_safety for r in FIXABLE)


@pytest.mark.parametrize(("rule", "example"), list(_bad_examples()))
def test_every_bad_example_of_a_fixable_rule_states_its_fixed_text(rule: Rule, example: Example) -> None:
    assert example.fixed is not None, "add fixed={file: text after --fix} to the example"
    assert set(example.fixed) <= set(example.files)


@pytest.mark.parametrize(("rule", "example"), list(_bad_examples()))
def test_fix_gives_exactly_the_fixed_text_idempotently(rule: Rule, example: Example, project: Path) -> None:
    assert example.fixed is not None
    write_tree(project, example.files)
    request, result = _lint(project, example)
    run_fixes(request, result, FixOptions(unsafe=example.unsafe, quiet=True))
    after = {name: (project / name).read_text(encoding="utf-8") for name in example.files}
    assert {name: after[name] for name in example.fixed} == dict(example.fixed)
    assert {n: t for n, t in after.items() if n not in example.fixed} == {
        n: t for n, t in example.files.items() if n not in example.fixed
    }
    for name in example.fixed:
        assert parse_problem(after[name].encode("utf-8")) is None
    request, result = _lint(project, example)
    run_fixes(request, result, FixOptions(unsafe=example.unsafe, quiet=True))
    assert {name: (project / name).read_text(encoding="utf-8") for name in example.files} == after


@pytest.mark.parametrize(("rule", "example"), list(_bad_examples()))
def test_announced_applicability_is_what_fix_does(rule: Rule, example: Example, project: Path) -> None:
    write_tree(project, example.files)
    request, result = _lint(project, example)
    announced = applicabilities(result, request)
    applied: dict[bool, set[tuple[str, int, int, str]]] = {}
    for unsafe in (False, True):
        keys = set()
        for display in sorted({f.path for f in result.findings if f.code in FIXERS}):
            data = (project / display).read_bytes()
            fix = fix_bytes(data, _relinter(request, display), FixContext(request.config.moto_major, unsafe))
            assert fix.errors == []
            keys |= {v.finding.key() for v in fix.applied}
        applied[unsafe] = keys
    assert {k for k, a in announced.items() if a == "safe"} == applied[False]
    assert set(announced) == applied[True]
    assert set(announced.values()) <= {"safe", "unsafe"}


def _dump_fixed() -> None:  # pragma: no cover - a helper for writing the examples' fixed texts
    import tempfile

    for rule in FIXABLE:
        for index, example in enumerate(rule.bad):
            root = Path(tempfile.mkdtemp())
            write_tree(root, example.files)
            os.chdir(root)
            request, result = _lint(root, example)
            run_fixes(request, result, FixOptions(unsafe=example.unsafe, quiet=True))
            for name in example.files:
                text = (root / name).read_text(encoding="utf-8")
                if text != example.files[name]:
                    print(f"=== {rule.code} bad{index} {name}\n{text}")
                else:
                    print(f"=== {rule.code} bad{index} {name} UNCHANGED")


if __name__ == "__main__":  # pragma: no cover
    _dump_fixed()
