"""pytest plugin: catch, while the tests run, what the linter can only suspect.

    pytest -p scopecheck.guard                                   # strict: escaping requests fail
    pytest -p scopecheck.guard --scopecheck-guard=warn           # report only
    pytest -p scopecheck.guard --scopecheck-guard-report=guard.json

Opt-in: nothing registers it for every pytest run (no pytest11 entry point); put
`-p scopecheck.guard` in `addopts` to keep it on. The ini option `scopecheck_guard` (strict, warn,
off) sets the mode. It records every botocore client and Session built, every moto start/stop,
every request moto did not serve and every signing failure (docs/guard.md lists the event kinds).
It reports only when moto was imported, never opens a connection, and an internal error of its
own becomes one warning line.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any

import pytest

MODES = ("strict", "warn", "off")
WORKER_KEY = "scopecheck_guard"

_GUARD = pytest.StashKey[Any]()
_MERGED = pytest.StashKey[list]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("scopecheck-guard", "scopecheck guard")
    group.addoption(
        "--scopecheck-guard",
        dest="scopecheck_guard",
        default=None,
        choices=MODES,
        help="strict (default): a test whose AWS request moto did not serve fails; warn: report only; off.",
    )
    group.addoption(
        "--scopecheck-guard-report",
        dest="scopecheck_guard_report",
        default=None,
        metavar="FILE.json",
        help="write the guard's events as JSON (docs/guard.md describes the format).",
    )
    parser.addini("scopecheck_guard", "scopecheck guard mode: strict, warn or off", default="strict")


def _mode(config: pytest.Config, namespace: Any = None) -> str:
    value = getattr(namespace if namespace is not None else config.option, "scopecheck_guard", None)
    if value is None:
        value = str(config.getini("scopecheck_guard") or "strict").strip().lower()
    if value not in MODES:
        raise pytest.UsageError(f"scopecheck_guard = {value!r}: expected one of {', '.join(MODES)}")
    return value


def _is_controller(config: pytest.Config, namespace: Any) -> bool:
    if hasattr(config, "workerinput") or os.environ.get("PYTEST_XDIST_WORKER"):
        return False  # an xdist worker (workerinput is set only after the conftests load)
    # --dist is still "no" this early (xdist turns -n into load later): -n or --tx decide.
    return bool(getattr(namespace, "numprocesses", None)) or bool(getattr(namespace, "tx", None))


def _warn(config: pytest.Config, text: str) -> None:
    warnings.warn(pytest.PytestWarning(f"scopecheck guard: {text}"), stacklevel=2)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: Any, args: Any) -> None:
    # Before the first conftest is imported: a client built there at import is recorded too.
    namespace = early_config.known_args_namespace
    mode = _mode(early_config, namespace)
    if mode == "off" or _GUARD in early_config.stash:
        return
    if _is_controller(early_config, namespace):
        early_config.stash[_MERGED] = []
        return  # workers record; the controller only merges their events
    try:
        _start(early_config, mode)
    except Exception as exc:  # never crash a run
        _warn(early_config, f"internal error, guard off ({type(exc).__name__}: {exc})")


def _start(config: pytest.Config, mode: str) -> None:
    from scopecheck.guard import botowatch, envwatch, serverwatch
    from scopecheck.guard.collector import Guard
    from scopecheck.timeline import motowatch
    from scopecheck.timeline.recorder import shared

    recorder = shared(config)
    guard = Guard(recorder, strict=mode == "strict", root=str(config.rootpath))
    recorder.observers.append(guard)  # type: ignore[arg-type]  # Observer is structural
    botowatch.add_sink(guard)
    envwatch.add_writer(guard.env_written)
    serverwatch.add_sink(guard)
    motowatch.add_detail_listener(guard.mock_changed)
    config.stash[_GUARD] = guard


def _stop(config: pytest.Config) -> None:
    guard = config.stash.get(_GUARD, None)
    if guard is None:
        return
    from scopecheck.guard import botowatch, envwatch, serverwatch
    from scopecheck.timeline import motowatch
    from scopecheck.timeline.recorder import release

    botowatch.remove_sink(guard)
    envwatch.remove_writer(guard.env_written)
    serverwatch.remove_sink(guard)
    motowatch.remove_detail_listener(guard.mock_changed)
    if guard in guard.recorder.observers:
        guard.recorder.observers.remove(guard)
    release(config)
    del config.stash[_GUARD]


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("xdist") and not config.pluginmanager.has_plugin("scopecheck-guard-xdist"):
        config.pluginmanager.register(_XdistHooks(), "scopecheck-guard-xdist")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    guard = config.stash.get(_GUARD, None)
    if guard is None:
        return
    try:
        guard.session_finished()
        workeroutput = getattr(config, "workeroutput", None)
        if workeroutput is not None:
            workeroutput[WORKER_KEY] = json.dumps(_worker_payload(guard))
    except Exception as exc:
        guard.internal_error("session end", exc)


def _worker_payload(guard: Any) -> dict[str, Any]:
    from scopecheck.guard.report import client_sites, payload

    return payload(_reportable(guard), client_sites(guard.clients, guard.root), guard.root, "worker") | {
        "errors": guard.errors
    }


def _reportable(guard: Any) -> list[Any]:
    # A suite that never imports moto is not the guard's business: no events at all.
    from scopecheck.guard.botowatch import moto_loaded

    return list(guard.events) if guard.moto_seen or moto_loaded() else []


class _XdistHooks:
    """Registered only when pytest-xdist is present (its hook would be unknown otherwise)."""

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        config = node.config
        merged = config.stash.get(_MERGED, None)
        raw = getattr(node, "workeroutput", {}).get(WORKER_KEY)
        if merged is None or not raw:
            return
        try:
            merged.append(json.loads(raw))
        except ValueError:
            pass


def _merged(config: pytest.Config) -> tuple[list[Any], list[dict[str, Any]], list[str]] | None:
    parts = config.stash.get(_MERGED, None)
    if parts is None:
        return None
    from scopecheck.guard.events import from_json

    root = str(config.rootpath)
    events: list[Any] = []
    clients: list[dict[str, Any]] = []
    errors: list[str] = []
    for part in parts:
        events.extend(from_json(e, root) for e in part.get("events", []))
        clients.extend(part.get("clients", []))
        errors.extend(e for e in part.get("errors", []) if e not in errors)
    return events, clients, errors


def pytest_terminal_summary(terminalreporter: Any, exitstatus: Any, config: pytest.Config) -> None:
    try:
        _summary(terminalreporter, config)
    except Exception as exc:  # one line, never a traceback
        terminalreporter.write_line(f"scopecheck guard: internal error in the report ({type(exc).__name__}: {exc})")


def _summary(terminalreporter: Any, config: pytest.Config) -> None:
    from scopecheck.guard.report import client_sites, payload, summary_lines, write_json

    guard = config.stash.get(_GUARD, None)
    merged = _merged(config)
    if guard is not None:
        events, errors = _reportable(guard), guard.errors
        clients = client_sites(guard.clients, guard.root)
        strict = guard.strict
    elif merged is not None:
        events, clients, errors = merged
        strict = _mode(config) == "strict"
    else:
        return
    lines = summary_lines(events, errors, strict)
    if lines:
        mode = "strict" if strict else "warn"
        terminalreporter.write_sep("=", f"scopecheck guard ({mode}): {len(lines)} cause(s)")
        for line in lines:
            terminalreporter.write_line(line)
    target = config.getoption("scopecheck_guard_report", None)
    if target:
        path = Path(target)
        if not path.is_absolute():
            path = Path(config.invocation_params.dir) / path
        write_json(path, payload(events, clients, str(config.rootpath), "strict" if strict else "warn"))


def pytest_unconfigure(config: pytest.Config) -> None:
    _stop(config)
