"""Who wrote which AWS_* variable: a class-level wrap of os.environ's item assignment/deletion.

monkeypatch.setenv, mock.patch.dict and plain `os.environ[...] = ...` all go through these two
methods, so the last writer of each AWS_* name is known when a test ends with a changed value.
"""

from __future__ import annotations

import os
import sys
import threading
from types import FrameType
from typing import Any, Callable

from scopecheck.timeline import sites

PREFIX = "AWS_"
Writer = Callable[[str, "sites.Origin | None", bool], None]

_lock = threading.RLock()
_writers: list[Writer] = []
_originals: dict[str, Any] = {}


def snapshot() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith(PREFIX)}


def add_writer(writer: Writer) -> None:
    with _lock:
        _writers.append(writer)
        if _originals:
            return
        cls = type(os.environ)
        for name in ("__setitem__", "__delitem__"):
            original = cls.__dict__.get(name)
            if original is None:
                continue
            _originals[name] = original
            setattr(cls, name, _wrapped(original))


def remove_writer(writer: Writer) -> None:
    with _lock:
        if writer in _writers:
            _writers.remove(writer)
        if _writers:
            return
        cls = type(os.environ)
        for name, original in _originals.items():
            setattr(cls, name, original)
        _originals.clear()


def _inside_moto(limit: int = 12) -> bool:
    """Whether moto's own start/stop is writing (its fake keys): the mock checks own that."""
    frame: FrameType | None = sys._getframe(2)
    for _ in range(limit):
        if frame is None:
            return False
        if os.sep + "moto" + os.sep in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False


def _wrapped(original: Any) -> Any:
    def method(self: Any, key: Any, *value: Any) -> Any:
        result = original(self, key, *value)
        if self is os.environ and isinstance(key, str) and key.startswith(PREFIX) and _writers:
            try:
                origin = sites.caller_origin(1)
                by_moto = _inside_moto()
                for writer in list(_writers):
                    writer(key, origin, by_moto)
            except Exception:  # the guard must never break a write
                pass
        return result

    return method
