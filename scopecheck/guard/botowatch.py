"""Watch botocore from the inside: every Session and client built, every request moto did not
answer, every signing failure, every instance-metadata probe.

Nothing is imported here until the suite imports botocore itself (importwatch), so import order
stays the suite's. The patches are class-level and shared by every sink (nested pytester runs
each have their own guard); the originals come back with the last sink.

Why these places: moto answers on botocore's `before-send` event and `Endpoint._do_get_response`
calls `Endpoint._send` only when no handler answered, so `_send` sees exactly the requests moto
did not serve, for clients built before the guard or moto too. Signing runs on `request-created`,
before `before-send`, so NoCredentialsError is caught around `BaseClient._make_api_call`.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import sys
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable, Protocol
from urllib.parse import urlsplit

from scopecheck.timeline import importwatch, motowatch, sites
from scopecheck.timeline.records import Context

MOTO_FAKE_KEYS = frozenset({"FOOBARKEY"})  # what mock_aws() writes into the environment
SIGNING_ERRORS = frozenset({"NoCredentialsError", "PartialCredentialsError", "NoRegionError"})
AUTH_ERROR_CODES = frozenset(
    {"InvalidClientTokenId", "UnrecognizedClientException", "InvalidAccessKeyId", "AuthFailure"}
)
_RECORD = "_scopecheck_guard_record"
_BIRTH = "_scopecheck_guard_birth"


class GuardBlockedRequest(RuntimeError):
    """Raised instead of sending a request that would leave the machine (strict mode)."""


@dataclass
class SessionBirth:
    origin: sites.Origin | None
    context: Context
    moto_loaded: bool  # moto's botocore handler existed when this Session copied the handlers


@dataclass
class ClientRecord:
    service: str
    region: str | None
    endpoint_host: str
    custom_endpoint: bool  # endpoint_url= was given
    credentials: str  # none, moto, env, other:<method>
    mock_depth: int  # moto's depth when it was built (0 also when moto was not imported)
    moto_loaded: bool
    origin: sites.Origin | None
    context: Context
    session: SessionBirth | None
    is_async: bool = False


class Sink(Protocol):
    def context(self) -> Context: ...

    def client_created(self, record: ClientRecord) -> None: ...

    def client_failed(
        self, origin: sites.Origin | None, context: Context, service: str, error: BaseException
    ) -> None: ...

    def request_unserved(self, record: ClientRecord | None, url: str, origin: sites.Origin | None) -> bool: ...

    def signing_failed(
        self, record: ClientRecord | None, error: BaseException, origin: sites.Origin | None
    ) -> None: ...

    def metadata_probe(self, url: str, origin: sites.Origin | None) -> bool: ...

    def request_loopback(self, record: ClientRecord | None, url: str) -> None: ...

    def internal_error(self, where: str, error: BaseException) -> None: ...


_lock = threading.RLock()
_sinks: list[Sink] = []
_restore: list[tuple[Any, str, Any]] = []  # (class, attribute, original)
_tls = threading.local()


def add_sink(sink: Sink) -> None:
    with _lock:
        _sinks.append(sink)
        if len(_sinks) == 1:
            importwatch.when_imported("botocore.session", _install)


def remove_sink(sink: Sink) -> None:
    with _lock:
        if sink in _sinks:
            _sinks.remove(sink)
        if _sinks:
            return
        importwatch.cancel("botocore.session", _install)
        for owner, name, original in reversed(_restore):
            setattr(owner, name, original)
        _restore.clear()


def moto_loaded() -> bool:
    return "moto.core.models" in sys.modules


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    # 0.0.0.0 / :: as a destination reach this machine (a moto server bound to all interfaces).
    return address.is_loopback or address.is_unspecified


def host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def credential_kind(credentials: Any) -> str:
    if credentials is None:
        return "none"
    state = vars(credentials) if hasattr(credentials, "__dict__") else {}
    key = state.get("access_key") or state.get("_access_key")
    if key in MOTO_FAKE_KEYS:
        return "moto"
    method = getattr(credentials, "method", None)
    return "env" if method == "env" else f"other:{method}"


# -- dispatch (never lets the guard's own error reach the suite) ----------------------------


def _each(call: Callable[[Sink], Any]) -> list[Any]:
    out = []
    for sink in list(_sinks):
        try:
            out.append(call(sink))
        except Exception as exc:  # the guard must never break a run
            try:
                sink.internal_error("botowatch", exc)
            except Exception:
                pass
    return out


def _internal(where: str, exc: BaseException) -> None:
    _each(lambda s: s.internal_error(where, exc))


def _call_failed(origin: Any, context: Context, service: str, exc: BaseException, sink: Sink) -> None:
    sink.client_failed(origin, context, service, exc)


def _call_signing(record: Any, exc: BaseException, origin: Any, sink: Sink) -> None:
    sink.signing_failed(record, exc, origin)


def _context() -> Context | None:
    return _sinks[0].context() if _sinks else None


# -- the patches ----------------------------------------------------------------------------


def _patch(owner: Any, name: str, make: Callable[[Any], Any]) -> None:
    original = owner.__dict__.get(name)
    if original is None:
        return
    _restore.append((owner, name, original))
    setattr(owner, name, functools.wraps(original)(make(original)))


def _install(module: ModuleType) -> None:
    try:
        _install_patches(module)
    except Exception as exc:
        _internal("installing the botocore hooks", exc)


def _install_patches(session_module: ModuleType) -> None:
    with _lock:
        if _restore or not _sinks:
            return
        # Called while botocore.session finishes executing: its parent package does not have
        # the attribute yet, so take the modules from sys.modules.
        client_module = sys.modules["botocore.client"]
        endpoint_module = sys.modules["botocore.endpoint"]
        utils_module = sys.modules["botocore.utils"]
        _patch(session_module.Session, "__init__", _session_init)
        _patch(session_module.Session, "create_client", _create_client)
        _patch(endpoint_module.Endpoint, "_send", _send)
        _patch(client_module.BaseClient, "_make_api_call", _make_api_call)
        _patch(utils_module.IMDSFetcher, "_fetch_metadata_token", _imds_token)
        _patch(utils_module.IMDSFetcher, "_get_request", _imds_get)
        _patch(utils_module.ContainerMetadataFetcher, "_get_response", _container_get)
    importwatch.when_imported("aiobotocore.endpoint", _install_aio)
    # Its own hook: aiobotocore.session imports aiobotocore.endpoint, so a hook registered from
    # _install_aio would see the session module before AioSession is defined.
    importwatch.when_imported("aiobotocore.session", _install_aio_session)


def _session_init(original: Any) -> Any:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        context = _context()
        if context is not None:
            try:
                birth = SessionBirth(sites.caller_origin(1), context, moto_loaded())
                object.__setattr__(self, _BIRTH, birth)
            except Exception as exc:
                _internal("session", exc)

    return __init__


def _create_client(original: Any) -> Any:
    def create_client(self: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
        if not _sinks:
            return original(self, service_name, *args, **kwargs)
        depth = getattr(_tls, "creating", 0)
        _tls.creating = depth + 1
        try:
            client = original(self, service_name, *args, **kwargs)
        except Exception as exc:
            if depth == 0:
                origin = sites.caller_origin(1)
                context = _context()
                if context is not None:
                    _each(functools.partial(_call_failed, origin, context, service_name, exc))
            raise
        finally:
            _tls.creating = depth
        if depth == 0:
            try:
                _remember(self, client, service_name, kwargs)
            except Exception as exc:
                _internal("create_client", exc)
        return client

    return create_client


def _remember(session: Any, client: Any, service: str, kwargs: dict[str, Any], is_async: bool = False) -> None:
    context = _context()
    if context is None:
        return
    signer = getattr(client, "_request_signer", None)
    endpoint = getattr(client, "_endpoint", None)
    host = host_of(getattr(endpoint, "host", "") or "")
    record = ClientRecord(
        service=service,
        region=getattr(getattr(client, "meta", None), "region_name", None),
        endpoint_host=host,
        custom_endpoint=bool(kwargs.get("endpoint_url")),
        credentials=credential_kind(getattr(signer, "_credentials", None)),
        mock_depth=motowatch.current_depth() or 0,
        moto_loaded=moto_loaded(),
        origin=sites.caller_origin(1),
        context=context,
        session=getattr(session, _BIRTH, None),
        is_async=is_async,
    )
    object.__setattr__(client, _RECORD, record)
    if endpoint is not None:
        object.__setattr__(endpoint, _RECORD, record)
    _each(lambda s: s.client_created(record))


def _send(original: Any) -> Any:
    def _send(self: Any, request: Any) -> Any:
        if _sinks and moto_loaded():
            url = str(getattr(request, "url", "") or "")
            if not is_loopback(host_of(url)):
                origin = sites.caller_origin(1)
                record = getattr(self, _RECORD, None)
                if any(_each(lambda s: s.request_unserved(record, url, origin))):
                    raise GuardBlockedRequest(_blocked_text(record, url))
            elif motowatch.current_depth():  # under the mock, to this machine: whose server? (SCP403)
                record = getattr(self, _RECORD, None)
                _each(lambda s: s.request_loopback(record, url))
        return original(self, request)

    return _send


def _blocked_text(record: ClientRecord | None, url: str) -> str:
    where = "unknown site"
    if record is not None and record.origin is not None:
        where = record.origin.site.short(os.getcwd())
    return f"scopecheck guard blocked a request moto did not serve: {url} (client built at {where})"


def _make_api_call(original: Any) -> Any:
    def _make_api_call(self: Any, operation_name: str, api_params: Any) -> Any:
        try:
            return original(self, operation_name, api_params)
        except Exception as exc:
            if _sinks and _is_signing_error(exc):
                record = getattr(self, _RECORD, None)
                origin = sites.caller_origin(1)
                _each(functools.partial(_call_signing, record, exc, origin))
            raise

    return _make_api_call


def _is_signing_error(exc: BaseException) -> bool:
    if type(exc).__name__ in SIGNING_ERRORS:
        return True
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = (response.get("Error") or {}).get("Code")
        return code in AUTH_ERROR_CODES
    return False


def _probe_blocked(url: str) -> bool:
    if not (_sinks and moto_loaded()):
        return False
    origin = sites.caller_origin(2)
    return any(_each(lambda s: s.metadata_probe(url, origin)))


def _imds_token(original: Any) -> Any:
    def _fetch_metadata_token(self: Any) -> Any:
        if not getattr(self, "_disabled", False) and _probe_blocked(
            str(getattr(self, "_base_url", "http://169.254.169.254/"))
        ):
            return None  # as if nothing answered: the credential chain moves on
        return original(self)

    return _fetch_metadata_token


def _imds_get(original: Any) -> Any:
    def _get_request(self: Any, url_path: str, retry_func: Any, token: Any = None) -> Any:
        if not getattr(self, "_disabled", False) and _probe_blocked(
            str(getattr(self, "_base_url", "http://169.254.169.254/"))
        ):
            raise self._RETRIES_EXCEEDED_ERROR_CLS()
        return original(self, url_path, retry_func, token)

    return _get_request


def _container_get(original: Any) -> Any:
    def _get_response(self: Any, full_url: str, headers: Any, timeout: Any) -> Any:
        if _probe_blocked(full_url):
            from botocore.exceptions import MetadataRetrievalError

            raise MetadataRetrievalError(error_msg="blocked by the scopecheck guard")
        return original(self, full_url, headers, timeout)

    return _get_response


def _install_aio(module: ModuleType) -> None:
    """aiobotocore: its endpoint's _send is a coroutine; clients come from AioSession."""
    with _lock:
        endpoint_cls = getattr(module, "AioEndpoint", None)
        if endpoint_cls is not None:
            _patch(endpoint_cls, "_send", _aio_send)


def _aio_send(original: Any) -> Any:
    async def _send(self: Any, request: Any) -> Any:
        if _sinks and moto_loaded():
            url = str(getattr(request, "url", "") or "")
            if not is_loopback(host_of(url)):
                origin = sites.caller_origin(1)
                record = getattr(self, _RECORD, None)
                if any(_each(lambda s: s.request_unserved(record, url, origin))):
                    raise GuardBlockedRequest(_blocked_text(record, url))
        return await original(self, request)

    return _send


def _install_aio_session(module: ModuleType) -> None:
    session_cls = getattr(module, "AioSession", None)
    if session_cls is None:
        return
    with _lock:
        _patch(session_cls, "_create_client", _aio_create_client)


def _aio_create_client(original: Any) -> Any:
    async def _create_client(self: Any, service_name: str, *args: Any, **kwargs: Any) -> Any:
        client = await original(self, service_name, *args, **kwargs)
        try:
            _remember(self, client, service_name, kwargs, is_async=True)
        except Exception as exc:
            _internal("aiobotocore", exc)
        return client

    return _create_client
