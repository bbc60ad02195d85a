"""Run a callback once a module has been imported, without importing it ourselves.

The recorder must not change a suite's import order (moto and botocore decide things at import
time), so a watcher for a module that is not loaded yet waits for the suite to import it: a
meta-path finder that finds nothing itself and wraps the real loader of that one module.

A module can also be in sys.modules but still executing (`from aiobotocore.session import ...`
imports botocore.session from inside aiobotocore.session, so a watcher registered from a botocore
hook sees aiobotocore.session half-built). Such a callback waits for the end of that import:
importlib sets `spec._initializing = False` when it is done, and a spec watched here hears it.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import threading
from types import ModuleType
from typing import Any, Callable

Callback = Callable[[ModuleType], None]

_lock = threading.RLock()
_waiting: dict[str, list[Callback]] = {}
_finder: _PostImportFinder | None = None


def when_imported(name: str, callback: Callback) -> None:
    """`callback(module)` now if `name` is loaded, else right after the suite's import of it ends."""
    global _finder
    with _lock:
        module = sys.modules.get(name)
        if module is not None and not _initializing(module):
            ready = True
        else:
            ready = False
            _waiting.setdefault(name, []).append(callback)
            if module is not None:
                _hear_the_end(module)
            if _finder is None:
                _finder = _PostImportFinder()
                sys.meta_path.insert(0, _finder)
    if ready:
        callback(module)  # type: ignore[arg-type]  # not None when ready


def cancel(name: str, callback: Callback) -> None:
    """Forget a callback that has not run yet; the finder leaves with the last one."""
    with _lock:
        callbacks = _waiting.get(name, [])
        if callback in callbacks:
            callbacks.remove(callback)
        if not callbacks:
            _waiting.pop(name, None)
        _drop_finder_if_idle()


def _initializing(module: ModuleType) -> bool:
    return bool(getattr(getattr(module, "__spec__", None), "_initializing", False))


def _hear_the_end(module: ModuleType) -> None:
    spec = getattr(module, "__spec__", None)
    # Only importlib's own spec class: its layout is known, and it goes back once the import ends.
    if type(spec) is importlib.machinery.ModuleSpec:
        spec.__class__ = _SettlingSpec


class _SettlingSpec(importlib.machinery.ModuleSpec):
    """A spec whose module is still executing: `_initializing = False` runs its callbacks."""

    @property
    def _initializing(self) -> bool:
        return bool(self.__dict__.get("_initializing", False))

    @_initializing.setter
    def _initializing(self, value: bool) -> None:
        self.__dict__["_initializing"] = value
        if not value:
            self.__class__ = importlib.machinery.ModuleSpec  # type: ignore[assignment]
            _settle()


def _settle() -> None:
    """Run the callbacks of every watched module whose import has finished (a failed import left
    sys.modules: its callbacks wait for the next attempt, which the finder sees)."""
    with _lock:
        done = [
            (name, module)
            for name in list(_waiting)
            for module in (sys.modules.get(name),)
            if module is not None and not _initializing(module)
        ]
    for name, module in done:
        _loaded(name, module)


def _drop_finder_if_idle() -> None:
    global _finder
    if _waiting or _finder is None:
        return
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    _finder = None


def _loaded(name: str, module: ModuleType) -> None:
    with _lock:
        callbacks = _waiting.pop(name, [])
        _drop_finder_if_idle()
    for callback in callbacks:
        try:
            callback(module)
        except Exception:  # a watcher's bug must not break the suite's import
            pass


class _PostImportFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Any, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if not _waiting:
            return None
        # A module whose spec could not be watched is settled here, at the next import after its own.
        _settle()
        if fullname not in _waiting:
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
            spec.loader = _CallbackLoader(spec.loader)
        return spec


class _CallbackLoader(importlib.abc.Loader):
    def __init__(self, real: Any) -> None:
        self._real = real

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._real.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._real.exec_module(module)
        _loaded(module.__name__, module)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)
