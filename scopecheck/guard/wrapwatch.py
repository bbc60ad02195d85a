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
import linecache
import os
import sys
from types import FrameType
from typing import Any, NamedTuple

_MOTO_DIR = os.sep + "moto" + os.sep
_DECORATORS = 12  # decorator lines read above a def, at most
_LOOK = 8  # frames between the detail listener and moto's wrapper: our wraps, then moto's stop


class Unrun(NamedTuple):
    func: Any  # the decorated function (what the wrapper called)
    what: str  # "a generator", "a coroutine", "an async generator"


def _unstarted(value: Any, func: Any) -> str | None:
    """What `value` is when it is the wrapped function's own generator or coroutine and not a
    line of it has run yet (a plain function that returns a generator expression did run)."""
    target = getattr(inspect.unwrap(func), "__code__", None) if callable(func) else None
    if target is None:
        return None
    if inspect.isgenerator(value):
        fresh, code, what = inspect.getgeneratorstate(value) == inspect.GEN_CREATED, value.gi_code, "a generator"
    elif inspect.iscoroutine(value):
        fresh, code, what = inspect.getcoroutinestate(value) == inspect.CORO_CREATED, value.cr_code, "a coroutine"
    elif inspect.isasyncgen(value):
        # inspect.getasyncgenstate is Python >= 3.12; before it, a fresh frame has f_lasti <= 0.
        frame = value.ag_frame
        fresh = frame is not None and not value.ag_running and frame.f_lasti <= 0
        code, what = value.ag_code, "an async generator"
    else:
        return None
    return what if fresh and code is target else None


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
            what = _unstarted(local["result"], local["func"])
            return Unrun(local["func"], what) if what is not None else None
        frame = frame.f_back
    return None


def definition(func: Any) -> tuple[str, int, str] | None:
    """(file, line, name) of the decorated function: the line of its `@mock_...` decorator when
    it has one (where the linter reports), else its first line."""
    target = inspect.unwrap(func) if callable(func) else func
    code = getattr(target, "__code__", None)
    if code is None:
        return None
    line = code.co_firstlineno
    for number in range(line, line + _DECORATORS):
        text = linecache.getline(code.co_filename, number).strip()
        if not text.startswith("@"):
            break
        name = text[1:].split("(")[0].strip().split(".")[-1]
        if name.startswith("mock_"):  # mock_aws, moto 4's mock_s3...; not mock.patch
            return code.co_filename, number, code.co_name
    return code.co_filename, line, code.co_name
