"""The ``scopecheck`` command line's options, checked and resolved into one ``RunConfig``.

A mistake in an option, a path or the config is a ``UsageProblem``: one line, exit status 2.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from scopecheck.config import ConfigError, Settings, load_settings, parse_moto_version
from scopecheck.findings import Severity
from scopecheck.selection import split_codes, validate_codes

if TYPE_CHECKING:
    from scopecheck.run_config import RunConfig
    from scopecheck.runtime_report import Runtime


class UsageProblem(click.UsageError):
    """A bad option value or config: reported as one line, exit status 2."""


def codes(option: str, values: tuple[str, ...]) -> list[str]:
    try:
        return validate_codes(split_codes(values))
    except ValueError as exc:
        raise UsageProblem(f"{option}: {exc}") from None


def moto_major(target_moto_version: str | None) -> int | None:
    """``--target-moto-version``'s major version, None when not given."""
    try:
        if target_moto_version is None:
            return None
        return parse_moto_version("--target-moto-version", target_moto_version)
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None


def check_fix_flags(fix: bool, diff: bool, show_fixes: bool, unsafe_fixes: bool, exit_non_zero_on_fix: bool) -> None:
    for flag, given in (
        ("--show-fixes", show_fixes),
        ("--unsafe-fixes", unsafe_fixes),
        ("--exit-non-zero-on-fix", exit_non_zero_on_fix),
    ):
        if given and not (fix or diff):
            raise UsageProblem(f"{flag} does nothing without --fix or --diff")


def check_cache_dir(cache_dir: str) -> None:
    """A file in the way is a mistake worth saying; an unwritable directory only costs the cache."""
    existing = os.path.abspath(cache_dir)
    while not os.path.lexists(existing) and os.path.dirname(existing) != existing:
        existing = os.path.dirname(existing)
    if os.path.lexists(existing) and not os.path.isdir(existing):
        shown = cache_dir if os.path.abspath(cache_dir) == existing else existing
        raise UsageProblem(f"--cache-dir: {cache_dir!r} is not a directory ({shown} is a file)")


def check_inputs(
    paths: tuple[str, ...], stdin_filename: str | None, config_path: str | None, no_config: bool
) -> tuple[list[str], bool]:
    """The paths to lint (default: the current directory) and whether that is stdin (``-``)."""
    path_list = list(paths) or ["."]
    reads_stdin = path_list == ["-"]
    if "-" in path_list and not reads_stdin:
        raise UsageProblem("`-` (stdin) cannot be combined with other paths")
    if stdin_filename and not reads_stdin:
        raise UsageProblem("--stdin-filename needs `-` as the only path")
    for path in path_list:
        if path != "-" and not os.path.lexists(path):
            raise UsageProblem(f"path {path!r} does not exist")
    if config_path and no_config:
        raise UsageProblem("--config and --no-config cannot be used together")
    if config_path and not os.path.isfile(config_path):
        raise UsageProblem(f"--config: {config_path!r} is not a file")
    return path_list, reads_stdin


def run_config(
    start: str,
    *,
    config_path: str | None,
    no_config: bool,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    target_moto: int | None,
    fail_on: str | None,
    cache: bool,
    cache_dir: str | None,
) -> RunConfig:
    """The settings found from *start* (or the ``--config`` file) with the options on top."""
    try:
        settings: Settings = load_settings(start, config_path=config_path, use_config=not no_config)
    except ConfigError as exc:
        raise UsageProblem(f"config: {exc}") from None

    from scopecheck.run_config import resolve

    config = resolve(
        settings,
        start,
        select=codes("--select", select) if select else None,
        extend_select=codes("--extend-select", extend_select) if extend_select else (),
        ignore=codes("--ignore", ignore) if ignore else (),
        target_moto=target_moto,
        fail_on=Severity.parse(fail_on) if fail_on else None,
        cache=cache,
        cache_dir=cache_dir,
    )
    if not _any_rule_on(list(config.select), list(config.ignore)):
        raise UsageProblem("the selection turns every rule off (see --select, --ignore and the config's select)")
    return config


def _any_rule_on(select: list[str], ignore: list[str]) -> bool:
    from scopecheck.rules import ALL_RULES
    from scopecheck.selection import is_enabled

    return any(is_enabled(rule.code, select, ignore) for rule in ALL_RULES)


def read_stdin() -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    return stream.read() if stream is not None else sys.stdin.read().encode("utf-8")


def runtime_reports(files: tuple[str, ...]) -> Runtime | None:
    """The ``--runtime-report`` files, loaded (None when there are none)."""
    if not files:
        return None
    from scopecheck.runtime_report import RuntimeReportError, load

    try:
        return load(list(files))
    except RuntimeReportError as exc:
        raise UsageProblem(str(exc)) from None
