"""Finding the files to lint: directories recurse into ``*.py``, honouring excludes and .gitignore."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field

import pathspec

from scopecheck.config import Settings
from scopecheck.source import read_bytes


@dataclass(frozen=True)
class SourcePath:
    display: str  # as given on the command line, joined with the relative path
    abspath: str
    explicit: bool


@dataclass
class Discovery:
    files: list[SourcePath] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)


class _Ignores:
    """Exclude globs (relative to the config's directory) and .gitignore files."""

    def __init__(self, settings: Settings) -> None:
        self.base = os.path.abspath(settings.base_dir)
        patterns = [*settings.exclude, *settings.extend_exclude]
        # Plain names (".venv", "build") match a path component of that name: a set look-up does it;
        # only real globs go through pathspec, which is much slower per path.
        self.excluded_names = {p.strip("/") for p in patterns if _is_plain_name(p)}
        globs = [p for p in patterns if not _is_plain_name(p)]
        self.exclude = pathspec.GitIgnoreSpec.from_lines(globs) if globs else None
        self.respect_gitignore = settings.respect_gitignore
        self._gitignores: dict[str, pathspec.GitIgnoreSpec | None] = {}
        self._ancestry: dict[str, list[tuple[str, pathspec.GitIgnoreSpec]]] = {}
        self._root_specs: dict[tuple[str, str], pathspec.GitIgnoreSpec | None] = {}
        self._repo: dict[str, bool] = {}

    def _gitignore(self, directory: str) -> pathspec.GitIgnoreSpec | None:
        if directory not in self._gitignores:
            spec = None
            path = os.path.join(directory, ".gitignore")
            try:
                text = read_bytes(path).decode("utf-8", "replace")  # never blocks on a FIFO
                spec = pathspec.GitIgnoreSpec.from_lines(text.splitlines())
            except OSError:
                spec = None
            self._gitignores[directory] = spec
        return self._gitignores[directory]

    def _specs_above(self, directory: str) -> list[tuple[str, pathspec.GitIgnoreSpec]]:
        """The .gitignore specs that apply in *directory*: its own and its parents' up to the
        repository root (nearest first); none outside a git checkout."""
        memo = self._ancestry.get(directory)
        if memo is not None:
            return memo
        own = self._gitignore(directory)
        if os.path.exists(os.path.join(directory, ".git")):
            specs = [(directory, own)] if own else []
        else:
            parent = os.path.dirname(directory)
            if parent == directory:
                specs = []  # reached the filesystem root: not in a git checkout
                self._ancestry[directory] = specs
                return specs
            above = self._specs_above(parent)
            in_repo = bool(above) or self._in_repo(parent)
            specs = ([(directory, own)] if own and in_repo else []) + above
        self._ancestry[directory] = specs
        return specs

    def _in_repo(self, directory: str) -> bool:
        if directory not in self._repo:
            parent = os.path.dirname(directory)
            self._repo[directory] = os.path.exists(os.path.join(directory, ".git")) or (
                parent != directory and self._in_repo(parent)
            )
        return self._repo[directory]

    def excluded(self, abspath: str, *, is_dir: bool, scan_root: str) -> bool:
        suffix = "/" if is_dir else ""
        if os.path.basename(abspath) in self.excluded_names:
            return True
        if self.exclude is not None:
            rel = os.path.relpath(abspath, self.base)
            if rel.startswith(".."):
                rel = os.path.relpath(abspath, scan_root)
            rel = rel.replace(os.sep, "/")
            if rel != "." and self.exclude.match_file(rel + suffix):
                return True
        if not self.respect_gitignore:
            return False
        for directory, spec in self._specs_above(os.path.dirname(abspath)):
            effective = self._for_root(directory, spec, scan_root)
            sub = os.path.relpath(abspath, directory).replace(os.sep, "/")
            if effective is not None and effective.match_file(sub + suffix):
                return True
        return False

    def _for_root(self, directory: str, spec: pathspec.GitIgnoreSpec, scan_root: str) -> pathspec.GitIgnoreSpec | None:
        """*spec* without the patterns that ignore the scanned directory itself: a directory named
        on the command line is linted even if git ignores it; its other patterns still apply."""
        key = (directory, scan_root)
        if key not in self._root_specs:
            rel = os.path.relpath(scan_root, directory)
            if rel == "." or rel.startswith("..") or not spec.match_file(rel.replace(os.sep, "/") + "/"):
                self._root_specs[key] = spec
            else:
                root = rel.replace(os.sep, "/") + "/"
                kept = [p for p in spec.patterns if not p.match_file(root)]
                self._root_specs[key] = pathspec.GitIgnoreSpec(kept) if kept else None
        return self._root_specs[key]

    def excluded_explicit(self, abspath: str) -> bool:
        """A file named on the command line: a walk never sees files under an excluded directory,
        so here its parent directories' names count too."""
        scan_root = os.path.dirname(abspath)
        rel = os.path.relpath(abspath, self.base)
        if rel.startswith(".."):
            rel = os.path.basename(abspath)
        if any(part in self.excluded_names for part in rel.split(os.sep)[:-1]):
            return True
        return self.excluded(abspath, is_dir=False, scan_root=scan_root)


def _is_plain_name(pattern: str) -> bool:
    name = pattern.strip("/")
    return bool(name) and not any(ch in name for ch in "/*?[]!\\") and not pattern.startswith("/")


def discover(paths: list[str], settings: Settings, *, force_exclude: bool = False) -> Discovery:
    """Files to lint, sorted by display path. Explicit files are always linted unless
    *force_exclude* (what pre-commit hooks want) applies the excludes to them too."""
    ignores = _Ignores(settings)
    result = Discovery()
    seen: set[str] = set()
    for given in paths:
        abspath = os.path.abspath(given)
        if os.path.isdir(abspath):
            _walk(given, abspath, ignores, result, seen)
            continue
        if force_exclude and ignores.excluded_explicit(abspath):
            result.skipped.append((given, "excluded"))
            continue
        real = os.path.realpath(abspath)
        if real not in seen:
            seen.add(real)
            result.files.append(SourcePath(given, abspath, explicit=True))
    result.files.sort(key=lambda s: s.display)
    return result


def _walk(given: str, root: str, ignores: _Ignores, result: Discovery, seen: set[str]) -> None:
    def on_error(error: OSError) -> None:
        result.skipped.append((error.filename or given, f"cannot list directory: {error.strerror}"))

    for directory, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        kept = []
        for name in sorted(dirnames):
            full = os.path.join(directory, name)
            if not ignores.excluded(full, is_dir=True, scan_root=root):
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            full = os.path.join(directory, name)
            if ignores.excluded(full, is_dir=False, scan_root=root):
                continue
            try:
                mode = os.stat(full).st_mode
            except OSError as exc:  # a dangling or looping symbolic link, or gone already
                reason = "broken symbolic link" if os.path.islink(full) else f"cannot read: {exc.strerror}"
                result.skipped.append((_display(given, root, full), reason))
                continue
            if not stat.S_ISREG(mode):  # a FIFO or device would block or never end
                result.skipped.append((_display(given, root, full), "not a regular file"))
                continue
            real = os.path.realpath(full)
            if real in seen:
                continue
            seen.add(real)
            result.files.append(SourcePath(_display(given, root, full), full, explicit=False))


def _display(given: str, root: str, full: str) -> str:
    prefix = root.rstrip(os.sep) + os.sep
    rel = full[len(prefix) :] if full.startswith(prefix) else os.path.relpath(full, root)
    if given in (".", "./"):
        return rel
    return os.path.join(given, rel)
