"""Recognising aiobotocore / aioboto3 clients and what a file does about them (SCP105).

``aioboto3.Session().client("s3")`` and ``aiobotocore.session.get_session().create_client("s3")``
return a context manager: the client is built (credentials and region resolved) when it is
entered with ``async with``, not when the call runs. The call is still where a reader sees the
client being made, so it is the fact's anchor.
"""

from __future__ import annotations

import ast
import re

from scopecheck.facts.model import ClientCall
from scopecheck.facts.names import Scope, dotted_text, qualified_name
from scopecheck.findings import Location

# Calls that make a session whose ``client`` / ``resource`` / ``create_client`` is asynchronous.
AIO_SESSION_FACTORIES = frozenset(
    {
        "aioboto3.Session",
        "aioboto3.session.Session",
        "aiobotocore.session.get_session",
        "aiobotocore.session.AioSession",
    }
)
# The client-making method of each kind of session.
_CLIENT_METHODS = {"client": "client", "resource": "resource", "create_client": "client"}
# An endpoint moto's in-process mock intercepts like the default one: an AWS domain.
_AWS_ENDPOINT = re.compile(r"^https?://[^/]*\.amazonaws\.com(\.cn)?(:\d+)?(/|$)")
# Module-level factories of aioboto3 < 9 (its default session).
_MODULE_FACTORIES = {"aioboto3.client": "client", "aioboto3.resource": "resource"}
# A suite that patches the async SDK may well make it work in process, or fake it: the known
# workaround of aiobotocore issue #755 (wrapping ``aiobotocore.endpoint.convert_to_response_dict``
# makes moto's responses awaitable), ``mock.patch("aioboto3.Session", ...)`` with a fake session,
# ``monkeypatch.setattr(AioSession, "create_client", ...)`` onto sync boto3.
_PATCH_HINT = re.compile(
    r"aio(?:boto3|botocore)\.[\w.]+\s*=(?!=)"
    r"|patch(?:\.object)?\(\s*[\"']?[\w.]*aio(?:boto3|botocore)"
    r"|setattr\([^)]*(?:aioboto3|aiobotocore|AioSession)"
)


def mentions_async_sdk(text: str) -> bool:
    """Whether the file's text could make an async client at all: most files are skipped."""
    return "aioboto3" in text or "aiobotocore" in text


def mentions_moto_server(text: str) -> bool:
    """Whether the file may start moto's server (or use a fixture named after it): the async
    clients of such a suite talk to moto through an ``endpoint_url`` (SCP402)."""
    return "ThreadedMotoServer" in text or "moto.server" in text or "moto_server" in text


def patches_aiobotocore(text: str) -> bool:
    """Whether the file patches or fakes aiobotocore / aioboto3 (see ``_PATCH_HINT``)."""
    return _PATCH_HINT.search(text) is not None


def is_async_session_call(node: ast.AST, scope: Scope) -> bool:
    return isinstance(node, ast.Call) and qualified_name(node.func, scope) in AIO_SESSION_FACTORIES


def _keyword(call: ast.Call, name: str) -> ast.keyword | None:
    return next((k for k in call.keywords if k.arg == name), None)


def _intercepted_endpoint(call: ast.Call) -> bool:
    """Whether moto's in-process mock would take this client's requests: no ``endpoint_url`` (or
    ``None``, or a literal AWS URL). Any other endpoint (a moto server, LocalStack, a variable)
    is not sent through moto's in-process handler, and ``**kwargs`` may carry one: unknown."""
    if any(k.arg is None for k in call.keywords):
        return False
    endpoint = _keyword(call, "endpoint_url")
    if endpoint is None:
        return True
    value = endpoint.value
    if isinstance(value, ast.Constant):
        return value.value is None or (isinstance(value.value, str) and bool(_AWS_ENDPOINT.match(value.value)))
    return False


def _is_session(owner: ast.expr, scope: Scope, sessions: set[str]) -> bool:
    """An async session made in the same expression, or a name (``self.x``) bound to one."""
    if isinstance(owner, ast.Call):
        return is_async_session_call(owner, scope)
    return dotted_text(owner) in sessions


def async_client_call(
    call: ast.Call, scope: Scope, sessions: set[str], loc: Location, *, mocked: bool
) -> ClientCall | None:
    """The async client *call* makes, or None: ``<async session>.client(...)`` where the session is
    made in the same expression or is a name bound to one (*sessions*)."""
    func = call.func
    kind = _MODULE_FACTORIES.get(qualified_name(func, scope) or "")
    owner = func.value if isinstance(func, ast.Attribute) else None
    if kind is None:
        if not (isinstance(func, ast.Attribute) and func.attr in _CLIENT_METHODS):
            return None
        if not _is_session(func.value, scope, sessions):
            return None
        kind = _CLIENT_METHODS[func.attr]
    first = call.args[0] if call.args else getattr(_keyword(call, "service_name"), "value", None)
    service = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
    has_region = len(call.args) >= 2 or any(_keyword(call, k) is not None for k in ("region_name", "config"))
    if isinstance(owner, ast.Call) and _keyword(owner, "region_name") is not None:
        has_region = True
    explicit = _keyword(call, "aws_access_key_id") is not None
    made = ClientCall(loc, kind, service, has_region, explicit, mocked)
    made.has_endpoint = not _intercepted_endpoint(call)
    return made
