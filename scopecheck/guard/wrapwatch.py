"""What moto's decorator wrapper returned, read when its mock stops.

moto's decorator (`MockAWS._decorate_callable`; moto 4's `decorate_callable` alike) is a plain
function: start, `result = func(...)`, stop in `finally`, return result. When `func` is a
generator or `async def` function, calling it only creates the generator or coroutine, so the
mock has stopped before any line of the body runs (SCP202 on a fixture, SCP206 on a test). The
guard reads the wrapper's `func` and `result` from its frame at that stop: nothing is wrapped
or called, and `result` is only there when the call returned (not when it raised).
"""

from __future__ import annotations

import inspect
import os
import sys
from types import FrameType
from typing import Any, NamedTuple

_MOTO_DIR = os.sep + "moto" + os.sep
_LOOK = 8  # frames between the detail listener and moto's wrapper: our wraps, then moto's stop


class Unrun(NamedTuple):
    func: Any  # the decorated function (what the wrapper called)
    what: str  # "a generator", "a coroutine", "an async generator"


def _kind(value: Any) -> str | None:
    if inspect.isgenerator(value):
        return "a generator"
    if inspect.iscoroutine(value):
        return "a coroutine"
    if inspect.isasyncgen(value):
        return "an async generator"
    return None


def unrun_body(skip: int = 1) -> Unrun | None:
    """Called from inside MockAWS.stop: moto's wrapper that is stopping, when the function it
    wrapped returned a generator or coroutine object before running."""
    try:
        frame: FrameType | None = sys._getframe(skip + 1)
    except ValueError:
        return None
    for _ in range(_LOOK):
        if frame is None:
            return None
        code = frame.f_code
        if code.co_name == "wrapper" and _MOTO_DIR in code.co_filename:
            local = frame.f_locals
            if "result" not in local or "func" not in local:
                return None
            what = _kind(local["result"])
            return Unrun(local["func"], what) if what is not None else None
        frame = frame.f_back
    return None


def definition(func: Any) -> tuple[str, int, str] | None:
    """(file, first line, name) of the decorated function; the first decorator's line."""
    target = inspect.unwrap(func) if callable(func) else func
    code = getattr(target, "__code__", None)
    if code is None:
        return None
    return code.co_filename, code.co_firstlineno, code.co_name
