"""Which environment variables the project's test configuration sets before the tests run.

Read with tomllib and configparser, never by searching text: a variable named in tox's
``passenv`` or in a comment sets nothing. Sources, as pytest and its plugins read them:

* pytest-env's ``env`` option in the file pytest takes its configuration from (the first of
  pytest.ini, .pytest.ini, pyproject.toml ``[tool.pytest.ini_options]`` or ``[tool.pytest]``,
  tox.ini ``[pytest]``, setup.cfg ``[tool:pytest]``), lines ``KEY=VALUE`` with optional ``D:``
  (default: only when unset) and ``R:`` (raw) prefixes; both still set the variable in CI;
* pytest-env's own ``[tool.pytest_env]`` table in pyproject.toml;
* tox's ``setenv`` in ``[testenv]`` sections, which tox applies when it runs the tests;
* ``NAME: value`` in GitHub Actions workflows (``env:``), with which CI runs them.
"""

from __future__ import annotations

import configparser
import os
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from scopecheck.source import read_bytes

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

_PREFIXES = ("D:", "R:")


def _env_line(line: str) -> tuple[str, str] | None:
    """``D:R:AWS_DEFAULT_REGION = us-east-1`` -> (name, value); None for anything else."""
    text = line.strip()
    if not text or text.startswith(("#", ";")):
        return None
    stripped = True
    while stripped:
        stripped = False
        for prefix in _PREFIXES:
            if text.upper().startswith(prefix):
                text, stripped = text[len(prefix) :].lstrip(), True
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        return None
    return name.strip(), value.strip()


def _lines(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield from value.splitlines()
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                yield from item.splitlines()


def _pairs(lines: Iterable[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lines:
        pair = _env_line(line)
        if pair is not None:
            found[pair[0]] = pair[1]
    return found


def _read(path: str) -> str | None:
    try:
        return read_bytes(path).decode("utf-8", "replace")  # never blocks on a FIFO
    except OSError:
        return None


def _ini(text: str) -> configparser.ConfigParser | None:
    parser = configparser.ConfigParser(interpolation=None, strict=False, delimiters=("=",))
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    return parser


def _toml(text: str) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    return data if isinstance(data, dict) else None


def _table(data: dict[str, Any], *keys: str) -> dict[str, Any] | None:
    for key in keys:
        value = data.get(key) if isinstance(data, dict) else None
        if not isinstance(value, dict):
            return None
        data = value
    return data


def _pytest_env_table(table: dict[str, Any]) -> dict[str, str]:
    """``[tool.pytest_env]``: ``NAME = "value"`` or ``NAME = {value = "...", unset = false}``."""
    found: dict[str, str] = {}
    for name, value in table.items():
        if isinstance(value, dict):
            if value.get("unset"):
                continue
            value = value.get("value")
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            found[str(name)] = str(value)
    return found


class Unreadable(Exception):
    """The file pytest takes its configuration from cannot be parsed."""


def _pytest_config(root: str) -> dict[str, str]:
    """pytest-env's variables from the file pytest would pick in *root*."""
    for name in ("pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"):
        text = _read(os.path.join(root, name))
        if text is None:
            continue
        if name.endswith(".toml"):
            data = _toml(text)
            if data is None:
                raise Unreadable(name)
            for keys in (("tool", "pytest", "ini_options"), ("tool", "pytest")):
                table = _table(data, *keys)
                if table is not None:
                    return _pairs(_lines(table.get("env")))
            continue
        parser = _ini(text)
        if parser is None:
            raise Unreadable(name)
        section = {"tox.ini": "pytest", "setup.cfg": "tool:pytest"}.get(name, "pytest")
        if parser.has_section(section):
            return _pairs(_lines(parser.get(section, "env", fallback="")))
        if name in ("pytest.ini", ".pytest.ini"):
            return {}  # pytest uses it even without a [pytest] section
    return {}


def _tox_setenv(root: str) -> dict[str, str]:
    text = _read(os.path.join(root, "tox.ini"))
    parser = _ini(text) if text is not None else None
    found: dict[str, str] = {}
    if parser is None:
        return found
    for section in parser.sections():
        if section == "testenv" or section.startswith("testenv:"):
            found.update(_pairs(_lines(parser.get(section, "setenv", fallback=""))))
    return found


_YAML_ENV = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(\S.*?)\s*$")


def _workflow_env(root: str) -> dict[str, str]:
    """``NAME: value`` entries of GitHub Actions workflows (their ``env:`` maps): CI runs the tests
    with them. Read line by line, comments dropped: only keys that look like variables count."""
    found: dict[str, str] = {}
    folder = os.path.join(root, ".github", "workflows")
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return found
    for name in names:
        if not name.endswith((".yml", ".yaml")):
            continue
        text = _read(os.path.join(folder, name)) or ""
        for line in text.splitlines():
            match = _YAML_ENV.match(line.split(" #", 1)[0])
            if match and match.group(1).isupper() and not match.group(2).startswith("#"):
                found[match.group(1)] = match.group(2).strip("'\"")
    return found


def configured_env(root: str) -> dict[str, str]:
    """Variables the test configuration in *root* sets (value as written); raises Unreadable."""
    found = _workflow_env(root)
    found.update(_tox_setenv(root))
    text = _read(os.path.join(root, "pyproject.toml"))
    data = _toml(text) if text is not None else None
    table = _table(data, "tool", "pytest_env") if data is not None else None
    if table is not None:
        found.update(_pytest_env_table(table))
    found.update(_pytest_config(root))
    return found
