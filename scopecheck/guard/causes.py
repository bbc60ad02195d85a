"""Which static rule a runtime event corresponds to, from the circumstances of the client's
creation (when, where, under which mock) and of the request."""

from __future__ import annotations

import inspect
import os
from typing import Any

from scopecheck.guard.records import ClientRecord, SessionBirth
from scopecheck.timeline.records import Context
from scopecheck.timeline.sites import Origin, is_test_file

_AWS_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".c2s.ic.gov", ".sc2s.sgov.gov", ".api.aws")


def is_aws_host(host: str) -> bool:
    host = host.lower()
    return any(host.endswith(suffix) or host == suffix[1:] for suffix in _AWS_SUFFIXES)


def is_moto_wrapped(func: Any) -> bool:
    """A function whose code is moto's decorator wrapper (mock_aws applied to it)."""
    code = getattr(func, "__code__", None)
    filename = getattr(code, "co_filename", "") or ""
    return "moto" in filename.split(os.sep)


def item_has_moto_fixture(item: Any) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    defs = getattr(info, "name2fixturedefs", None) or {}
    return any(is_moto_wrapped(getattr(d, "func", None)) for seq in defs.values() for d in seq)


def import_code(origin: Origin) -> str | None:
    """SCP101 when module code of a test module or conftest built it, SCP104 when a module
    imported from one did."""
    innermost = origin.chain[-1].path
    if is_test_file(innermost):
        return "SCP101"
    if is_test_file(origin.chain[0].path):
        return "SCP104"
    return None


def creation_code(
    origin: Origin | None,
    context: Context,
    mock_depth: int,
    session: SessionBirth | None,
    depth_now: int | None,
    moto_fixture: bool = False,
) -> str | None:
    """The rule for a client (or credential lookup) that misbehaved later. depth_now: moto's
    depth when it misbehaved; None when unknown."""
    if origin is not None and origin.at_import:
        return import_code(origin)
    if session is not None and not session.moto_loaded and session.origin is not None and session.origin.at_import:
        return import_code(session.origin)  # a Session built before moto: no moto handler
    if moto_fixture:
        return "SCP202"
    if mock_depth > 0:
        if depth_now not in (0, None):
            return None
        # unittest's setUp under its own mock decorator (SCP205) or a fixture whose mock ended.
        return "SCP205" if origin is not None and origin.site.function == "setUp" else "SCP201"
    used_under_mock = depth_now is None or depth_now > 0
    if context.phase == "setup" and context.fixture is not None:
        func = context.fixture_func
        if is_moto_wrapped(func):
            return "SCP202"
        qualname = getattr(func, "__qualname__", "") or ""
        in_class = "." in qualname and "<locals>" not in qualname.split(".")[-2:-1]
        hook = origin is not None and origin.site.function in ("setup_class", "teardown_class")
        if in_class or hook:
            return "SCP204"
        return "SCP103" if used_under_mock else None
    if context.phase == "call":
        return "SCP102" if used_under_mock else None
    return None


def client_code(record: ClientRecord | None, depth_now: int, host: str | None, moto_fixture: bool) -> str | None:
    if record is None:
        return None
    if record.is_async:
        return "SCP105"
    if host is not None and depth_now > 0 and not is_aws_host(host):
        return "SCP403"
    return creation_code(record.origin, record.context, record.mock_depth, record.session, depth_now, moto_fixture)


def unrun_code(func: Any, context: Context) -> str | None:
    """A mock-decorated function that returned its generator or coroutine before it ran: SCP202
    when it is the fixture being set up, SCP206 for a coroutine (a test or a unittest method)."""
    fixture = context.fixture_func
    if context.phase == "setup" and callable(fixture) and is_moto_wrapped(fixture):
        if inspect.unwrap(fixture) is inspect.unwrap(func):
            return "SCP202"
    if inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func):
        return "SCP206"
    return None
