"""pytest plugin: draw when each fixture instance and moto's mock were alive, test by test.

    pytest -p scopecheck.timeline --scope-timeline            # chart in the terminal summary
    pytest -p scopecheck.timeline --scope-timeline=ascii      # same, ASCII only
    pytest -p scopecheck.timeline --scope-timeline=out.svg    # picture (or .html)

The option is read when the session starts and again just before the tests run, so a
conftest may switch it on from its own pytest_configure (`config.option.scope_timeline =
"term"`). While it is off the plugin registers no recording hooks and imports nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

OPTION = "scope_timeline"
TERM_VALUES = ("term", "ascii")
FILE_SUFFIXES = (".svg", ".html", ".htm")

_RECORDER = pytest.StashKey[Any]()
_TARGET = pytest.StashKey[str]()
_SOURCES = pytest.StashKey[Any]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("scope-timeline", "scopecheck scope timeline")
    group.addoption(
        "--scope-timeline",
        dest=OPTION,
        nargs="?",
        const="term",
        default=None,
        metavar="term|ascii|FILE.svg|FILE.html",
        help="show when each fixture instance and moto's mock lived, one column per test: "
        "in the terminal summary (default), or written as an SVG/HTML picture.",
    )
    group.addoption(
        "--scope-timeline-all",
        dest="scope_timeline_all",
        action="store_true",
        default=False,
        help="also chart fixtures from pytest itself and installed plugins.",
    )


def check_target(value: object) -> str:
    """The option value, validated: 'term', 'ascii' or a path ending in .svg/.html."""
    text = str(value).strip()
    if text.lower() in TERM_VALUES:
        return text.lower()
    if Path(text).suffix.lower() in FILE_SUFFIXES:
        return text
    hint = ""
    if Path(text).exists():
        # `--scope-timeline tests/` makes argparse take the path as the option's value.
        hint = " (it looks like a test path: write --scope-timeline=term, or put it last)"
    raise pytest.UsageError(
        f"--scope-timeline={text!r}: expected 'term', 'ascii' or a file name ending in .svg or .html{hint}"
    )


def check_writable(target: str, base: Path) -> None:
    """A picture's path must be writable (missing directories are created): a usage error now,
    not a traceback after the tests have passed."""
    if target in TERM_VALUES:
        return
    path = Path(target) if Path(target).is_absolute() else base / target
    problem = ""
    if path.is_dir():
        problem = "is a directory"
    else:
        ancestor = path.parent
        while not ancestor.exists() and ancestor != ancestor.parent:
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            problem = f"cannot be created: {ancestor} is not a directory"
        elif not os.access(ancestor, os.W_OK | os.X_OK):
            problem = f"cannot be written: no permission in {ancestor}"
    if problem:
        raise pytest.UsageError(f"--scope-timeline={target!r}: {path} {problem}")


def _wanted(config: pytest.Config) -> object:
    return getattr(config.option, OPTION, None)


def pytest_configure(config: pytest.Config) -> None:
    # Fail early on a bad value given on the command line; a conftest may still set it later.
    value = _wanted(config)
    if value:
        check_writable(check_target(value), Path(config.invocation_params.dir))


def _activate(config: pytest.Config) -> None:
    value = _wanted(config)
    if not value or _RECORDER in config.stash:
        return  # off, or already on
    from scopecheck.timeline import xdist_transport
    from scopecheck.timeline.recorder import shared

    config.stash[_TARGET] = check_target(value)
    check_writable(config.stash[_TARGET], Path(config.invocation_params.dir))
    # The run's one recorder: the guard (-p scopecheck.guard) reads the same records.
    recorder = shared(config, include_all=bool(getattr(config.option, "scope_timeline_all", False)))
    config.stash[_RECORDER] = recorder
    # An xdist worker sends its records to the controller, which draws one lane per worker.
    config.stash[_SOURCES] = xdist_transport.install(config, recorder)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    _activate(session.config)


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    # A conftest found during collection may have switched the option on since.
    _activate(session.config)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    recorder = config.stash.get(_RECORDER, None)
    if recorder is None or hasattr(config, "workerinput"):
        return  # off, or an xdist worker: the controller draws its records
    from scopecheck.timeline.output import report

    report(recorder.timeline(), config.stash[_TARGET], terminalreporter, config, config.stash[_SOURCES].paths)


def pytest_unconfigure(config: pytest.Config) -> None:
    recorder = config.stash.get(_RECORDER, None)
    if recorder is None:
        return
    from scopecheck.timeline.recorder import release

    release(config)
    del config.stash[_RECORDER]


__all__ = ["OPTION", "check_target"]
