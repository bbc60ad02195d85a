"""Mocks activated while another mock is already active for the same code (SCP301's question).

Three shapes, each found where it is decided: inside one function (a ``with`` inside a ``with``,
a ``with`` under the function's or its class's decorator); across a test run (a fixture, a
decorator or a ``setUp`` activating under a mock an earlier fixture holds); and a fixture that
holds a mock while a fixture it requests holds one too (found even when no scanned test uses it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scopecheck.facts.interpret import flow_of, held_mock
from scopecheck.facts.model import FileFacts, FunctionFacts, MockActivation
from scopecheck.model.fixtures import FixtureDef
from scopecheck.model.runs import class_named, overlaps

if TYPE_CHECKING:
    from scopecheck.model.suite import Suite


@dataclass(frozen=True)
class Nesting:
    """An activation (*inner*) that starts while *outer* is active and mocks the same thing."""

    inner: MockActivation
    inner_file: FileFacts  # where the inner activation is written
    outer: MockActivation
    outer_path: str  # where the outer activation is written
    outer_fixture: FixtureDef | None = None  # the fixture holding the outer mock, if one does


def local_outer(facts: FileFacts, fn: FunctionFacts, inner: MockActivation) -> MockActivation | None:
    """Which activation of the same function still active (or its decorators) *inner* nests in."""
    candidates = list(fn.mock_decorators)
    cls = class_named(facts, fn.class_name)
    if cls is not None and fn.fixture is None and not (fn.is_classmethod or fn.is_staticmethod):
        candidates += cls.mock_decorators
    outer = next((act for act in candidates if overlaps(act, inner)), None)  # decorators are outermost
    return outer


def find_nestings(suite: Suite) -> Iterator[Nesting]:
    """Every nesting in the suite: local ones (files in path order), then those of each test
    run (in :meth:`Suite.tests` order), then fixtures nesting in a fixture they request."""
    paths = [p for p in sorted(suite.files) if suite.files[p].parse_error is None]
    for path in paths:
        facts = suite.files[path]
        for fn in facts.functions:
            for nested in flow_of(fn).nestings:
                inner = nested.inner
                outer = local_outer(facts, fn, inner) or nested.outer
                if outer is not None:
                    yield Nesting(inner, facts, outer, facts.path)
    for run in suite.tests():
        for inner_activity, outer_activity in run.nested:
            inner_file = inner_activity.fixture.file if inner_activity.fixture else run.file
            holder = outer_activity.fixture
            outer_path = holder.file.path if holder is not None else run.file.path
            yield Nesting(inner_activity.activation, inner_file, outer_activity.activation, outer_path, holder)
    for path in paths:
        facts = suite.files[path]
        for fn in facts.functions:
            holds = held_mock(fn) if fn.fixture else None
            if holds is None:
                continue
            for dep in suite.fixture_setup_order(facts, fn):
                dep_holds = dep.holds_mock
                if dep.fn is not fn and dep_holds is not None and overlaps(dep_holds, holds):
                    yield Nesting(holds, facts, dep_holds, dep.file.path, dep)
                    break
