"""A content-addressed cache of per-file facts, so a warm run parses only what changed.

Each entry is one file named by the hash of (scopecheck version, path, content), written to a
temporary file and renamed into place, so concurrent runs never see half an entry. An entry that
cannot be read is ignored and rewritten. Facts do not depend on configuration (rules run after
the cache), so settings changes need no invalidation.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from typing import TYPE_CHECKING

from scopecheck import __version__
from scopecheck.analysis import Analysed

if TYPE_CHECKING:
    from scopecheck.engine import LintRequest

SCHEMA = "1"


class FactsCache:
    def __init__(self, directory: str) -> None:
        self.root = os.path.join(directory, f"v{__version__}-{SCHEMA}")
        self._keys: dict[str, str] = {}

    @classmethod
    def open(cls, directory: str, request: LintRequest | None = None) -> FactsCache | None:
        try:
            os.makedirs(directory, exist_ok=True)
            marker = os.path.join(directory, ".gitignore")
            if not os.path.exists(marker):
                with open(marker, "w", encoding="utf-8") as handle:
                    handle.write("# Created by scopecheck\n*\n")
        except OSError:
            return None  # a read-only tree simply runs without a cache
        return cls(directory)

    def _key(self, path: str) -> str | None:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        digest = hashlib.blake2b(digest_size=20)
        digest.update(path.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _entry(self, key: str) -> str:
        return os.path.join(self.root, key[:2], key + ".pickle")

    def lookup(self, paths: list[str]) -> dict[str, Analysed]:
        found: dict[str, Analysed] = {}
        for path in paths:
            key = self._key(path)
            if key is None:
                continue
            self._keys[path] = key
            try:
                with open(self._entry(key), "rb") as handle:
                    value = pickle.load(handle)
            except FileNotFoundError:
                continue
            except Exception:  # noqa: BLE001 - a corrupt entry is a miss, rewritten below
                continue
            if isinstance(value, Analysed) and value.facts.path == path:
                found[path] = value
        return found

    def store(self, analysed: dict[str, Analysed]) -> None:
        for path, value in analysed.items():
            key = self._keys.get(path) or self._key(path)
            if key is None:
                continue
            entry = self._entry(key)
            try:
                os.makedirs(os.path.dirname(entry), exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=os.path.dirname(entry), suffix=".tmp")
                try:
                    with os.fdopen(fd, "wb") as handle:
                        # The source text is not cached: it is re-read only for files with findings.
                        slim = Analysed(value.facts, None, value.ignored)
                        pickle.dump(slim, handle, protocol=pickle.HIGHEST_PROTOCOL)
                    os.replace(tmp, entry)
                except BaseException:
                    os.unlink(tmp)
                    raise
            except OSError:
                return  # disk full or read-only: the run still succeeds without caching

    def close(self) -> None:
        self._keys.clear()
