"""Each test as pytest runs it: its setup order, and which mocks are active while each fixture
is set up and while the test body runs (which nests in which).

Fixtures fetched with ``request.getfixturevalue`` are set up during the call, under the test's
decorators. unittest's ``setUp`` runs inside the call, before the test method.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from scopecheck.facts.interpret import flow_of, held_mock
from scopecheck.facts.model import ClassFacts, FileFacts, FunctionFacts, MockActivation
from scopecheck.model.fixtures import FixtureDef
from scopecheck.model.layers import Layers
from scopecheck.model.resolve import SetupResolver, enter


@dataclass
class Activity:
    """A mock that is active, and who activated it."""

    activation: MockActivation
    owner: str  # human description: "fixture 's3' (...)", "the @mock_aws decorator on the class"
    fixture: FixtureDef | None = None


@dataclass
class TestRun:
    """One test as pytest would run it."""

    __test__ = False  # not a pytest test class, despite the name

    file: FileFacts
    fn: FunctionFacts
    cls: ClassFacts | None
    setup_order: list[FixtureDef] = field(default_factory=list)
    active_at_setup: dict[int, list[Activity]] = field(default_factory=dict)  # id(FixtureDef) -> active
    active_at_call: list[Activity] = field(default_factory=list)
    # Fixtures set up during the call, by request.getfixturevalue (active_at_setup has them too).
    call_order: list[FixtureDef] = field(default_factory=list)
    # Activations that happened while another mock was active: (inner, outer).
    nested: list[tuple[Activity, Activity]] = field(default_factory=list)
    # Why the model cannot tell what pytest does for this test; empty when it can.
    unknown: list[str] = field(default_factory=list)

    @property
    def runs_under_mock(self) -> bool:
        return bool(self.active_at_call or self.fn.activations)

    @property
    def steps(self) -> list[FixtureDef]:
        """Every fixture the run sets up, in order: before the call, then during it."""
        return [*self.setup_order, *self.call_order]


def overlaps(outer: MockActivation, inner: MockActivation) -> bool:
    """Whether *inner* re-activates what *outer* already mocks (moto<5 mocks are per service)."""
    if outer.service is None or inner.service is None:
        return True
    return outer.service == inner.service


def class_named(facts: FileFacts, name: str | None) -> ClassFacts | None:
    """The class of *facts* with this qualified name."""
    if name is None:
        return None
    return next((c for c in facts.classes if c.name == name), None)


def is_test_name(fn: FunctionFacts) -> bool:
    return fn.fixture is None and fn.name.startswith("test") and not (fn.is_classmethod or fn.is_staticmethod)


def requested_by_test(facts: FileFacts, fn: FunctionFacts, cls: ClassFacts | None, layers: Layers) -> list[str]:
    """What a test requests, in pytest's order: ``usefixtures`` marks, innermost node first
    (pytest's iter_markers; stacked marks bottom-up), then its arguments. A class node's marks
    are its bases' too, the farthest base first (pytest reads ``pytestmark`` along the reversed
    MRO; the lineage's nearest-first order stands in for the MRO)."""
    requested = list(fn.usefixtures)
    if cls is not None:
        for depth in range(cls.name.count(".") + 1, 0, -1):
            outer = class_named(facts, ".".join(cls.name.split(".")[:depth]))
            if outer is not None:
                lineage, _ = layers.class_lineage(facts, outer.name)
                for _owner, klass in reversed(lineage):
                    requested += klass.usefixtures
    requested += facts.module_usefixtures
    requested += fn.args
    return list(dict.fromkeys(requested))


class RunBuilder:
    """Builds the :class:`TestRun` of every test of a file."""

    def __init__(self, layers: Layers, resolver: SetupResolver) -> None:
        self.layers = layers
        self.resolver = resolver

    def file_runs(self, facts: FileFacts) -> Iterator[TestRun]:
        for fn in facts.functions:
            if fn.is_test:
                yield self.run(facts, fn, class_named(facts, fn.class_name))
        if not facts.is_test_module:
            return
        # Test methods a test class inherits from its bases run as tests of the class.
        for cls in facts.classes:
            if not cls.is_test_class:
                continue
            own = {fn.name for fn in facts.functions if fn.class_name == cls.name}
            lineage, _ = self.layers.class_lineage(facts, cls.name)
            for owner, base in lineage[1:]:
                for fn in owner.functions:
                    if fn.class_name == base.name and is_test_name(fn) and fn.name not in own:
                        own.add(fn.name)
                        yield self.run(facts, fn, cls)

    def run(self, facts: FileFacts, fn: FunctionFacts, cls: ClassFacts | None) -> TestRun:
        class_name = cls.name if cls is not None else None
        layers = self.layers.visible(facts.path, class_name)
        ignore = tuple(fn.parametrize_args) + (tuple(cls.parametrize_args) if cls is not None else ())
        resolved = self.resolver.resolve(layers, requested_by_test(facts, fn, cls, self.layers), ignore=ignore)
        run = TestRun(facts, fn, cls, list(resolved.order), unknown=list(resolved.unknown))
        active: list[Activity] = []
        for fdef in run.setup_order:
            self._set_up(run, fdef, active)
        if cls is not None and cls.mock_decorators:
            dec = cls.mock_decorators[0]
            _activate(run, active, Activity(dec, f"the @{dec.factory} decorator on class {cls.name}"))
        if cls is not None:
            for hook in _setup_hooks(facts, cls.name):
                for activation in hook.activations:
                    if activation.kind == "start":
                        _activate(run, active, Activity(activation, f"{hook.name}() of class {cls.name}"))
        for dec in fn.mock_decorators:
            _activate(run, active, Activity(dec, f"the @{dec.factory} decorator on {fn.name}"))
        run.active_at_call = list(active)
        if fn.dynamic_unknown:
            run.unknown.append(f"test {fn.name} calls request.getfixturevalue with a computed name")
        if fn.dynamic_fixtures:
            # getfixturevalue runs in the body: under the decorators, after every static fixture.
            done = {(f.name, 0) for f in run.setup_order}
            later: list[FixtureDef] = []
            more = self.resolver.resolve(layers, list(fn.dynamic_fixtures), include_autouse=False, ignore=ignore)
            run.unknown += [u for u in more.unknown if u not in run.unknown]
            for name in fn.dynamic_fixtures:
                enter(name, layers, done, later, ignore)
            run.call_order = later
            for fdef in later:
                self._set_up(run, fdef, active)
            run.active_at_call = list(active)
        inner_nestings = [n.inner for n in flow_of(fn).nestings]
        for activation in fn.activations:
            if activation in inner_nestings:
                continue
            # moto<5 mocks are per service: a test's own mock re-activates only what it overlaps.
            outer = next((a for a in active if overlaps(a.activation, activation)), None)
            if outer is not None:
                run.nested.append((Activity(activation, f"test {fn.name}"), outer))
        return run

    @staticmethod
    def _set_up(run: TestRun, fdef: FixtureDef, active: list[Activity]) -> None:
        run.active_at_setup[id(fdef)] = list(active)
        holds = held_mock(fdef.fn)
        if holds is not None:
            _activate(run, active, Activity(holds, fdef.describe(), fdef))
        if fdef.fn.dynamic_unknown:
            run.unknown.append(f"{fdef.describe()} calls request.getfixturevalue with a computed name")


def _activate(run: TestRun, active: list[Activity], activity: Activity) -> None:
    if active:
        outer = next((a for a in active if overlaps(a.activation, activity.activation)), None)
        if outer is not None:
            run.nested.append((activity, outer))
    active.append(activity)


def _setup_hooks(facts: FileFacts, class_name: str | None) -> Iterator[FunctionFacts]:
    """unittest's setUp: it runs inside the call, before the test method (not a fixture)."""
    for fn in facts.functions:
        if fn.class_name == class_name and fn.name == "setUp":
            yield fn
