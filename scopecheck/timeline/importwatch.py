"""Run a callback once a module has been imported, without importing it ourselves.

The recorder must not change a suite's import order (moto and botocore decide things at import
time), so a watcher for a module that is not loaded yet waits for the suite to import it: a
meta-path finder that finds nothing itself and wraps the real loader of that one module.
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
    """`callback(module)` now if `name` is loaded, else right after the suite imports it."""
    global _finder
    module = sys.modules.get(name)
    if module is not None:
        callback(module)
        return
    with _lock:
        _waiting.setdefault(name, []).append(callback)
        if _finder is None:
            _finder = _PostImportFinder()
            sys.meta_path.insert(0, _finder)


def cancel(name: str, callback: Callback) -> None:
    """Forget a callback that has not run yet; the finder leaves with the last one."""
    with _lock:
        callbacks = _waiting.get(name, [])
        if callback in callbacks:
            callbacks.remove(callback)
        if not callbacks:
            _waiting.pop(name, None)
        _drop_finder_if_idle()


def _drop_finder_if_idle() -> None:
    global _finder
    if _waiting or _finder is None:
        return
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    _finder = None


def _loaded(module: ModuleType) -> None:
    with _lock:
        callbacks = _waiting.pop(module.__name__, [])
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
        _loaded(module)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)
