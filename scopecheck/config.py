"""``[tool.scopecheck]`` in pyproject.toml: loading and validating settings."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any

from scopecheck.findings import Severity
from scopecheck.selection import validate_codes

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "build",
    "dist",
    "__pycache__",
    "node_modules",
    "site-packages",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".scopecheck_cache",
    ".eggs",
)
PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", "pytest.ini", "tox.ini", ".git")


class ConfigError(Exception):
    """A bad setting; the message is one line and names the key."""


@dataclass
class Settings:
    select: list[str] = field(default_factory=lambda: ["SCP"])
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDES))
    extend_exclude: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.INFO
    target_moto_version: int | None = None
    respect_gitignore: bool = True
    config_path: str | None = None
    base_dir: str = "."  # where relative globs in the config are anchored


def _str_list(key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ConfigError(f"'{key}' must be a list of strings, got {value!r}")


def parse_moto_version(key: str, value: Any) -> int:
    text = str(value).strip()
    major = text.split(".")[0]
    if isinstance(value, bool) or not major.isdigit() or int(major) < 1:
        raise ConfigError(f"'{key}' must be a moto version such as 5 or \"4.2\", got {value!r}")
    from scopecheck.moto_version import LATEST_MAJOR

    if int(major) > LATEST_MAJOR:
        raise ConfigError(f"'{key}': there is no moto {int(major)} yet (the newest is {LATEST_MAJOR}), got {value!r}")
    return int(major)


def _codes(key: str, value: Any) -> list[str]:
    codes = _str_list(key, value)
    try:
        return validate_codes(codes)
    except ValueError as exc:
        raise ConfigError(f"'{key}': {exc}") from None


def _apply(settings: Settings, table: dict[str, Any]) -> None:
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key == "select":
            settings.select = _codes(raw_key, value)
        elif key == "extend-select":
            settings.extend_select = _codes(raw_key, value)
        elif key == "ignore":
            settings.ignore = _codes(raw_key, value)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"'{raw_key}' must be a table of glob = [codes], got {value!r}")
            settings.per_file_ignores = {str(glob): _codes(f"{raw_key}.{glob}", codes) for glob, codes in value.items()}
        elif key == "exclude":
            settings.exclude = _str_list(raw_key, value)
        elif key == "extend-exclude":
            settings.extend_exclude = _str_list(raw_key, value)
        elif key == "fail-on":
            try:
                settings.fail_on = Severity.parse(str(value))
            except ValueError as exc:
                raise ConfigError(f"'{raw_key}': {exc}") from None
        elif key == "target-moto-version":
            settings.target_moto_version = parse_moto_version(raw_key, value)
        elif key == "respect-gitignore":
            if not isinstance(value, bool):
                raise ConfigError(f"'{raw_key}' must be true or false, got {value!r}")
            settings.respect_gitignore = value
        else:
            raise ConfigError(f"unknown key '{raw_key}' in [tool.scopecheck]")


def apply_table(settings: Settings, table: dict[str, Any]) -> None:
    """Apply ``[tool.scopecheck]`` keys to *settings* (as read from pyproject.toml)."""
    _apply(settings, table)


def find_upward(start: str, names: tuple[str, ...]) -> str | None:
    directory = os.path.abspath(start)
    if not os.path.isdir(directory):
        directory = os.path.dirname(directory)
    while True:
        for name in names:
            if os.path.exists(os.path.join(directory, name)):
                return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def project_root(start: str) -> str:
    """The nearest directory at or above *start* that looks like a project root (pyproject.toml,
    setup.cfg, ..., .git), else a guess: see guessed_project_root."""
    found = find_upward(os.path.abspath(start), PROJECT_MARKERS)
    return found if found else guessed_project_root(start)


def guessed_project_root(start: str) -> str:
    """Where pytest would import from when no marker file exists: up from *start* while the
    directory is a package (has __init__.py) or its parent holds a conftest.py, so that linting a
    subdirectory guesses the same root as linting the whole tree."""
    start = os.path.abspath(start)
    directory = start if os.path.isdir(start) else os.path.dirname(start)
    while True:
        parent = os.path.dirname(directory)
        if parent == directory:
            return directory
        is_package = os.path.isfile(os.path.join(directory, "__init__.py"))
        if not (is_package or os.path.isfile(os.path.join(parent, "conftest.py"))):
            return directory
        directory = parent


def root_is_guessed(start: str) -> bool:
    """No pyproject.toml, setup.cfg, tox.ini, .git, ... at or above *start*."""
    return find_upward(os.path.abspath(start), PROJECT_MARKERS) is None


def _read_toml(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 (byte {exc.start})") from None


def _tool(data: dict[str, Any]) -> dict[str, Any]:
    """The ``[tool]`` table; a malformed ``tool = 3`` holds no settings of ours."""
    tool = data.get("tool", {})
    return tool if isinstance(tool, dict) else {}


def load_settings(start: str, *, config_path: str | None = None, use_config: bool = True) -> Settings:
    """Settings from *config_path*, or the nearest pyproject.toml with [tool.scopecheck]."""
    settings = Settings(base_dir=os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or "."))
    if not use_config:
        return settings
    if config_path is not None:
        data = _read_toml(config_path)
        # A pyproject-style file (it has a [tool] table, or that name) keeps our settings in
        # [tool.scopecheck]; any other file is the table itself.
        pyproject_style = "tool" in data or os.path.basename(config_path) == "pyproject.toml"
        table = _tool(data).get("scopecheck") if pyproject_style else data
        if table is None:
            raise ConfigError(f"{config_path} has no [tool.scopecheck] table")
        settings.config_path = os.path.abspath(config_path)
        settings.base_dir = os.path.dirname(settings.config_path)
        if not isinstance(table, dict):
            raise ConfigError(f"{config_path}: [tool.scopecheck] must be a table")
        _apply(settings, table)
        return settings
    directory: str | None = settings.base_dir
    while directory:
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate):
            data = _read_toml(candidate)
            table = _tool(data).get("scopecheck")
            if table is not None:
                if not isinstance(table, dict):
                    raise ConfigError(f"{candidate}: [tool.scopecheck] must be a table")
                settings.config_path = candidate
                settings.base_dir = directory
                _apply(settings, table)
                return settings
        parent = os.path.dirname(directory)
        directory = parent if parent != directory else None
    return settings


def ini_sets_default_region(project_root: str) -> bool:
    """Whether the test configuration (pytest-env settings, tox ``setenv``) sets
    ``AWS_DEFAULT_REGION``, the only variable botocore reads a region from (``AWS_REGION`` is
    not). An unparsable pytest configuration is unknown: treated as setting it."""
    from scopecheck.pytest_env import Unreadable, configured_env

    try:
        return bool(configured_env(project_root).get("AWS_DEFAULT_REGION"))
    except Unreadable:
        return True
