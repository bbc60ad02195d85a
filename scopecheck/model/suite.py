"""The test suite as pytest would run it: fixture visibility, setup order, and active mocks.

Built from :class:`FileFacts` of every scanned file plus the conftest.py files above them (and
the modules their ``pytest_plugins`` name). It answers, for each test, which fixtures pytest sets
up and in which order, and which mock is active while each of those fixtures and the test itself
run. The order follows pytest 9's ``getfixtureclosure``: the initial names are the autouse
fixtures (outermost node first; within a file by attribute name, as ``parsefactories`` walks
``dir()``; xunit ``setup_*`` hooks are autouse fixtures registered before them), then
``usefixtures`` marks (innermost first), then the arguments; the closure is walked depth first
and sorted by scope; each fixture's dependencies are set up before it. Fixtures fetched with
``request.getfixturevalue`` are set up during the call, under the test's decorators.

What the model cannot resolve (a name defined nowhere it can see, a computed scope, a computed
``getfixturevalue`` name, a base class it cannot find) makes the run *unknown*: rules report
nothing they would derive from it. Checked against pytest by tests/test_model_vs_pytest.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from scopecheck.facts.interpret import flow_of, held_mock
from scopecheck.facts.model import ClassFacts, FileFacts, FunctionFacts, MockActivation
from scopecheck.model.imports import ImportResolver

SCOPE_RANK = {"session": 0, "package": 1, "module": 2, "class": 3, "function": 4, "unknown": 4}

# Fixtures of pytest itself and of common plugins that never start moto nor write AWS credentials:
# requesting one does not make a run unknown. Any other name the model cannot see might.
HARMLESS_FIXTURES = frozenset(
    {
        "request", "pytestconfig", "monkeypatch", "tmp_path", "tmp_path_factory", "tmpdir",
        "tmpdir_factory", "capsys", "capsysbinary", "capfd", "capfdbinary", "capteesys", "caplog",
        "cache", "doctest_namespace", "record_property", "record_xml_attribute",
        "record_testsuite_property", "recwarn", "testdir", "pytester", "subtests", "mocker",
        "class_mocker", "module_mocker", "package_mocker", "session_mocker", "freezer", "faker",
        "benchmark", "event_loop", "anyio_backend", "httpx_mock", "requests_mock", "respx_mock",
        "snapshot", "worker_id", "testrun_uid", "datadir", "shared_datadir", "original_datadir",
    }
)  # fmt: skip
# Base classes that bring no fixtures: a test class deriving from them is fully known.
PLAIN_BASES = frozenset(
    {"object", "TestCase", "IsolatedAsyncioTestCase", "ABC", "Generic", "Protocol", "AsyncTestCase"}
)
# xunit hooks pytest runs as autouse fixtures: (hook names, first found wins) -> (kind, scope).
_MODULE_HOOKS = ((("setUpModule", "setup_module"), "module", "module"), (("setup_function",), "function", "function"))
_CLASS_HOOKS = ((("setup_class",), "class", "class"), (("setup_method",), "method", "function"))
_UNITTEST_HOOKS = (
    (("setup_method",), "unittest_setup_method", "function"),
    (("setUpClass",), "unittest_setUpClass", "class"),
    (("setup_class",), "class", "class"),
)


@dataclass(frozen=True, eq=False)
class FixtureDef:
    """A fixture definition, or an xunit ``setup_*`` hook that pytest runs as an autouse fixture."""

    file: FileFacts
    fn: FunctionFacts
    hook: str | None = None  # "module", "function", "class", "method", "unittest_setUpClass", ...
    owner: str = ""  # the module or class name pytest puts into the hook fixture's name
    hook_scope: str = "function"

    @property
    def name(self) -> str:
        if self.hook is not None:
            if self.hook.startswith("unittest_"):
                return f"_{self.hook}_fixture_{self.owner}"
            return f"_xunit_setup_{self.hook}_fixture_{self.owner}"
        assert self.fn.fixture is not None
        return self.fn.fixture.name

    @property
    def scope(self) -> str:
        if self.hook is not None:
            return self.hook_scope
        assert self.fn.fixture is not None
        return self.fn.fixture.scope

    @property
    def autouse(self) -> bool:
        return self.hook is not None or bool(self.fn.fixture and self.fn.fixture.autouse)

    @property
    def deps(self) -> list[str]:
        """The fixtures it requests by argument (an xunit hook requests none)."""
        return [] if self.hook is not None else list(self.fn.args)

    def describe(self) -> str:
        where = f"{os.path.basename(self.file.path)}:{self.fn.loc.line}"
        if self.hook is not None:
            owner = f" of {self.owner}" if self.fn.class_name else ""
            return f"{self.fn.name}(){owner} ({where})"
        return f"fixture '{self.name}' ({self.scope} scope, {where})"


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


@dataclass
class _Layer:
    """One place fixtures are defined and visible from: a class, a module, a conftest, a plugin."""

    file: FileFacts
    fixtures: dict[str, FixtureDef]
    autouse: list[FixtureDef]
    unknown: list[str] = field(default_factory=list)  # what this layer could not resolve


@dataclass
class _Resolved:
    """A setup order and what could not be resolved on the way."""

    order: list[FixtureDef]
    unknown: list[str]


class Suite:
    def __init__(self, files: dict[str, FileFacts], *, root: str) -> None:
        self.files = files  # absolute path -> facts
        self.root = os.path.abspath(root)
        self._module_layers: dict[str, _Layer] = {}
        self._class_layers: dict[tuple[str, str], _Layer] = {}
        self._by_module_name: dict[str, str] = {}
        self._suffix_memo: dict[str, str | None] = {}
        for path, facts in files.items():
            self._index(path, facts)
        self._runs: list[TestRun] | None = None
        self._conftest_memo: dict[str, list[str]] = {}
        self._credentials_memo: dict[str, bool] = {}
        self._layers_memo: dict[tuple[str, str | None], list[_Layer]] = {}
        self._order_memo: dict[tuple[int, tuple[str, ...], bool, tuple[str, ...]], _Resolved] = {}
        self._moto_files: set[str] | None = None
        self.imports: ImportResolver | None = None  # set by the engine when imports can be followed

    # -- indexing ------------------------------------------------------------------------------
    def _index(self, path: str, facts: FileFacts) -> None:
        module = _Layer(facts, {}, [])
        hooks: list[FixtureDef] = []
        if facts.is_test_module:
            owner = self._module_name(path)
            top = {fn.name: fn for fn in facts.functions if fn.class_name is None and fn.fixture is None}
            hooks = _hooks(facts, top, _MODULE_HOOKS, owner)
        fixtures = [fn for fn in facts.functions if fn.class_name is None and fn.fixture is not None]
        _fill(module, facts, fixtures, hooks)
        self._module_layers[path] = module
        self._by_module_name[self._module_name(path)] = path

    def _module_name(self, path: str) -> str:
        rel = os.path.relpath(path, self.root)
        dotted = rel[:-3].replace(os.sep, ".") if rel.endswith(".py") else rel.replace(os.sep, ".")
        return dotted.removesuffix(".__init__")

    def _module_path(self, name: str, level: int = 0, importer: str | None = None) -> str | None:
        """The file of a dotted module name among the files seen: relative to the importer's
        package, else the root, else any directory on the way (rootdir/conftest sys.path entries)."""
        if level and importer is not None:
            base = self._module_name(importer).split(".")[:-level]
            return self._by_module_name.get(".".join([*base, name] if name else base))
        if name in self._by_module_name:
            return self._by_module_name[name]
        if name not in self._suffix_memo:
            suffix = "." + name
            matches = sorted((k for k in self._by_module_name if k.endswith(suffix)), key=len)
            self._suffix_memo[name] = self._by_module_name[matches[0]] if matches else None
        return self._suffix_memo[name]

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

    def _plugin_paths(self, conftests: list[str], module_path: str) -> tuple[list[str], list[str]]:
        """Modules named by ``pytest_plugins`` (transitively), in load order; and those not found."""
        paths: list[str] = []
        missing: list[str] = []
        todo = [module_path, *reversed(conftests)]
        while todo:
            path = todo.pop(0)
            for plugin in self.files[path].pytest_plugins:
                target = self._module_path(plugin)
                if target is None:
                    missing.append(plugin)
                elif target not in paths:
                    paths.append(target)
                    todo.append(target)
        return paths, missing

    def layers_for(self, path: str, class_name: str | None) -> list[_Layer]:
        """Visible fixture layers for code in *path* (and class), innermost first."""
        key = (path, class_name)
        if key not in self._layers_memo:
            self._layers_memo[key] = self._layers(path, class_name)
        return self._layers_memo[key]

    def _layers(self, path: str, class_name: str | None) -> list[_Layer]:
        layers: list[_Layer] = []
        if class_name:
            parts = class_name.split(".")
            for depth in range(len(parts), 0, -1):  # a nested class sees its outer classes' fixtures
                layers.append(self._class_layer(path, ".".join(parts[:depth])))
        layers.append(self._module_layers[path])
        conftests = self._conftests_above(path)
        layers += [self._module_layers[c] for c in conftests]
        plugins, missing = self._plugin_paths(conftests, path)
        # Plugins register before the conftest that names them: their autouse fixtures come first.
        # (layers run innermost first, so the plugin loaded first goes last).
        layers += [self._module_layers[p] for p in reversed(plugins) if p != path]
        if missing:
            layers[-1] = _Layer(layers[-1].file, layers[-1].fixtures, layers[-1].autouse, list(layers[-1].unknown))
            layers[-1].unknown += [f"pytest_plugins module '{m}' is not among the files seen" for m in missing]
        return layers

    def _class_layer(self, path: str, qualname: str) -> _Layer:
        key = (path, qualname)
        if key not in self._class_layers:
            self._class_layers[key] = self._build_class_layer(path, qualname)
        return self._class_layers[key]

    def _build_class_layer(self, path: str, qualname: str) -> _Layer:
        """The class's fixtures as pytest registers them on its node: every attribute of the class
        and its bases (``dir()`` of an instance), the nearest definition of each name winning."""
        facts = self.files[path]
        lineage, unknown = self.class_lineage(facts, qualname)
        methods: dict[str, FunctionFacts] = {}
        files_of: dict[int, FileFacts] = {}
        is_unittest = False
        for owner_facts, cls in lineage:
            is_unittest |= any(b.split(".")[-1].endswith("TestCase") for b in cls.bases)
            for fn in owner_facts.functions:
                if fn.class_name == cls.name and fn.name not in methods:
                    methods[fn.name] = fn
                    files_of[id(fn)] = owner_facts
        plain = {name: fn for name, fn in methods.items() if fn.fixture is None}
        hooks = _hooks(facts, plain, _UNITTEST_HOOKS if is_unittest else _CLASS_HOOKS, qualname, files_of)
        layer = _Layer(facts, {}, [], unknown)
        _fill(layer, facts, [fn for fn in methods.values() if fn.fixture is not None], hooks, files_of)
        return layer

    def class_lineage(self, facts: FileFacts, qualname: str) -> tuple[list[tuple[FileFacts, ClassFacts]], list[str]]:
        """The class and its base classes (in this module or another file seen), nearest first;
        and the bases that could not be found."""
        lineage: list[tuple[FileFacts, ClassFacts]] = []
        unknown: list[str] = []
        todo: list[tuple[FileFacts, str]] = [(facts, qualname)]
        seen: set[tuple[str, str]] = set()
        while todo:
            owner, name = todo.pop(0)
            if (owner.path, name) in seen:
                continue
            seen.add((owner.path, name))
            cls = next((c for c in owner.classes if c.name == name), None)
            if cls is None:
                continue
            lineage.append((owner, cls))
            for base in cls.bases:
                found = self._find_class(owner, base, cls.name)
                if found is not None:
                    todo.append(found)
                elif base.split(".")[-1] not in PLAIN_BASES and base:
                    unknown.append(f"base class '{base}' of {cls.name} is not among the files seen")
        return lineage, unknown

    def _find_class(self, facts: FileFacts, base: str, inside: str) -> tuple[FileFacts, str] | None:
        names = {c.name for c in facts.classes}
        outer = inside.rsplit(".", 1)[0] if "." in inside else None
        if outer and f"{outer}.{base}" in names:
            return facts, f"{outer}.{base}"
        if base in names:
            return facts, base
        head, _, rest = base.partition(".")
        for ref in facts.imports:
            if rest and not ref.names and (ref.module == head or ref.module.startswith(head + ".")):
                # import pkg.mod / import mod: base is "pkg.mod.Class" or "mod.Class"
                module, _, cname = base.rpartition(".")
                target = self._module_path(module, ref.level, facts.path)
                if target:
                    return self.files[target], cname
            if head in ref.names:
                if rest:  # from pkg import mod; class T(mod.Base)
                    target = self._module_path(".".join(filter(None, [ref.module, head])), ref.level, facts.path)
                    if target:
                        return self.files[target], rest
                target = self._module_path(ref.module, ref.level, facts.path)
                if target:
                    return self.files[target], head
        return None

    # -- fixture resolution and ordering ---------------------------------------------------------
    @staticmethod
    def _definitions(name: str, layers: list[_Layer]) -> list[FixtureDef]:
        return [layer.fixtures[name] for layer in layers if name in layer.fixtures]

    def setup_order(
        self, layers: list[_Layer], requested: list[str], *, include_autouse: bool = True
    ) -> list[FixtureDef]:
        """Fixtures in the order pytest sets them up for a node requesting *requested*."""
        return self.resolve(layers, requested, include_autouse=include_autouse).order

    def resolve(
        self,
        layers: list[_Layer],
        requested: list[str],
        *,
        include_autouse: bool = True,
        ignore: tuple[str, ...] = (),
    ) -> _Resolved:
        """The setup order, and what the model could not resolve on the way."""
        key = (id(layers), tuple(requested), include_autouse, ignore)
        if key not in self._order_memo:
            self._order_memo[key] = self._resolve(layers, requested, include_autouse, set(ignore))
        return self._order_memo[key]

    def _resolve(
        self, layers: list[_Layer], requested: list[str], include_autouse: bool, ignore: set[str]
    ) -> _Resolved:
        initial: list[str] = []
        unknown: list[str] = [u for layer in layers for u in layer.unknown]
        if include_autouse:
            for layer in reversed(layers):  # outermost first, as pytest orders autouse fixtures
                initial += [f.name for f in layer.autouse]
        initial += requested
        closure = self._closure(list(dict.fromkeys(initial)), layers, ignore, unknown)
        closure.sort(key=lambda n: SCOPE_RANK.get(self._definitions(n, layers)[0].scope, 4))
        unknown += [
            f"fixture '{n}' has a scope computed at run time"
            for n in closure
            if self._definitions(n, layers)[0].scope == "unknown"
        ]
        order: list[FixtureDef] = []
        seen: set[tuple[str, int]] = set()
        for start in closure:
            self._enter(start, layers, seen, order, ignore)
        return _Resolved(order, unknown)

    def _closure(self, initial: list[str], layers: list[_Layer], ignore: set[str], unknown: list[str]) -> list[str]:
        """pytest's ``traverse_fixture_closure``: names in depth-first order, following override
        chains (a fixture requesting its own name gets the next definition outwards)."""
        closure: list[str] = []
        index: dict[str, int] = {}  # name -> definition in use while walking its dependencies
        # An explicit stack: a chain of any length is walked (recursion once cut long ones short).
        stack: list[Iterator[str]] = [iter(initial)]
        undo: list[tuple[str, int] | None] = [None]
        while stack:
            name = next(stack[-1], None)
            if name is None:
                stack.pop()
                restore = undo.pop()
                if restore is not None:
                    index[restore[0]] = restore[1]
                continue
            current = index.get(name)
            if name in ignore or current == 0:
                continue  # a parametrize argument, or this name is done at its innermost definition
            defs = self._definitions(name, layers)
            if current is None:
                index[name] = current = 0
                if not defs:
                    if name not in HARMLESS_FIXTURES:
                        unknown.append(f"fixture '{name}' is not defined in the files seen")
                    continue
                closure.append(name)
            if current >= len(defs):
                continue
            index[name] = current + 1
            stack.append(iter(defs[current].deps))
            undo.append((name, current))
        return closure

    def _enter(
        self,
        name: str,
        layers: list[_Layer],
        seen: set[tuple[str, int]],
        order: list[FixtureDef],
        ignore: set[str] | tuple[str, ...] = (),
    ) -> None:
        """Set *name* up as pytest's getfixturevalue does: dependencies depth first, then itself.
        A name in *ignore* is a parametrize argument: its value is the parameter, no fixture."""
        frames: list[tuple[FixtureDef, str, int, Iterator[str]]] = []

        def push(dep: str, index: int) -> None:
            if (dep, index) in seen or dep in ignore:
                return
            defs = self._definitions(dep, layers)
            if index >= len(defs):
                return
            seen.add((dep, index))
            frames.append((defs[index], dep, index, iter(defs[index].deps)))

        push(name, 0)
        while frames:
            fdef, current, index, deps = frames[-1]
            dep = next(deps, None)
            if dep is None:
                frames.pop()
                order.append(fdef)
            else:
                push(dep, index + 1 if dep == current else 0)

    # -- tests ---------------------------------------------------------------------------------
    def tests(self) -> list[TestRun]:
        if self._runs is None:
            self._runs = [run for facts in self.files.values() for run in self._file_runs(facts)]
        return self._runs

    def _file_runs(self, facts: FileFacts) -> Iterator[TestRun]:
        for fn in facts.functions:
            if fn.is_test:
                yield self._run(facts, fn, self._class_of(facts, fn))
        if not facts.is_test_module:
            return
        # Test methods a test class inherits from its bases run as tests of the class.
        for cls in facts.classes:
            if not cls.is_test_class:
                continue
            own = {fn.name for fn in facts.functions if fn.class_name == cls.name}
            lineage, _ = self.class_lineage(facts, cls.name)
            for owner, base in lineage[1:]:
                for fn in owner.functions:
                    if fn.class_name == base.name and _is_test_name(fn) and fn.name not in own:
                        own.add(fn.name)
                        yield self._run(facts, fn, cls)

    def _class_of(self, facts: FileFacts, fn: FunctionFacts) -> ClassFacts | None:
        if fn.class_name is None:
            return None
        return next((c for c in facts.classes if c.name == fn.class_name), None)

    def _run(self, facts: FileFacts, fn: FunctionFacts, cls: ClassFacts | None) -> TestRun:
        class_name = cls.name if cls is not None else None
        layers = self.layers_for(facts.path, class_name)
        # usefixtures marks, innermost node first (pytest's iter_markers); stacked marks bottom-up.
        requested = list(fn.usefixtures)
        if cls is not None:
            for depth in range(cls.name.count(".") + 1, 0, -1):
                outer = self._class_of_name(facts, ".".join(cls.name.split(".")[:depth]))
                if outer is not None:
                    requested += outer.usefixtures
        requested += facts.module_usefixtures
        requested += fn.args
        ignore = tuple(fn.parametrize_args) + (tuple(cls.parametrize_args) if cls is not None else ())
        resolved = self.resolve(layers, list(dict.fromkeys(requested)), ignore=ignore)
        run = TestRun(facts, fn, cls, list(resolved.order), unknown=list(resolved.unknown))
        active: list[Activity] = []
        for fdef in run.setup_order:
            self._set_up(run, fdef, active)
        if cls is not None and cls.mock_decorators:
            dec = cls.mock_decorators[0]
            self._activate(run, active, Activity(dec, f"the @{dec.factory} decorator on class {cls.name}"))
        if cls is not None:
            for hook in self._setup_hooks(facts, cls.name):
                for activation in hook.activations:
                    if activation.kind == "start":
                        self._activate(run, active, Activity(activation, f"{hook.name}() of class {cls.name}"))
        for dec in fn.mock_decorators:
            self._activate(run, active, Activity(dec, f"the @{dec.factory} decorator on {fn.name}"))
        run.active_at_call = list(active)
        if fn.dynamic_unknown:
            run.unknown.append(f"test {fn.name} calls request.getfixturevalue with a computed name")
        if fn.dynamic_fixtures:
            # getfixturevalue runs in the body: under the decorators, after every static fixture.
            done = {(f.name, 0) for f in run.setup_order}
            later: list[FixtureDef] = []
            more = self.resolve(layers, list(fn.dynamic_fixtures), include_autouse=False, ignore=ignore)
            run.unknown += [u for u in more.unknown if u not in run.unknown]
            for name in fn.dynamic_fixtures:
                self._enter(name, layers, done, later, ignore)
            run.call_order = later
            for fdef in later:
                self._set_up(run, fdef, active)
            run.active_at_call = list(active)
        for activation in fn.activations:
            if active and activation not in [n.inner for n in flow_of(fn).nestings]:
                run.nested.append((Activity(activation, f"test {fn.name}"), active[0]))
        return run

    def _set_up(self, run: TestRun, fdef: FixtureDef, active: list[Activity]) -> None:
        run.active_at_setup[id(fdef)] = list(active)
        holds = held_mock(fdef.fn)
        if holds is not None:
            self._activate(run, active, Activity(holds, fdef.describe(), fdef))
        if fdef.fn.dynamic_unknown:
            run.unknown.append(f"{fdef.describe()} calls request.getfixturevalue with a computed name")

    def _class_of_name(self, facts: FileFacts, name: str) -> ClassFacts | None:
        return next((c for c in facts.classes if c.name == name), None)

    @staticmethod
    def _activate(run: TestRun, active: list[Activity], activity: Activity) -> None:
        if active:
            outer = next((a for a in active if _overlaps(a.activation, activity.activation)), None)
            if outer is not None:
                run.nested.append((activity, outer))
        active.append(activity)

    @staticmethod
    def _setup_hooks(facts: FileFacts, class_name: str | None) -> Iterator[FunctionFacts]:
        """unittest's setUp: it runs inside the call, before the test method (not a fixture)."""
        for fn in facts.functions:
            if fn.class_name == class_name and fn.name == "setUp":
                yield fn

    # -- queries used by rules -------------------------------------------------------------------
    def fixture_under_mock(self, fn: FunctionFacts) -> bool:
        """Whether some test sets this fixture up while a mock is already active (or may: a run
        the model cannot resolve counts as maybe)."""
        for run in self.tests():
            for fdef in (*run.setup_order, *run.call_order):
                if fdef.fn is fn and (run.active_at_setup.get(id(fdef)) or run.unknown):
                    return True
        return False

    def test_under_mock(self, fn: FunctionFacts) -> bool:
        """Whether the test runs under a mock (or may: the model cannot resolve one of its runs)."""
        return any(run.fn is fn and (run.active_at_call or run.unknown) for run in self.tests())

    def credentials_ready_for(self, facts: FileFacts, fn: FunctionFacts) -> bool:
        """Whether fake credentials are (or may be) in the environment when *fn* runs: a
        credentials fixture it requests, directly or through autouse, credentials written at
        import time, or a fixture the model cannot see."""
        if fn.sets_credentials or self.chain_sets_credentials_at_import(facts):
            return True
        layers = self.layers_for(facts.path, fn.class_name)
        requested = list(fn.usefixtures)
        if fn.is_test or fn.fixture is not None:  # a helper's parameters are not fixtures
            requested += [a for a in fn.args if fn.fixture is None or a != fn.fixture.name]
        resolved = self.resolve(layers, requested, ignore=tuple(fn.parametrize_args))
        return bool(resolved.unknown) or any(f.fn.sets_credentials for f in resolved.order)

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


def _is_test_name(fn: FunctionFacts) -> bool:
    return fn.fixture is None and fn.name.startswith("test") and not (fn.is_classmethod or fn.is_staticmethod)


def _hooks(
    facts: FileFacts,
    plain: dict[str, FunctionFacts],
    table: tuple[tuple[tuple[str, ...], str, str], ...],
    owner: str,
    files_of: dict[int, FileFacts] | None = None,
) -> list[FixtureDef]:
    """The xunit hooks a module or class defines, as the autouse fixtures pytest makes of them."""
    found: list[FixtureDef] = []
    for names, kind, scope in table:
        fn = next((plain[n] for n in names if n in plain), None)
        if fn is not None:
            where = (files_of or {}).get(id(fn), facts)
            found.append(FixtureDef(where, fn, hook=kind, owner=owner, hook_scope=scope))
    return found


def _fill(
    layer: _Layer,
    facts: FileFacts,
    fixtures: list[FunctionFacts],
    hooks: list[FixtureDef],
    files_of: dict[int, FileFacts] | None = None,
) -> None:
    """Register fixtures on a layer as parsefactories does: attributes in ``dir()`` (name) order,
    after the xunit hooks pytest registers first."""
    layer.autouse += hooks
    for hook in hooks:
        layer.fixtures[hook.name] = hook
    for fn in sorted(fixtures, key=lambda f: f.name):
        fdef = FixtureDef((files_of or {}).get(id(fn), facts), fn)
        layer.fixtures[fdef.name] = fdef
        if fdef.autouse:
            layer.autouse.append(fdef)
