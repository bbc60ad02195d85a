"""The test suite as pytest would run it: fixture visibility, setup order, and active mocks.

Built from :class:`FileFacts` of every scanned file plus the conftest.py files above them. It
answers, for each test, which fixtures pytest sets up and in which order (scope first, then
autouse, ``usefixtures`` and argument order, dependencies depth first), and which mock is active
while each of those fixtures and the test itself run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from scopecheck.facts.model import ClassFacts, FileFacts, FunctionFacts, MockActivation
from scopecheck.model.imports import ImportResolver

SCOPE_RANK = {"session": 0, "package": 1, "module": 2, "class": 3, "function": 4, "unknown": 4}


@dataclass(frozen=True)
class FixtureDef:
    file: FileFacts
    fn: FunctionFacts

    @property
    def name(self) -> str:
        assert self.fn.fixture is not None
        return self.fn.fixture.name

    @property
    def scope(self) -> str:
        assert self.fn.fixture is not None
        return self.fn.fixture.scope

    @property
    def autouse(self) -> bool:
        return bool(self.fn.fixture and self.fn.fixture.autouse)

    def describe(self) -> str:
        return f"fixture '{self.name}' ({self.scope} scope, {os.path.basename(self.file.path)}:{self.fn.loc.line})"


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
    # Activations that happened while another mock was active: (inner, outer).
    nested: list[tuple[Activity, Activity]] = field(default_factory=list)

    @property
    def runs_under_mock(self) -> bool:
        return bool(self.active_at_call or self.fn.activations)


@dataclass
class _Layer:
    """One place fixtures are defined and visible from: a class, a module, a conftest, a plugin."""

    file: FileFacts
    fixtures: dict[str, FixtureDef]
    autouse: list[FixtureDef]


class Suite:
    def __init__(self, files: dict[str, FileFacts], *, root: str) -> None:
        self.files = files  # absolute path -> facts
        self.root = os.path.abspath(root)
        self._module_layers: dict[str, _Layer] = {}
        self._class_layers: dict[tuple[str, str], _Layer] = {}
        self._by_module_name: dict[str, str] = {}
        for path, facts in files.items():
            self._index(path, facts)
        self._runs: list[TestRun] | None = None
        self._conftest_memo: dict[str, list[str]] = {}
        self._credentials_memo: dict[str, bool] = {}
        self._layers_memo: dict[tuple[str, str | None], list[_Layer]] = {}
        self._order_memo: dict[tuple[int, tuple[str, ...], bool], list[FixtureDef]] = {}
        self._moto_files: set[str] | None = None
        self.imports: ImportResolver | None = None  # set by the engine when imports can be followed

    # -- indexing ------------------------------------------------------------------------------
    def _index(self, path: str, facts: FileFacts) -> None:
        module = _Layer(facts, {}, [])
        classes: dict[str, _Layer] = {}
        for fn in facts.functions:
            if fn.fixture is None:
                continue
            fdef = FixtureDef(facts, fn)
            layer = module if fn.class_name is None else classes.setdefault(fn.class_name, _Layer(facts, {}, []))
            layer.fixtures[fdef.name] = fdef
            if fdef.autouse:
                layer.autouse.append(fdef)
        self._module_layers[path] = module
        for name, layer in classes.items():
            self._class_layers[(path, name)] = layer
        rel = os.path.relpath(path, self.root)
        if not rel.startswith(".."):
            dotted = rel[:-3].replace(os.sep, ".") if rel.endswith(".py") else rel
            self._by_module_name[dotted.removesuffix(".__init__")] = path

    def _conftests_above(self, path: str) -> list[str]:
        """conftest.py files from the file's directory up to the root, nearest first."""
        directory = os.path.dirname(path)
        memo = self._conftest_memo.get(directory)
        if memo is None:
            memo = self._conftest_memo[directory] = self._conftests_from(directory)
        return [c for c in memo if c != path]

    def _conftests_from(self, directory: str) -> list[str]:
        found: list[str] = []
        while True:
            candidate = os.path.join(directory, "conftest.py")
            if candidate in self.files:
                found.append(candidate)
            if directory == self.root or len(directory) <= len(self.root):
                break
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
        return found

    def _plugin_paths(self, conftests: list[str], module_path: str) -> list[str]:
        paths: list[str] = []
        for path in [module_path, *conftests]:
            for plugin in self.files[path].pytest_plugins:
                target = self._by_module_name.get(plugin)
                if target and target not in paths:
                    paths.append(target)
        return paths

    def layers_for(self, path: str, class_name: str | None) -> list[_Layer]:
        """Visible fixture layers for code in *path* (and class), innermost first."""
        key = (path, class_name)
        if key not in self._layers_memo:
            self._layers_memo[key] = self._layers(path, class_name)
        return self._layers_memo[key]

    def _layers(self, path: str, class_name: str | None) -> list[_Layer]:
        layers: list[_Layer] = []
        if class_name:
            facts = self.files[path]
            for cname in self._class_lineage(facts, class_name):
                layer = self._class_layers.get((path, cname))
                if layer:
                    layers.append(layer)
        layers.append(self._module_layers[path])
        conftests = self._conftests_above(path)
        layers += [self._module_layers[c] for c in conftests]
        layers += [self._module_layers[p] for p in self._plugin_paths(conftests, path) if p != path]
        return layers

    @staticmethod
    def _class_lineage(facts: FileFacts, class_name: str) -> list[str]:
        """The class and its base classes defined in the same module, nearest first."""
        by_name = {c.name: c for c in facts.classes}
        lineage: list[str] = []
        todo = [class_name]
        while todo:
            name = todo.pop(0)
            if name in lineage or name not in by_name:
                continue
            lineage.append(name)
            todo += [b.split(".")[-1] for b in by_name[name].bases]
        return lineage

    # -- fixture resolution and ordering ---------------------------------------------------------
    @staticmethod
    def _definitions(name: str, layers: list[_Layer]) -> list[FixtureDef]:
        return [layer.fixtures[name] for layer in layers if name in layer.fixtures]

    def setup_order(
        self, layers: list[_Layer], requested: list[str], *, include_autouse: bool = True
    ) -> list[FixtureDef]:
        """Fixtures in the order pytest sets them up for a node requesting *requested*."""
        if not requested and not (include_autouse and any(layer.autouse for layer in layers)):
            return []
        key = (id(layers), tuple(requested), include_autouse)
        if key not in self._order_memo:
            self._order_memo[key] = self._setup_order(layers, requested, include_autouse)
        return self._order_memo[key]

    def _setup_order(self, layers: list[_Layer], requested: list[str], include_autouse: bool) -> list[FixtureDef]:
        initial: list[str] = []
        if include_autouse:
            for layer in reversed(layers):  # outermost first, as pytest orders autouse fixtures
                initial += [f.name for f in layer.autouse]
        initial += requested
        closure: list[str] = []
        todo = list(initial)
        while todo:
            name = todo.pop(0)
            if name in closure:
                continue
            defs = self._definitions(name, layers)
            if not defs:
                continue
            closure.append(name)
            for d in defs:
                todo += [a for a in d.fn.args if a != name]
        closure.sort(key=lambda n: SCOPE_RANK.get(self._definitions(n, layers)[0].scope, 4))
        order: list[FixtureDef] = []
        seen: set[tuple[str, int]] = set()

        # Depth first, dependencies before dependents; an explicit stack, so a chain of any
        # length is ordered (a recursion limit once cut long chains short: wrong findings).
        frames: list[tuple[FixtureDef, str, int, Iterator[str]]] = []

        def enter(name: str, index: int) -> None:
            if (name, index) in seen:
                return
            defs = self._definitions(name, layers)
            if index >= len(defs):
                return
            seen.add((name, index))
            frames.append((defs[index], name, index, iter(defs[index].fn.args)))

        for start in closure:
            enter(start, 0)
            while frames:
                fdef, name, index, deps = frames[-1]
                dep = next(deps, None)
                if dep is None:
                    frames.pop()
                    order.append(fdef)
                else:
                    enter(dep, index + 1 if dep == name else 0)
        return order

    # -- tests ---------------------------------------------------------------------------------
    def tests(self) -> list[TestRun]:
        if self._runs is None:
            self._runs = [self._run(facts, fn) for facts in self.files.values() for fn in facts.functions if fn.is_test]
        return self._runs

    def _class_of(self, facts: FileFacts, fn: FunctionFacts) -> ClassFacts | None:
        if fn.class_name is None:
            return None
        return next((c for c in facts.classes if c.name == fn.class_name), None)

    def _run(self, facts: FileFacts, fn: FunctionFacts) -> TestRun:
        cls = self._class_of(facts, fn)
        layers = self.layers_for(facts.path, fn.class_name)
        requested = list(facts.module_usefixtures)
        if cls is not None:
            requested += cls.usefixtures
        requested += fn.usefixtures + fn.args + fn.dynamic_fixtures
        run = TestRun(facts, fn, cls, self.setup_order(layers, requested))
        active: list[Activity] = []
        for fdef in run.setup_order:
            run.active_at_setup[id(fdef)] = list(active)
            holds = fdef.fn.holds_mock
            if holds is not None:
                self._activate(run, active, Activity(holds, fdef.describe(), fdef))
        if cls is not None and cls.mock_decorators:
            dec = cls.mock_decorators[0]
            self._activate(run, active, Activity(dec, f"the @{dec.factory} decorator on class {cls.name}"))
        if cls is not None:
            for hook in self._setup_hooks(facts, fn.class_name):
                for activation in hook.activations:
                    if activation.kind == "start":
                        self._activate(run, active, Activity(activation, f"{hook.name}() of class {cls.name}"))
        for dec in fn.mock_decorators:
            self._activate(run, active, Activity(dec, f"the @{dec.factory} decorator on {fn.name}"))
        run.active_at_call = list(active)
        for activation in fn.activations:
            if active and activation not in fn.nested_activations:
                run.nested.append((Activity(activation, f"test {fn.name}"), active[0]))
        return run

    @staticmethod
    def _activate(run: TestRun, active: list[Activity], activity: Activity) -> None:
        if active:
            outer = next((a for a in active if _overlaps(a.activation, activity.activation)), None)
            if outer is not None:
                run.nested.append((activity, outer))
        active.append(activity)

    @staticmethod
    def _setup_hooks(facts: FileFacts, class_name: str | None) -> Iterator[FunctionFacts]:
        for fn in facts.functions:
            if fn.class_name == class_name and fn.name in ("setup_method", "setUp", "setup"):
                yield fn

    # -- queries used by rules -------------------------------------------------------------------
    def fixture_under_mock(self, fn: FunctionFacts) -> bool:
        """Whether some test sets this fixture up while a mock is already active."""
        for run in self.tests():
            for fdef in run.setup_order:
                if fdef.fn is fn and run.active_at_setup.get(id(fdef)):
                    return True
        return False

    def test_under_mock(self, fn: FunctionFacts) -> bool:
        return any(run.fn is fn and run.active_at_call for run in self.tests())

    def credentials_ready_for(self, facts: FileFacts, fn: FunctionFacts) -> bool:
        """Whether fake credentials are in the environment when *fn* runs (a credentials fixture
        it requests, directly or through autouse, or credentials written at import time)."""
        if fn.sets_credentials or self.chain_sets_credentials_at_import(facts):
            return True
        layers = self.layers_for(facts.path, fn.class_name)
        requested = fn.usefixtures + [a for a in fn.args if fn.fixture is None or a != fn.fixture.name]
        return any(f.fn.sets_credentials for f in self.setup_order(layers, requested))

    def uses_moto(self, facts: FileFacts) -> bool:
        """Whether the file belongs to a part of the suite that runs under moto."""
        if self._moto_files is None:
            self._moto_files = {p for p, f in self.files.items() if f.imports_moto}
            self._moto_files |= {run.file.path for run in self.tests() if run.runs_under_mock}
        if facts.path in self._moto_files:
            return True
        if facts.is_conftest:
            directory = os.path.dirname(facts.path) + os.sep
            return any(path.startswith(directory) for path in self._moto_files)
        return False

    def chain_sets_region(self, facts: FileFacts) -> bool:
        if facts.sets_region:
            return True
        return any(self.files[c].sets_region for c in self._conftests_above(facts.path))

    def chain_sets_credentials_at_import(self, facts: FileFacts) -> bool:
        if facts.sets_credentials_at_import:
            return True
        directory = os.path.dirname(facts.path)
        if directory not in self._credentials_memo:
            self._credentials_memo[directory] = any(
                self.files[c].sets_credentials_at_import for c in self._conftests_above(facts.path)
            )
        return self._credentials_memo[directory]


def _overlaps(outer: MockActivation, inner: MockActivation) -> bool:
    """Whether *inner* re-activates what *outer* already mocks (moto<5 mocks are per service)."""
    if outer.service is None or inner.service is None:
        return True
    return outer.service == inner.service
