"""The test suite as pytest would run it: the model's public query API.

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

The work is done in small modules: model/modules.py (module names to files), model/fixtures.py
(definitions and layers), model/layers.py (what a file sees), model/resolve.py (setup order),
model/runs.py (test runs and active mocks), model/nesting.py (mocks inside mocks). Rules ask
this class only.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from scopecheck.facts.model import ClassFacts, FileFacts, FunctionFacts
from scopecheck.findings import Location
from scopecheck.model.fixtures import FixtureDef, Layer
from scopecheck.model.imports import ImportResolver
from scopecheck.model.layers import Layers, Lineage
from scopecheck.model.modules import ModuleIndex
from scopecheck.model.nesting import Nesting, find_nestings
from scopecheck.model.resolve import Resolved, SetupResolver
from scopecheck.model.runs import Activity, RunBuilder, TestRun, class_named, overlaps, requested_by_test

__all__ = ["Activity", "FixtureDef", "Layer", "Nesting", "Resolved", "Suite", "TestRun", "overlaps"]


class Suite:
    """The model of one run: *files* maps absolute paths to facts; *imports* follows imports
    beyond them (the engine builds it; by default only the files given are read)."""

    def __init__(self, files: dict[str, FileFacts], *, root: str, imports: ImportResolver | None = None) -> None:
        self.files = files  # absolute path -> facts
        self.root = os.path.abspath(root)
        self.modules = ModuleIndex(files, self.root)
        if imports is None:
            imports = ImportResolver(project_root=self.root, roots=[], load=files.get)
        self.imports = imports
        self._layers = Layers(files, self.root, self.modules)
        self._resolver = SetupResolver()
        self._builder = RunBuilder(self._layers, self._resolver)
        self._runs: list[TestRun] | None = None
        self._nestings: list[Nesting] | None = None
        self._credentials_memo: dict[str, bool] = {}
        self._moto_files: set[str] | None = None

    # -- classes -------------------------------------------------------------------------------
    @staticmethod
    def class_of(facts: FileFacts, fn: FunctionFacts) -> ClassFacts | None:
        """The class *fn* is defined in (None for a module-level function)."""
        return class_named(facts, fn.class_name)

    @staticmethod
    def methods_of(facts: FileFacts, cls: ClassFacts | str | None) -> list[FunctionFacts]:
        """The functions defined directly in the class (not inherited), in source order; with
        None, the module-level functions."""
        name = cls.name if isinstance(cls, ClassFacts) else cls
        return [fn for fn in facts.functions if fn.class_name == name]

    def class_lineage(self, facts: FileFacts, qualname: str) -> tuple[Lineage, list[str]]:
        """The class and its base classes (in this module or another file seen), nearest first;
        and the bases that could not be found."""
        return self._layers.class_lineage(facts, qualname)

    # -- fixtures ------------------------------------------------------------------------------
    def layers_for(self, path: str, class_name: str | None) -> list[Layer]:
        """Visible fixture layers for code in *path* (and class), innermost first."""
        return self._layers.visible(path, class_name)

    def visible_fixtures(self, facts: FileFacts, class_name: str | None = None) -> list[FixtureDef]:
        """Every fixture definition code in the file (and class) sees, innermost layer first,
        overridden ones included."""
        return [fdef for layer in self.layers_for(facts.path, class_name) for fdef in layer.fixtures.values()]

    def conftests_above(self, path: str) -> list[str]:
        """conftest.py files from the file's directory up to the root, nearest first."""
        return self._layers.conftests_above(path)

    def requests_of(self, facts: FileFacts, fn: FunctionFacts) -> list[str]:
        """The fixture names *fn* requests, in pytest's order: for a test its ``usefixtures``
        marks (function, classes, module) then its arguments; for a fixture its arguments but its
        own name (that is the next definition outwards, which its setup order already has); a
        helper requests nothing."""
        if fn.is_test:
            return requested_by_test(facts, fn, self.class_of(facts, fn), self._layers)
        if fn.fixture is not None:
            return [a for a in fn.args if a != fn.fixture.name]
        return []

    def setup_order(
        self,
        facts: FileFacts,
        class_name: str | None = None,
        requested: Iterable[str] = (),
        *,
        include_autouse: bool = True,
    ) -> list[FixtureDef]:
        """Fixtures in the order pytest sets them up for code in the file (and class) that
        requests *requested*: autouse fixtures first unless *include_autouse* is false."""
        layers = self.layers_for(facts.path, class_name)
        return self.resolve(layers, list(requested), include_autouse=include_autouse).order

    def fixture_setup_order(self, facts: FileFacts, fn: FunctionFacts) -> list[FixtureDef]:
        """What pytest sets up before the fixture *fn* itself: the autouse fixtures it sees and
        what it requests, dependencies first (whichever test uses it)."""
        return self.setup_order(facts, fn.class_name, self.requests_of(facts, fn))

    def resolve(
        self, layers: list[Layer], requested: list[str], *, include_autouse: bool = True, ignore: tuple[str, ...] = ()
    ) -> Resolved:
        """The setup order for *layers* (from :meth:`layers_for`), and what could not be resolved."""
        return self._resolver.resolve(layers, requested, include_autouse=include_autouse, ignore=ignore)

    # -- tests ---------------------------------------------------------------------------------
    def tests(self) -> list[TestRun]:
        """Every test run, file by file in the order the files were given, each file's tests in
        source order, then the test methods its classes inherit."""
        if self._runs is None:
            self._runs = [run for facts in self.files.values() for run in self._builder.file_runs(facts)]
        return self._runs

    def runs_in(self, facts: FileFacts, class_name: str | None = None, *, any_class: bool = False) -> list[TestRun]:
        """The runs of the tests defined in *facts*: in the class *class_name* (run as that
        class or as a subclass that inherits them), or at module level; anywhere in the file
        with *any_class*."""
        return [r for r in self.tests() if r.file is facts and (any_class or r.fn.class_name == class_name)]

    def runs_using(self, fn: FunctionFacts, *, during_call: bool = True) -> list[TestRun]:
        """The runs that set the fixture *fn* up (also by ``getfixturevalue`` unless not
        *during_call*)."""
        return [run for run in self.tests() if any(f.fn is fn for f in (run.steps if during_call else run.setup_order))]

    @staticmethod
    def active_mock_at(run: TestRun, point: FixtureDef | None = None) -> list[Activity]:
        """The mocks active when *point* is set up in *run*, outermost first; with None, those
        active while the test body runs (its own activations aside)."""
        if point is None:
            return run.active_at_call
        return run.active_at_setup.get(id(point), [])

    def nestings(self) -> list[Nesting]:
        """Every mock activated while another one that mocks the same thing is active, each pair
        once: local ones (files in path order), then those of each run (in :meth:`tests` order),
        then fixtures nesting in a fixture they request (used by a test or not)."""
        if self._nestings is None:
            unique: dict[tuple[str, Location, str, Location], Nesting] = {}
            for nesting in find_nestings(self):  # a fixture's nesting shows in every run using it
                key = (nesting.inner_file.path, nesting.inner.loc, nesting.outer_path, nesting.outer.loc)
                unique.setdefault(key, nesting)
            self._nestings = list(unique.values())
        return self._nestings

    def fixture_under_mock(self, fn: FunctionFacts) -> bool:
        """Whether some test sets this fixture up while a mock is already active (or may: a run
        the model cannot resolve counts as maybe)."""
        for run in self.tests():
            for fdef in run.steps:
                if fdef.fn is fn and (run.active_at_setup.get(id(fdef)) or run.unknown):
                    return True
        return False

    def test_under_mock(self, fn: FunctionFacts) -> bool:
        """Whether the test runs under a mock (or may: the model cannot resolve one of its runs)."""
        return any(run.fn is fn and (run.active_at_call or run.unknown) for run in self.tests())

    # -- the environment -----------------------------------------------------------------------
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

    def chain_sets_credentials_at_import(self, facts: FileFacts) -> bool:
        """Whether the file or a conftest.py above it writes credentials at import time."""
        if facts.sets_credentials_at_import:
            return True
        directory = os.path.dirname(facts.path)
        if directory not in self._credentials_memo:
            self._credentials_memo[directory] = any(
                self.files[c].sets_credentials_at_import for c in self.conftests_above(facts.path)
            )
        return self._credentials_memo[directory]
