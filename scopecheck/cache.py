"""Caches that make a warm run cheap, under ``.scopecheck_cache/``.

- Facts: one entry per file, named by the hash of (path, content), so a run parses only what
  changed. Facts do not depend on configuration (rules run after the cache).
- Runs: the findings of a whole run, named by the hash of the options and of every target's
  content key. It records the other files the run read (conftest.py files, first-party modules
  for SCP104) with their keys, and is used only when those are unchanged too.

Both live in a directory named after scopecheck's version and a fingerprint of its own code, so
a new release (or a local edit of a rule) never reads stale entries. Entries are written to a
temporary file and renamed into place, so concurrent runs never see half an entry; an entry that
cannot be read is a miss and is rewritten.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from dataclasses import dataclass
from typing import Any

from scopecheck import __version__
from scopecheck.analysis import Analysed, read_bytes
from scopecheck.facts import serial

SCHEMA = "3"
_FINGERPRINT: str | None = None


def code_fingerprint() -> str:
    """scopecheck's own source files, by name, size and modification time."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        digest = hashlib.blake2b(digest_size=8)
        package = os.path.dirname(os.path.abspath(__file__))
        for directory, dirnames, filenames in os.walk(package):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith(".py"):
                    stat = os.stat(os.path.join(directory, name))
                    digest.update(f"{directory}/{name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
        _FINGERPRINT = digest.hexdigest()
    return _FINGERPRINT


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


@dataclass
class RunEntry:
    deps: dict[str, str]  # path -> content key of every other file the run read
    payload: Any
    probed: dict[str, bool] | None = None  # path -> whether it was a file (import resolution)


class FactsCache:
    def __init__(self, directory: str) -> None:
        self.root = os.path.join(directory, f"v{__version__}-{SCHEMA}-{code_fingerprint()}")
        self.keys: dict[str, str | None] = {}
        # (mtime, size) when each key was computed: a file edited during the run is not cached
        # under the key of its earlier content.
        self.stamps: dict[str, tuple[int, int] | None] = {}
        # path -> (stamp, key) from earlier runs: an unchanged file is not read again to be hashed.
        self._index: dict[str, tuple[tuple[int, int], str]] | None = None
        self._index_dirty = False

    @classmethod
    def open(cls, directory: str) -> FactsCache | None:
        try:
            os.makedirs(directory, exist_ok=True)
            marker = os.path.join(directory, ".gitignore")
            if not os.path.exists(marker):
                with open(marker, "w", encoding="utf-8") as handle:
                    handle.write("# Created by scopecheck\n*\n")
        except OSError:
            return None  # a read-only tree simply runs without a cache
        return cls(directory)

    # -- content keys ------------------------------------------------------------------------------
    def _stat_index(self) -> dict[str, tuple[tuple[int, int], str]]:
        if self._index is None:
            try:
                with open(os.path.join(self.root, "stat.index"), "rb") as handle:
                    loaded = pickle.load(handle)
                # Keep only well-formed entries: path -> ((mtime_ns, size), key).
                self._index = {
                    path: entry
                    for path, entry in (loaded.items() if isinstance(loaded, dict) else ())
                    if isinstance(path, str)
                    and isinstance(entry, tuple)
                    and len(entry) == 2
                    and isinstance(entry[1], str)
                    and isinstance(entry[0], tuple)
                }
            except Exception:  # noqa: BLE001 - missing or corrupt: start afresh
                self._index = {}
        return self._index

    def key(self, path: str) -> str | None:
        if path not in self.keys:
            stamp = self.stamps[path] = _stamp(path)
            known = self._stat_index().get(path)
            if stamp is not None and known is not None and known[0] == stamp:
                self.keys[path] = known[1]
                return known[1]
            try:
                data = read_bytes(path)
            except OSError:
                self.keys[path] = None
                return None
            digest = hashlib.blake2b(digest_size=20)
            digest.update(path.encode("utf-8", "surrogateescape"))
            digest.update(b"\0")
            digest.update(data)
            key = self.keys[path] = digest.hexdigest()
            # Like git's "racily clean" rule: a file written in the last seconds may change again
            # within the same timestamp, so it is hashed again next time rather than trusted.
            if stamp is not None and stamp[0] < time.time_ns() - 2_000_000_000:
                self._stat_index()[path] = (stamp, key)
                self._index_dirty = True
        return self.keys[path]

    def unchanged(self, path: str) -> bool:
        stamp = self.stamps.get(path)
        return stamp is not None and _stamp(path) == stamp

    # -- storage -----------------------------------------------------------------------------------
    def _entry(self, kind: str, key: str) -> str:
        return os.path.join(self.root, kind, key[:2], key + ".pickle")

    def _read(self, kind: str, key: str) -> Any:
        try:
            with open(self._entry(kind, key), "rb") as handle:
                return pickle.load(handle)
        except Exception:  # noqa: BLE001 - missing or corrupt: a miss, rewritten later
            return None

    @staticmethod
    def _read_bytes(entry: str) -> bytes | None:
        try:
            with open(entry, "rb") as handle:
                return handle.read()
        except OSError:
            return None

    def _write(self, kind: str, key: str, value: Any) -> None:
        self._write_file(self._entry(kind, key), value)

    @staticmethod
    def _write_file(entry: str, value: Any) -> None:
        """Write to a temporary file and rename it into place: readers never see half an entry.
        *value* is pickled, unless it is bytes already (a facts entry, see facts/serial.py)."""
        try:
            os.makedirs(os.path.dirname(entry), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(entry), suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    if isinstance(value, bytes):
                        handle.write(value)
                    else:
                        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, entry)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            pass  # disk full or read-only: the run still succeeds without caching

    # -- facts -------------------------------------------------------------------------------------
    def lookup(self, paths: list[str]) -> dict[str, Analysed]:
        found: dict[str, Analysed] = {}
        for path in paths:
            key = self.key(path)
            if key is None:
                continue
            data = self._read_bytes(self._entry("facts", key))
            entry = serial.loads(data) if data is not None else None
            if entry is not None and entry[0].path == path:
                found[path] = Analysed(entry[0], None, entry[1])
        return found

    def store(self, analysed: dict[str, Analysed]) -> None:
        for path, value in analysed.items():
            key = self.key(path)
            if key is not None and self.unchanged(path):
                # The source text is not cached: it is re-read only for files with findings.
                self._write_file(self._entry("facts", key), serial.dumps(value.facts, value.ignored))

    # -- whole runs --------------------------------------------------------------------------------
    def run_key(self, options: str, paths: list[str]) -> str:
        digest = hashlib.blake2b(digest_size=20)
        digest.update(options.encode("utf-8", "surrogateescape"))
        for path in paths:
            key = self.key(path)
            digest.update(f"\0{path}\0{key}".encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def load_run(self, run_key: str) -> Any:
        entry = self._read("runs", run_key)
        if not isinstance(entry, RunEntry):
            return None
        for path, key in entry.deps.items():
            self.keys.pop(path, None)  # hash it afresh
            if self.key(path) != key:
                return None
        # A module created (or deleted) where an import looked changes what it resolves to.
        for path, existed in (entry.probed or {}).items():
            if os.path.isfile(path) != existed:
                return None
        return entry.payload

    def store_run(self, run_key: str, covered: set[str], payload: Any, probed: dict[str, bool] | None = None) -> None:
        if not all(self.unchanged(p) for p, k in self.keys.items() if k is not None):
            return  # something changed while the run read it: these findings may mix versions
        deps = {p: k for p, k in self.keys.items() if p not in covered and k is not None}
        probed = {p: found for p, found in (probed or {}).items() if p not in covered and p not in deps}
        self._write("runs", run_key, RunEntry(deps, payload, probed))

    def close(self) -> None:
        if self._index_dirty and self._index is not None:
            self._write_file(os.path.join(self.root, "stat.index"), self._index)
            self._index_dirty = False
        self.keys.clear()
        self.stamps.clear()


CACHE_DIR_NAME = ".scopecheck_cache"


def default_cache_dir(start: str) -> str:
    """``.scopecheck_cache/`` at the project root above *start* (pyproject.toml, setup.cfg, ...,
    .git); with no project root, in the current directory, as ruff does, never inside the
    linted folder."""
    from scopecheck.config import PROJECT_MARKERS, find_upward

    root = find_upward(os.path.abspath(start), PROJECT_MARKERS)
    return os.path.join(root or os.getcwd(), CACHE_DIR_NAME)
