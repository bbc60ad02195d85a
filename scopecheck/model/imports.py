"""Resolving a test module's imports to first-party files, to find import-time clients (SCP104).

Only files under the project (its root, ``src/``, the scanned roots and the test file's pytest
"basedir") are considered; installed packages are never read.
"""

from __future__ import annotations

import os
import sys
from typing import Callable

from scopecheck.facts.model import ClientCall, FileFacts, ImportRef

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


class ImportResolver:
    def __init__(self, *, project_root: str, roots: list[str], load: Loader) -> None:
        self.project_root = os.path.abspath(project_root)
        bases = [self.project_root, os.path.join(self.project_root, "src")]
        bases += [os.path.abspath(r) for r in roots]
        self.bases = [b for i, b in enumerate(bases) if os.path.isdir(b) and b not in bases[:i]]
        self.load = load
        self._memo: dict[str, tuple[str, ClientCall, list[str]] | None] = {}
        self._basedirs: dict[str, str] = {}
        self._found: dict[tuple[str, int, str, tuple[str, ...]], list[str]] = {}
        # Every existence check and its answer: a cached run is valid only while they still hold.
        self.probed: dict[str, bool] = {}

    def _isfile(self, path: str) -> bool:
        found = self.probed.get(path)
        if found is None:
            found = self.probed[path] = os.path.isfile(path)
        return found

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
        modules: list[tuple[str, list[str]]] = []
        if ref.level:
            base = os.path.dirname(importer)
            for _ in range(ref.level - 1):
                base = os.path.dirname(base)
            parts = ref.module.split(".") if ref.module else []
            roots = [os.path.join(base, *parts)]
        else:
            parts = ref.module.split(".")
            roots = [os.path.join(b, *parts) for b in [anchor, *self.bases]]
        for root in roots:
            modules.append((root, ref.names))
        found: list[str] = []
        for root, names in modules:
            for candidate in (root + ".py", os.path.join(root, "__init__.py")):
                if self._isfile(candidate):
                    found.append(candidate)
                    break
            # ``from pkg import mod`` imports pkg/mod.py as well.
            for name in names:
                sub = os.path.join(root, name)
                for candidate in (sub + ".py", os.path.join(sub, "__init__.py")):
                    if self._isfile(candidate):
                        found.append(candidate)
                        break
            if found:
                break
        return [os.path.abspath(f) for f in found]

    def import_time_client(self, importer: str, ref: ImportRef) -> tuple[str, ClientCall, list[str]] | None:
        """The first client a module-level import creates, with the module chain that leads to it."""
        if not ref.level and ref.module.split(".")[0] in NOT_FIRST_PARTY:
            return None
        for path in self._candidates(importer, ref):
            result = self._module_client(path, depth=0, seen={os.path.abspath(importer)})
            if result is not None:
                return result
        return None

    def _module_client(self, path: str, depth: int, seen: set[str]) -> tuple[str, ClientCall, list[str]] | None:
        if path in self._memo:
            return self._memo[path]
        if path in seen or depth > MAX_DEPTH:
            return None
        seen = seen | {path}
        facts = self.load(path)
        result: tuple[str, ClientCall, list[str]] | None = None
        if facts is not None and facts.parse_error is None and not facts.is_test_module and not facts.is_conftest:
            if facts.import_time_clients:
                result = (path, facts.import_time_clients[0], [])
            else:
                for ref in facts.imports:
                    for sub in self._candidates(path, ref):
                        inner = self._module_client(sub, depth + 1, seen)
                        if inner is not None:
                            result = (inner[0], inner[1], [os.path.relpath(path), *inner[2]])
                            break
                    if result:
                        break
        self._memo[path] = result
        return result
