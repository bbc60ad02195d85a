"""What runs when a test module is imported: first-party modules, their import-time clients, and
whether moto had hooked into botocore by then (SCP101, SCP104).

Only files under the project (its root, ``src/``, the scanned roots and the test file's pytest
"basedir") are considered; installed packages are never read. When the project root was only
guessed (no marker file), its parent directories are searched too, so that where the root was
guessed does not change what resolves.

When moto's botocore hook is registered, measured on each major version (docs/moto-versions.md):
moto <= 1.3.14, 4 and 5 register it when ``moto`` is first imported; moto 1.3.15 to 3.x load lazily
and register it at the first call of a mock factory (``@mock_s3`` applied, ``mock_s3()``) or import
of a moto submodule. A botocore Session copies the hook list when it is built.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Callable

from scopecheck.facts.model import ClientCall, FileFacts, ImportRef
from scopecheck.findings import Location
from scopecheck.model.modules import find_module_file, package_dir

Loader = Callable[[str], "FileFacts | None"]
MAX_DEPTH = 4
# Top-level names never resolved to project files: the standard library and the libraries the
# rules are about (a project module shadowing one of them would break far more than a lint).
NOT_FIRST_PARTY = frozenset(getattr(sys, "stdlib_module_names", ())) | {
    "boto3",
    "botocore",
    "moto",
    "pytest",
    "_pytest",
    "aiobotocore",
    "s3transfer",
}

ARMED = "armed"  # moto's hook is in botocore's handler list: a Session built now gets it
UNARMED = "unarmed"  # it is not, on the targeted version
UNKNOWN = "unknown"  # depends on the minor version (moto 1.x)


@dataclass(frozen=True)
class Effect:
    """What some import-time code did to the process, as far as the rules care."""

    imports_moto: bool = False  # any module-level import of moto
    calls_moto: bool = False  # a mock factory ran or a moto submodule was imported: hooked on every version
    credentials: bool = False  # AWS credentials were (or may have been) written to os.environ

    def __or__(self, other: Effect) -> Effect:
        return Effect(
            self.imports_moto or other.imports_moto,
            self.calls_moto or other.calls_moto,
            self.credentials or other.credentials,
        )


NOTHING = Effect()


def hook_state(effect: Effect, moto_major: int) -> str:
    """Whether moto's botocore hook is registered after *effect*, on the targeted moto major."""
    if effect.calls_moto:
        return ARMED
    if not effect.imports_moto:
        return UNARMED
    if moto_major >= 4:
        return ARMED
    if moto_major == 1:
        return UNKNOWN  # <= 1.3.14 imports everything eagerly, 1.3.15 and 1.3.16 lazily
    return UNARMED  # 2.x, 3.x: ``import moto`` / ``from moto import mock_s3`` load nothing yet


@dataclass(frozen=True)
class Creation:
    """An import-time client, Session or resource reached by importing a module."""

    path: str  # the file that builds it
    client: ClientCall
    chain: tuple[str, ...]  # modules imported in between, outermost first
    before: Effect  # what ran, from the imported module's first line up to the creation


def _is_moto(module: str) -> bool:
    return module == "moto" or module.startswith("moto.")


class ImportResolver:
    def __init__(self, *, project_root: str, roots: list[str], load: Loader, guessed_root: bool = False) -> None:
        self.project_root = os.path.abspath(project_root)
        bases = [self.project_root, os.path.join(self.project_root, "src")]
        bases += [os.path.abspath(r) for r in roots]
        if guessed_root:
            # No marker says where the project starts: look above, as a run from there would.
            parent = os.path.dirname(self.project_root)
            while parent != os.path.dirname(parent):
                bases.append(parent)
                parent = os.path.dirname(parent)
        self.bases = [b for i, b in enumerate(bases) if os.path.isdir(b) and b not in bases[:i]]
        self.load = load
        self._creations: dict[str, list[Creation]] = {}
        self._effects: dict[str, Effect] = {}
        self._basedirs: dict[str, str] = {}
        self._found: dict[tuple[str, int, str, tuple[str, ...]], list[str]] = {}
        self._resolved_from: dict[str, str] = {}  # file -> the directory its import resolved under
        # Every existence check and its answer: a cached run is valid only while they still hold.
        self.probed: dict[str, bool] = {}

    # -- paths -------------------------------------------------------------------------------
    def _isfile(self, path: str) -> bool:
        found = self.probed.get(path)
        if found is None:
            found = self.probed[path] = os.path.isfile(path)
        return found

    def display(self, path: str) -> str:
        """*path* relative to the project root, else to the directory it was imported from:
        never relative to the working directory, so messages do not depend on it."""
        path = os.path.abspath(path)
        rel = os.path.relpath(path, self.project_root)
        if not rel.startswith(".."):
            return rel.replace(os.sep, "/")
        base = self._resolved_from.get(path) or os.path.dirname(path)
        return os.path.relpath(path, base).replace(os.sep, "/")

    def _basedir(self, path: str) -> str:
        """pytest's rootdir-less import base: the first directory upward without __init__.py."""
        directory = os.path.dirname(path)
        while self._isfile(os.path.join(directory, "__init__.py")):
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
        return directory

    def _candidates(self, importer: str, ref: ImportRef) -> list[str]:
        if not ref.level and ref.module.split(".")[0] in NOT_FIRST_PARTY:
            return []
        directory = os.path.dirname(importer)
        if ref.level:
            anchor = directory
        else:
            anchor = self._basedirs.get(directory) or self._basedirs.setdefault(directory, self._basedir(importer))
        key = (anchor, ref.level, ref.module, tuple(ref.names))
        if key not in self._found:
            self._found[key] = self._resolve(importer, ref, anchor)
        importer = os.path.abspath(importer)
        return [f for f in self._found[key] if f != importer]

    def _resolve(self, importer: str, ref: ImportRef, anchor: str) -> list[str]:
        if ref.level:
            parts = ref.module.split(".") if ref.module else []
            bases = [package_dir(importer, ref.level)]
        else:
            parts = ref.module.split(".")
            bases = [anchor, *self.bases]
        found: list[str] = []
        for base in bases:
            module = find_module_file(base, parts, self._isfile)
            if module is not None:
                found.append(module)
            # ``from pkg import mod`` imports pkg/mod.py as well.
            for name in ref.names:
                sub = find_module_file(base, [*parts, name], self._isfile)
                if sub is not None:
                    found.append(sub)
            if found:
                for path in found:
                    self._resolved_from.setdefault(os.path.abspath(path), base)
                break
        return [os.path.abspath(f) for f in found]

    def _facts(self, path: str) -> FileFacts | None:
        facts = self.load(path)
        if facts is None or facts.parse_error is not None:
            return None
        return facts

    # -- what import-time code did ------------------------------------------------------------
    def effect_before(
        self, path: str, line: int | None, *, depth: int = 0, seen: frozenset[str] = frozenset()
    ) -> Effect:
        """What importing *path* did before *line* (the whole module when None): its own moto
        imports, mock factory calls and credential writes, and those of the first-party modules it
        imported before that line."""
        if line is None and path in self._effects:
            return self._effects[path]
        facts = self._facts(path)
        if facts is None or path in seen or depth > MAX_DEPTH:
            return NOTHING
        limit = line if line is not None else float("inf")
        # A credential write has no line in the facts: assume it ran first (unknown is no error).
        effect = Effect(credentials=facts.sets_credentials_at_import)
        for activation in _module_level_mock_calls(facts):
            if activation < limit:
                effect = effect | Effect(True, True)
        seen = seen | {path}
        for ref in facts.imports:
            if ref.loc.line >= limit:
                continue
            if not ref.level and _is_moto(ref.module):
                # ``import moto`` / ``from moto import mock_s3`` load nothing yet on lazy versions;
                # a submodule (``moto.core``, ``moto.s3``) loads moto.core, which adds the hook.
                effect = effect | Effect(True, ref.module != "moto")
                continue
            for sub in self._candidates(path, ref):
                effect = effect | self.effect_before(sub, None, depth=depth + 1, seen=seen)
        if line is None:
            self._effects[path] = effect
        return effect

    def conftest_effect(self, path: str) -> Effect:
        """What the conftest.py files that pytest imports before *path* did (and their pytest_plugins)."""
        effect = NOTHING
        directory = os.path.dirname(os.path.abspath(path))
        while True:
            candidate = os.path.join(directory, "conftest.py")
            if candidate != os.path.abspath(path) and self._isfile(candidate):
                effect = effect | self.effect_before(candidate, None)
                facts = self._facts(candidate)
                for plugin in facts.pytest_plugins if facts is not None else ():
                    ref = ImportRef(plugin, 0, [], _NOWHERE)
                    for sub in self._candidates(candidate, ref):
                        effect = effect | self.effect_before(sub, None)
            if directory == self.project_root or not directory.startswith(self.project_root):
                break
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
        return effect

    # -- import-time clients -----------------------------------------------------------------
    def creations(self, path: str, *, depth: int = 0, seen: frozenset[str] = frozenset()) -> list[Creation]:
        """Every import-time client reached by importing the first-party module *path*, in the
        order they are built (test modules and conftest.py files are SCP101's, not followed)."""
        if path in self._creations:
            return self._creations[path]
        if path in seen or depth > MAX_DEPTH:
            return []
        facts = self._facts(path)
        found: list[Creation] = []
        if facts is not None and not facts.is_test_module and not facts.is_conftest:
            seen = seen | {path}
            events: list[tuple[int, int, ClientCall | ImportRef]] = [
                (c.loc.line, c.loc.column, c) for c in facts.import_time_clients
            ]
            events += [(r.loc.line, r.loc.column, r) for r in facts.imports]
            for line, _, item in sorted(events, key=lambda e: (e[0], e[1])):
                if isinstance(item, ClientCall):
                    found.append(Creation(path, item, (), self.effect_before(path, line)))
                    continue
                for sub in self._candidates(path, item):
                    before = self.effect_before(path, line)
                    for inner in self.creations(sub, depth=depth + 1, seen=seen):
                        found.append(Creation(inner.path, inner.client, (path, *inner.chain), before | inner.before))
        unique: dict[tuple[str, int, int], Creation] = {}
        for creation in found:  # a module runs once: the first way it is reached counts
            unique.setdefault((creation.path, creation.client.loc.line, creation.client.loc.column), creation)
        result = self._creations[path] = list(unique.values())
        return result

    def imported_creations(self, importer: str, ref: ImportRef) -> list[Creation]:
        """What one module-level import statement of *importer* builds at import time; ``before``
        covers only the imported modules (the importer's own prefix is the caller's)."""
        seen = frozenset({os.path.abspath(importer)})
        return [c for path in self._candidates(importer, ref) for c in self.creations(path, seen=seen)]


_NOWHERE = Location(1, 1, 1, 1)


def _module_level_mock_calls(facts: FileFacts) -> list[int]:
    """Lines where import-time code calls a mock factory: decorators of module-level functions,
    methods and classes (applied when the module runs), and module-level ``.start()`` calls."""
    lines = [m.loc.line for fn in facts.functions for m in fn.mock_decorators]
    lines += [m.loc.line for cls in facts.classes for m in cls.mock_decorators]
    lines += [s.loc.line for s in facts.module_starts]
    return lines
