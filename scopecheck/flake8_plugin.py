"""flake8 adapter: ``flake8 --select SCP`` reports what ``scopecheck`` reports for the same file.

A thin shim over the engine. flake8 hands over one file's lines; the engine finds the conftest.py
chain above it and reads ``[tool.scopecheck]`` from pyproject.toml (flake8 never reads pyproject),
so target moto version, select/ignore, per-file-ignores and excludes mean the same in both tools.
flake8's own ``--select``/``--ignore``/``# noqa`` then filter on top, as for any plugin.
A saved file is linted by path through the command line's facts cache; a conftest.py together with
the tests below it, whose use of its fixtures some findings depend on.
"""

from __future__ import annotations

import ast
import io
import os
import sys
import tokenize
from collections.abc import Iterator, Sequence
from typing import Any

from scopecheck import __version__
from scopecheck.analysis import is_conftest

_STDIN_NAMES = ("-", "stdin")


def _encode(lines: Sequence[str]) -> bytes:
    """Back to bytes in the file's own encoding, so a coding cookie still decodes what we pass."""
    text = "".join(lines)
    head = "".join(lines[:2]).encode("utf-8", "surrogateescape")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(head).readline)
        return text.encode(encoding)
    except (SyntaxError, LookupError, UnicodeEncodeError):
        return text.encode("utf-8", "surrogateescape")


class ScopecheckChecker:
    """flake8 calls ``run()`` once per file; each result is ``(row, 0-based col, "SCPnnn msg", type)``."""

    name = "scopecheck"
    version = __version__

    # flake8 classifies plugins by parameter names: ``tree`` makes this an AST plugin. The tree itself
    # is not used (scopecheck needs libcst), only the file's name and text.
    def __init__(self, tree: ast.AST | None, filename: str, lines: Sequence[str]) -> None:
        self.filename = filename
        self.lines = lines

    @classmethod
    def parse_options(cls, options: object) -> None:
        """Called once in flake8's main process, before its workers fork: a broken config of the
        project flake8 runs in is reported here, once, and the forked workers inherit the fact."""
        from scopecheck.config import ConfigError, load_settings

        try:
            load_settings(os.getcwd())
        except ConfigError as exc:
            _warn_once(_config_warning(exc))

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        from scopecheck.config import ConfigError, load_settings
        from scopecheck.discovery import discover
        from scopecheck.engine import LintRequest, lint
        from scopecheck.run_config import resolve

        on_disk = self.filename not in _STDIN_NAMES
        name = self.filename if on_disk else "stdin.py"
        try:
            settings = load_settings(name)
        except ConfigError as exc:
            # A typo in [tool.scopecheck] must not stop flake8's other checks: say so once, skip SCP.
            _warn_once(_config_warning(exc))
            return
        if on_disk and not discover([name], settings, force_exclude=True).files:
            return  # excluded by scopecheck's config, as `scopecheck --force-exclude` would skip it
        data = _encode(self.lines)
        wanted = os.path.abspath(name)
        saved = on_disk and _same_as_disk(name, data)
        # The file as saved is linted by path, through the cache the command line uses, so the
        # conftest.py chain and imported modules are parsed once per run, not once per file.
        config = resolve(settings, name, cache=saved)
        request = LintRequest(paths=[], config=config, jobs=1)  # flake8 runs its own worker processes
        if saved:
            # A conftest.py finding can hinge on the tests that use its fixtures (SCP103: a test requests
            # the fixture before the mock fixture), so lint the directory it governs and keep its findings.
            request.paths = [os.path.dirname(wanted) if is_conftest(name) else name]
        else:
            request.stdin_text, request.stdin_filename = data, name  # stdin, or an editor's unsaved buffer
        for finding in lint(request).findings:
            if os.path.abspath(finding.path) == wanted:
                yield finding.line, finding.column - 1, f"{finding.code} {finding.message}", type(self)


_WARNED: set[str] = set()


def _config_warning(exc: Exception) -> str:
    return f"scopecheck (flake8 plugin): config error, SCP checks skipped: {exc}"


def _warn_once(message: str) -> None:
    """One line on stderr per flake8 process (each of flake8's worker processes says it once)."""
    if message not in _WARNED:
        _WARNED.add(message)
        sys.stderr.write(message + "\n")
        sys.stderr.flush()


def _same_as_disk(path: str, data: bytes) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False
