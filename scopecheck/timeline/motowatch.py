"""Watch moto's mock start/stop without importing moto.

Importing moto changes what a suite does (its botocore handler is registered at import), so
the timeline must never be the one to import it. If `moto.core.models` is already loaded we
wrap `MockAWS.start`/`stop` at once; otherwise a one-shot import hook wraps them the moment
moto itself gets imported. The wrap is process-wide and shared by every listener (nested
pytester runs each have their own recorder); the originals come back with the last listener.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import sys
import threading
from types import ModuleType
from typing import Any, Callable, NamedTuple

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
_finder: _ModelsFinder | None = None


def current_depth() -> int | None:
    """moto's nesting counter now, or None when moto has not been imported."""
    models = sys.modules.get(MODELS)
    mock = getattr(models, "MockAWS", None) if models is not None else None
    if mock is None:
        return None
    return max(0, int(getattr(mock, "_nested_count", 0)))


def add_listener(listener: Listener) -> None:
    """Call `listener(depth)` after every MockAWS.start/stop, from now on."""
    global _finder
    with _lock:
        _listeners.append(listener)
        models = sys.modules.get(MODELS)
        if models is not None:
            _wrap(models)
        elif _finder is None:
            _finder = _ModelsFinder()
            sys.meta_path.insert(0, _finder)


def add_detail_listener(listener: DetailListener) -> None:
    """Call `listener(MockChange)` after every MockAWS.start/stop (the guard wants the caller's
    frame, so it is called synchronously inside start/stop, after the depth listeners)."""
    global _finder
    with _lock:
        _detail_listeners.append(listener)
        models = sys.modules.get(MODELS)
        if models is not None:
            _wrap(models)
        elif _finder is None:
            _finder = _ModelsFinder()
            sys.meta_path.insert(0, _finder)


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
    global _finder
    with _lock:
        if _listeners or _detail_listeners:
            return
        if _finder is not None:
            if _finder in sys.meta_path:
                sys.meta_path.remove(_finder)
            _finder = None
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


class _ModelsFinder(importlib.abc.MetaPathFinder):
    """Finds nothing itself: it wraps the real loader of moto.core.models."""

    def find_spec(
        self, fullname: str, path: Any, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != MODELS:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _WrappingLoader(spec.loader)
        return spec


class _WrappingLoader(importlib.abc.Loader):
    """Runs the real loader, then wraps MockAWS; everything else goes to the real loader."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._real.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._real.exec_module(module)
        global _finder
        with _lock:
            if _finder is not None and _finder in sys.meta_path:
                sys.meta_path.remove(_finder)
            _finder = None
            if _listeners or _detail_listeners:
                _wrap(module)

    def __getattr__(self, name: str) -> Any:
        # get_source, get_filename, is_package...: tracebacks and inspect need them.
        return getattr(self._real, name)
