"""Module names and the files they import: the one place that turns ``a.b`` into ``a/b.py``.

Three parts of scopecheck ask the question with different knowledge, and all of them answer it
here: the engine (which project file does a ``pytest_plugins`` name load, on disk), the import
follower (what an ``import`` statement of a module runs, on disk, probed and recorded for the
cache) and the fixture model (which of the files it has seen a dotted name means).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Callable

IsFile = Callable[[str], bool]


def module_name(path: str, root: str) -> str:
    """The dotted name of the module at *path*, relative to *root* (a package is its folder)."""
    rel = os.path.relpath(path, root)
    dotted = rel[:-3].replace(os.sep, ".") if rel.endswith(".py") else rel.replace(os.sep, ".")
    return dotted.removesuffix(".__init__")


def module_files(base: str, parts: Sequence[str]) -> tuple[str, str]:
    """The files ``import parts`` may load from the folder *base*, in the order they are tried:
    the module, then the package."""
    stem = os.path.join(base, *parts)
    return stem + ".py", os.path.join(stem, "__init__.py")


def find_module_file(base: str, parts: Sequence[str], isfile: IsFile = os.path.isfile) -> str | None:
    """The first of :func:`module_files` that exists, or None."""
    return next((candidate for candidate in module_files(base, parts) if isfile(candidate)), None)


def package_dir(importer: str, level: int) -> str:
    """The folder a relative import of *level* dots in *importer* starts from."""
    base = os.path.dirname(importer)
    for _ in range(level - 1):
        base = os.path.dirname(base)
    return base


def find_on_path(name: str, importer: str, root: str) -> str | None:
    """Where ``import name`` in *importer* finds a project file on disk: from the root, ``src/``,
    or a folder between the importer and the root (pytest puts conftest and rootdir folders on
    sys.path)."""
    parts = name.split(".")
    bases = [root, os.path.join(root, "src")]
    directory = os.path.dirname(importer)
    while directory.startswith(root) and directory not in bases:
        bases.append(directory)
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    for base in bases:
        found = find_module_file(base, parts)
        if found is not None:
            return os.path.abspath(found)
    return None


class ModuleIndex:
    """The files the model has seen, by dotted module name relative to the project root."""

    def __init__(self, paths: Iterable[str], root: str) -> None:
        self.root = os.path.abspath(root)
        self._by_name: dict[str, str] = {}
        self._suffix_memo: dict[str, str | None] = {}
        for path in paths:
            self._by_name[self.name_of(path)] = path

    def name_of(self, path: str) -> str:
        return module_name(path, self.root)

    def find(self, name: str, level: int = 0, importer: str | None = None) -> str | None:
        """The file of a dotted module name among the files seen: relative to the importer's
        package, else the root, else any folder on the way (rootdir/conftest sys.path entries),
        the one nearest the root winning."""
        if level and importer is not None:
            base = self.name_of(importer).split(".")[:-level]
            return self._by_name.get(".".join([*base, name] if name else base))
        if name in self._by_name:
            return self._by_name[name]
        if name not in self._suffix_memo:
            suffix = "." + name
            matches = sorted((k for k in self._by_name if k.endswith(suffix)), key=len)
            self._suffix_memo[name] = self._by_name[matches[0]] if matches else None
        return self._suffix_memo[name]
