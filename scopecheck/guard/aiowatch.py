"""Watch aiobotocore the way botowatch watches botocore: its clients and its unserved requests.

aiobotocore builds clients in the coroutine `AioSession._create_client`, not through
`Session.create_client`, and its endpoint's `_send` is a coroutine. Both are wrapped once the suite
has imported them (never by us) and only while the guard's botocore hooks are in place: botowatch
calls `watch()` when it installs them and `unwatch()` when its last sink leaves.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from scopecheck.guard import botowatch
from scopecheck.timeline import importwatch

ENDPOINT = "aiobotocore.endpoint"
SESSION = "aiobotocore.session"


def watch() -> None:
    # Two hooks: aiobotocore.session imports aiobotocore.endpoint (and botocore.session) while it
    # executes; importwatch runs each callback once its own module has finished executing.
    importwatch.when_imported(ENDPOINT, _install_endpoint)
    importwatch.when_imported(SESSION, _install_session)


def unwatch() -> None:
    importwatch.cancel(ENDPOINT, _install_endpoint)
    importwatch.cancel(SESSION, _install_session)


def _install_endpoint(module: ModuleType) -> None:
    endpoint_cls = getattr(module, "AioEndpoint", None)
    if endpoint_cls is None:
        return
    with botowatch.lock:
        if botowatch.installed():
            botowatch.patch(endpoint_cls, "_send", _send)


def _install_session(module: ModuleType) -> None:
    session_cls = getattr(module, "AioSession", None)
    if session_cls is None:
        return
    with botowatch.lock:
        if botowatch.installed():
            botowatch.patch(session_cls, "_create_client", _create_client)


def _send(original: Any) -> Any:
    async def _send(self: Any, request: Any) -> Any:
        botowatch.check_unserved(self, request)
        return await original(self, request)

    return _send


def _create_client(original: Any) -> Any:
    async def _create_client(self: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
        client = await original(self, service_name, *args, **kwargs)
        try:
            botowatch.remember(self, client, service_name, kwargs, is_async=True)
        except Exception as exc:
            botowatch.internal("aiobotocore", exc)
        return client

    return _create_client
