"""Which fixtures code in a file sees: its class (and outer and base classes), its module, the
conftest.py files above it, and the modules their ``pytest_plugins`` name; innermost first."""

from __future__ import annotations

import os

from scopecheck.facts.model import ClassFacts, FileFacts, FunctionFacts
from scopecheck.model.fixtures import CLASS_HOOKS, MODULE_HOOKS, UNITTEST_HOOKS, Layer, fill, hooks
from scopecheck.model.modules import ModuleIndex

# Base classes that bring no fixtures: a test class deriving from them is fully known.
PLAIN_BASES = frozenset(
    {"object", "TestCase", "IsolatedAsyncioTestCase", "ABC", "Generic", "Protocol", "AsyncTestCase"}
)

Lineage = list[tuple[FileFacts, ClassFacts]]


class Layers:
    """The fixture layers of the files seen, and which of them each file (and class) sees."""

    def __init__(self, files: dict[str, FileFacts], root: str, modules: ModuleIndex) -> None:
        self.files = files
        self.root = root
        self.modules = modules
        self._module_layers: dict[str, Layer] = {}
        self._class_layers: dict[tuple[str, str], Layer] = {}
        self._conftest_memo: dict[str, list[str]] = {}
        self._visible_memo: dict[tuple[str, str | None], list[Layer]] = {}
        for path, facts in files.items():
            self._index(path, facts)

    def _index(self, path: str, facts: FileFacts) -> None:
        module = Layer(facts, {}, [])
        hook_defs = []
        if facts.is_test_module:
            owner = self.modules.name_of(path)
            top = {fn.name: fn for fn in facts.functions if fn.class_name is None and fn.fixture is None}
            hook_defs = hooks(facts, top, MODULE_HOOKS, owner)
        fixtures = [fn for fn in facts.functions if fn.class_name is None and fn.fixture is not None]
        fill(module, facts, fixtures, hook_defs)
        self._module_layers[path] = module

    # -- the conftest chain --------------------------------------------------------------------
    def conftests_above(self, path: str) -> list[str]:
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
                target = self.modules.find(plugin)
                if target is None:
                    missing.append(plugin)
                elif target not in paths:
                    paths.append(target)
                    todo.append(target)
        return paths, missing

    # -- visibility ----------------------------------------------------------------------------
    def visible(self, path: str, class_name: str | None) -> list[Layer]:
        """Visible fixture layers for code in *path* (and class), innermost first."""
        key = (path, class_name)
        if key not in self._visible_memo:
            self._visible_memo[key] = self._layers(path, class_name)
        return self._visible_memo[key]

    def _layers(self, path: str, class_name: str | None) -> list[Layer]:
        layers: list[Layer] = []
        if class_name:
            parts = class_name.split(".")
            for depth in range(len(parts), 0, -1):  # a nested class sees its outer classes' fixtures
                layers.append(self._class_layer(path, ".".join(parts[:depth])))
        layers.append(self._module_layers[path])
        conftests = self.conftests_above(path)
        layers += [self._module_layers[c] for c in conftests]
        plugins, missing = self._plugin_paths(conftests, path)
        # Plugins register before the conftest that names them: their autouse fixtures come first.
        # (layers run innermost first, so the plugin loaded first goes last).
        layers += [self._module_layers[p] for p in reversed(plugins) if p != path]
        if missing:
            layers[-1] = Layer(layers[-1].file, layers[-1].fixtures, layers[-1].autouse, list(layers[-1].unknown))
            layers[-1].unknown += [f"pytest_plugins module '{m}' is not among the files seen" for m in missing]
        return layers

    # -- classes -------------------------------------------------------------------------------
    def _class_layer(self, path: str, qualname: str) -> Layer:
        key = (path, qualname)
        if key not in self._class_layers:
            self._class_layers[key] = self._build_class_layer(path, qualname)
        return self._class_layers[key]

    def _build_class_layer(self, path: str, qualname: str) -> Layer:
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
        hook_defs = hooks(facts, plain, UNITTEST_HOOKS if is_unittest else CLASS_HOOKS, qualname, files_of)
        layer = Layer(facts, {}, [], unknown)
        fill(layer, facts, [fn for fn in methods.values() if fn.fixture is not None], hook_defs, files_of)
        return layer

    def class_lineage(self, facts: FileFacts, qualname: str) -> tuple[Lineage, list[str]]:
        """The class and its base classes (in this module or another file seen), nearest first;
        and the bases that could not be found."""
        lineage: Lineage = []
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
                if lineage:  # a base imported from a module that only re-exports it: unseen
                    unknown.append(f"base class '{name}' is not defined in {self.modules.name_of(owner.path)}")
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
        find = self.modules.find
        for ref in facts.imports:
            if rest and not ref.names and (ref.module == head or ref.module.startswith(head + ".")):
                # import pkg.mod / import mod: base is "pkg.mod.Class" or "mod.Class"
                module, _, cname = base.rpartition(".")
                target = find(module, ref.level, facts.path)
                if target:
                    return self.files[target], cname
            if head in ref.names:
                if rest:  # from pkg import mod; class T(mod.Base)
                    target = find(".".join(filter(None, [ref.module, head])), ref.level, facts.path)
                    if target:
                        return self.files[target], rest
                target = find(ref.module, ref.level, facts.path)
                if target:
                    return self.files[target], head
        return None
