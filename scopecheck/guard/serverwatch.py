"""Watch moto's ThreadedMotoServer: which loopback ports this run's servers serve, and a server
whose thread could not bind its port.

ThreadedMotoServer.start() runs `_server_entry` in a thread and waits, with no timeout, for that
thread to say the server is ready. When the port is taken, `make_server` raises in the thread
(`OSError: [Errno 98] Address already in use`), the ready event is never set and start() never
returns. The guard sees the bind error where it happens (it wraps `_server_entry` and re-raises)
and names the server of this run that still holds the port, if one does: it never probes a port.

Nothing is imported here until the suite imports moto's server module itself (importwatch).
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable, Protocol

from scopecheck.timeline import importwatch, sites
from scopecheck.timeline.records import Context

MODULE = "moto.moto_server.threaded_moto_server"
_RECORD = "_scopecheck_guard_server"


@dataclass
class ServerRecord:
    host: str
    port: int  # the port asked for; 0 = any free port
    origin: sites.Origin | None  # the suite's start() call
    context: Context
    bound: int | None = None  # the port it serves, once start() returned
    stopped: bool = False


class Sink(Protocol):
    def context(self) -> Context: ...

    def server_bind_failed(self, record: ServerRecord, error: BaseException, holder: ServerRecord | None) -> None: ...

    def internal_error(self, where: str, error: BaseException) -> None: ...


_lock = threading.RLock()
_sinks: list[Sink] = []
_restore: list[tuple[Any, str, Any]] = []
_servers: list[ServerRecord] = []


def add_sink(sink: Sink) -> None:
    with _lock:
        _sinks.append(sink)
        if len(_sinks) == 1:
            importwatch.when_imported(MODULE, _install)


def remove_sink(sink: Sink) -> None:
    with _lock:
        if sink in _sinks:
            _sinks.remove(sink)
        if _sinks:
            return
        importwatch.cancel(MODULE, _install)
        for owner, name, original in reversed(_restore):
            setattr(owner, name, original)
        _restore.clear()
        _servers.clear()


def serving_ports() -> set[int]:
    """The ports this run's ThreadedMotoServers serve now (started, not stopped)."""
    with _lock:
        return {s.bound for s in _servers if s.bound is not None and not s.stopped}


def _each(call: Callable[[Sink], Any]) -> None:
    for sink in list(_sinks):
        try:
            call(sink)
        except Exception as exc:  # the guard must never break a run
            try:
                sink.internal_error("serverwatch", exc)
            except Exception:
                pass


def _internal(error: BaseException) -> None:
    _each(lambda s: s.internal_error("serverwatch", error))


def _install(module: ModuleType) -> None:
    cls = getattr(module, "ThreadedMotoServer", None)
    with _lock:
        if cls is None or _restore or not _sinks:
            return
        for name, make in (("start", _start), ("stop", _stop), ("_server_entry", _entry)):
            original = cls.__dict__.get(name)
            if original is None:
                continue  # another moto layout: that part is not watched
            _restore.append((cls, name, original))
            setattr(cls, name, functools.wraps(original)(make(original)))


def _start(original: Any) -> Any:
    def start(self: Any, *args: Any, **kwargs: Any) -> Any:
        record = None
        if _sinks:
            try:
                context = _sinks[0].context()
                port = getattr(self, "_port", None)
                record = ServerRecord(
                    str(getattr(self, "_ip_address", "")),
                    port if isinstance(port, int) else 0,
                    sites.caller_origin(1),
                    context,
                )
                object.__setattr__(self, _RECORD, record)
            except Exception as exc:
                _internal(exc)
        result = original(self, *args, **kwargs)
        if record is not None:
            server = getattr(self, "_server", None)
            address = getattr(server, "server_address", None)
            with _lock:
                if isinstance(address, tuple) and len(address) > 1 and isinstance(address[1], int):
                    record.bound = address[1]
                _servers.append(record)
        return result

    return start


def _stop(original: Any) -> Any:
    def stop(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return original(self, *args, **kwargs)
        finally:
            record = getattr(self, _RECORD, None)
            if isinstance(record, ServerRecord):
                record.stopped = True

    return stop


def _entry(original: Any) -> Any:
    def _server_entry(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return original(self, *args, **kwargs)
        except (OSError, SystemExit) as exc:  # werkzeug turns the bind error into sys.exit(1)
            ready = getattr(self, "_server_ready_event", None)
            record = getattr(self, _RECORD, None)
            if isinstance(record, ServerRecord) and not (ready is not None and ready.is_set()):
                holder = _holder(record.port)
                error = _os_error(exc)
                _each(lambda s: s.server_bind_failed(record, error, holder))
            raise

    return _server_entry


def _holder(port: int) -> ServerRecord | None:
    if not port:
        return None
    with _lock:
        return next((s for s in reversed(_servers) if s.bound == port and not s.stopped), None)


def _os_error(exc: BaseException) -> BaseException:
    """The OSError behind werkzeug's SystemExit, when there is one."""
    seen: BaseException | None = exc
    for _ in range(4):
        if seen is None:
            break
        if isinstance(seen, OSError):
            return seen
        seen = seen.__context__
    return exc
