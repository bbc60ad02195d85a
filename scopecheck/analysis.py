"""One file from bytes to facts; never raises for anything a user's file can contain."""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass

from scopecheck.facts.extract import extract
from scopecheck.facts.model import FileFacts
from scopecheck.findings import Location
from scopecheck.source import SourceError, decode_source, read_bytes
from scopecheck.suppressions import Suppressions, may_ignore_file


@dataclass
class Analysed:
    facts: FileFacts
    text: str | None  # decoded source, kept for suppression comments and --show-source
    ignored: bool = False  # the file says ``# scopecheck: ignore-file``


def is_test_module(path: str) -> bool:
    name = os.path.basename(path)
    return name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))


def is_conftest(path: str) -> bool:
    return os.path.basename(path) == "conftest.py"


def _failed(path: str, reason: str) -> Analysed:
    facts = FileFacts(path=path, is_test_module=is_test_module(path), is_conftest=is_conftest(path))
    facts.parse_error = (Location(1, 1, 1, 1), reason)
    return Analysed(facts, None)


def analyse_bytes(path: str, data: bytes) -> Analysed:
    try:
        source = decode_source(data)
    except SourceError as exc:
        return _failed(path, str(exc))
    text = source.text
    if may_ignore_file(data) and Suppressions(text).ignores_file():
        return Analysed(FileFacts(path=path), text, ignored=True)
    try:
        facts = extract(path, text, is_test_module=is_test_module(path), is_conftest=is_conftest(path))
    except RecursionError:
        return _failed(path, "too deeply nested to analyse")
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return _failed(
            path,
            f"internal error ({type(exc).__name__}: {exc} at {os.path.basename(where.filename)}:"
            f"{where.lineno}); please report this",
        )
    return Analysed(facts, text)


def analyse_path(path: str) -> Analysed:
    try:
        data = read_bytes(path)
    except IsADirectoryError:
        return _failed(path, "is a directory")
    except OSError as exc:
        return _failed(path, f"cannot read: {exc.strerror or exc}")
    return analyse_bytes(path, data)
