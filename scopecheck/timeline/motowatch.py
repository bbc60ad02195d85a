"""Watch moto's mock start/stop without importing moto.

Importing moto changes what a suite does (its botocore handler is registered at import), so
the timeline must never be the one to import it. If `moto.core.models` is already loaded we
wrap `MockAWS.start`/`stop` at once; otherwise a one-shot import hook (importwatch) wraps them
once moto's own import of that module has finished. The wrap is process-wide and shared by every
listener (nested pytester runs each have their own recorder); the originals come back with the
last listener.
"""

from __future__ import annotations

import functools
import sys
import threading
from types import ModuleType
from typing import Any, Callable, NamedTuple

from scopecheck.timeline import importwatch

MODELS = "moto.core.models"
_MARK = "__scopecheck_timeline_wrapped__"

Listener = Callable[[int], None]


class MockChange(NamedTuple):
    """One MockAWS.start/stop as a detail listener sees it: depth before and after the call."""

    action: str  # "start" or "stop"
    before: int
    after: int
    mock: Any  # the MockAWS instance
    error: BaseException | None  # what start/stop raised, if anything


DetailListener = Callable[[MockChange], None]

_lock = threading.RLock()
_listeners: list[Listener] = []
_detail_listeners: list[DetailListener] = []
_originals: dict[str, Any] = {}
_hooked = False  # waiting for the suite to import moto.core.models (importwatch)


def current_depth() -> int | None:
    """moto's nesting counter now, or None when moto has not been imported."""
    models = sys.modules.get(MODELS)
    mock = getattr(models, "MockAWS", None) if models is not None else None
    if mock is None:
        return None
    return max(0, int(getattr(mock, "_nested_count", 0)))


def add_listener(listener: Listener) -> None:
    """Call `listener(depth)` after every MockAWS.start/stop, from now on."""
    with _lock:
        _listeners.append(listener)
        _watch()


def add_detail_listener(listener: DetailListener) -> None:
    """Call `listener(MockChange)` after every MockAWS.start/stop (the guard wants the caller's
    frame, so it is called synchronously inside start/stop, after the depth listeners)."""
    with _lock:
        _detail_listeners.append(listener)
        _watch()


def _watch() -> None:
    """Wrap MockAWS now if moto is loaded, else once the suite's import of it has finished (a
    listener added while moto.core.models is still executing must not find MockAWS missing)."""
    global _hooked
    if _originals or _hooked:
        return
    _hooked = True
    importwatch.when_imported(MODELS, _models_loaded)


def _models_loaded(models: ModuleType) -> None:
    global _hooked
    with _lock:
        _hooked = False
        if _listeners or _detail_listeners:
            _wrap(models)


def remove_detail_listener(listener: DetailListener) -> None:
    with _lock:
        if listener in _detail_listeners:
            _detail_listeners.remove(listener)
    _release()


def remove_listener(listener: Listener) -> None:
    """Forget `listener`; the last one out restores moto's own methods."""
    with _lock:
        if listener in _listeners:
            _listeners.remove(listener)
    _release()


def _release() -> None:
    global _hooked
    with _lock:
        if _listeners or _detail_listeners:
            return
        if _hooked:
            importwatch.cancel(MODELS, _models_loaded)
            _hooked = False
        _unwrap()


def _raw_depth(mock: Any) -> int:
    # Subclasses (server mode) keep their own counter, so read it through the instance's class.
    try:
        return int(getattr(type(mock), "_nested_count", 0))
    except (TypeError, ValueError):
        return 0


def _notify(mock: Any, action: str = "", before: int = 0, error: BaseException | None = None) -> None:
    raw = _raw_depth(mock)
    depth = max(0, raw)
    for listener in list(_listeners):
        listener(depth)
    if _detail_listeners:
        change = MockChange(action, before, raw, mock, error)
        for detail in list(_detail_listeners):
            detail(change)


def _wrap(models: ModuleType) -> None:
    cls = getattr(models, "MockAWS", None)
    if cls is None or _originals:
        return
    for name in ("start", "stop"):
        original = cls.__dict__.get(name)
        if original is None or getattr(original, _MARK, False):
            continue
        _originals[name] = original
        setattr(cls, name, _watching(original, name))


def _watching(original: Callable[..., Any], action: str = "") -> Callable[..., Any]:
    @functools.wraps(original)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        before = _raw_depth(self)
        error: BaseException | None = None
        try:
            return original(self, *args, **kwargs)
        except BaseException as exc:
            error = exc
            raise
        finally:
            # Also after a failed start/stop: the counter may have moved before the error.
            _notify(self, action, before, error)

    setattr(wrapper, _MARK, True)
    return wrapper


def _unwrap() -> None:
    models = sys.modules.get(MODELS)
    cls = getattr(models, "MockAWS", None) if models is not None else None
    if cls is not None:
        for name, original in _originals.items():
            setattr(cls, name, original)
    _originals.clear()
