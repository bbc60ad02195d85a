"""Watch botocore from the inside: every Session and client built, every request moto did not
answer, every signing failure, every instance-metadata probe.

Nothing is imported here until the suite imports botocore itself (importwatch), so import order
stays the suite's. The patches are class-level and shared by every sink (nested pytester runs
each have their own guard); the originals come back with the last sink.

Why these places: moto answers on botocore's `before-send` event and `Endpoint._do_get_response`
calls `Endpoint._send` only when no handler answered, so `_send` sees exactly the requests moto
did not serve, for clients built before the guard or moto too. Signing runs on `request-created`,
before `before-send`, so NoCredentialsError is caught around `BaseClient._make_api_call`.
aiobotocore's own classes are aiowatch's; the records and the sink protocol are in records.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from types import ModuleType
from typing import Any, Callable

from scopecheck.guard.records import ClientRecord, SessionBirth, Sink, credential_kind, host_of, is_loopback
from scopecheck.timeline import importwatch, motowatch, sites
from scopecheck.timeline.records import Context

SIGNING_ERRORS = frozenset({"NoCredentialsError", "PartialCredentialsError", "NoRegionError"})
AUTH_ERROR_CODES = frozenset(
    {"InvalidClientTokenId", "UnrecognizedClientException", "InvalidAccessKeyId", "AuthFailure"}
)
_RECORD = "_scopecheck_guard_record"
_BIRTH = "_scopecheck_guard_birth"


class GuardBlockedRequest(RuntimeError):
    """Raised instead of sending a request that would leave the machine (strict mode)."""


lock = threading.RLock()
_sinks: list[Sink] = []
_restore: list[tuple[Any, str, Any]] = []  # (class, attribute, original)
_tls = threading.local()


def add_sink(sink: Sink) -> None:
    with lock:
        _sinks.append(sink)
        if len(_sinks) == 1:
            importwatch.when_imported("botocore.session", _install)


def remove_sink(sink: Sink) -> None:
    with lock:
        if sink in _sinks:
            _sinks.remove(sink)
        if _sinks:
            return
        importwatch.cancel("botocore.session", _install)
        from scopecheck.guard import aiowatch

        aiowatch.unwatch()
        for owner, name, original in reversed(_restore):
            setattr(owner, name, original)
        _restore.clear()


def installed() -> bool:
    """The botocore hooks are in place and some sink listens (aiowatch patches only then)."""
    return bool(_restore and _sinks)


def moto_loaded() -> bool:
    return "moto.core.models" in sys.modules


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


def internal(where: str, exc: BaseException) -> None:
    _each(lambda s: s.internal_error(where, exc))


def _call_failed(origin: Any, context: Context, service: str, exc: BaseException, sink: Sink) -> None:
    sink.client_failed(origin, context, service, exc)


def _call_signing(record: Any, exc: BaseException, origin: Any, sink: Sink) -> None:
    sink.signing_failed(record, exc, origin)


def _context() -> Context | None:
    return _sinks[0].context() if _sinks else None


# -- the patches ----------------------------------------------------------------------------


def patch(owner: Any, name: str, make: Callable[[Any], Any]) -> None:
    original = owner.__dict__.get(name)
    if original is None:
        return
    _restore.append((owner, name, original))
    setattr(owner, name, functools.wraps(original)(make(original)))


def _install(module: ModuleType) -> None:
    try:
        _install_patches(module)
    except Exception as exc:
        internal("installing the botocore hooks", exc)


def _install_patches(session_module: ModuleType) -> None:
    with lock:
        if _restore or not _sinks:
            return
        # Called while botocore.session finishes executing: its parent package does not have
        # the attribute yet, so take the modules from sys.modules.
        client_module = sys.modules["botocore.client"]
        endpoint_module = sys.modules["botocore.endpoint"]
        utils_module = sys.modules["botocore.utils"]
        patch(session_module.Session, "__init__", _session_init)
        patch(session_module.Session, "create_client", _create_client)
        patch(endpoint_module.Endpoint, "_send", _send)
        patch(client_module.BaseClient, "_make_api_call", _make_api_call)
        patch(utils_module.IMDSFetcher, "_fetch_metadata_token", _imds_token)
        patch(utils_module.IMDSFetcher, "_get_request", _imds_get)
        patch(utils_module.ContainerMetadataFetcher, "_get_response", _container_get)
    from scopecheck.guard import aiowatch  # it imports this module

    aiowatch.watch()


def _session_init(original: Any) -> Any:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        context = _context()
        if context is not None:
            try:
                birth = SessionBirth(sites.caller_origin(1), context, moto_loaded())
                object.__setattr__(self, _BIRTH, birth)
            except Exception as exc:
                internal("session", exc)

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
                remember(self, client, service_name, kwargs)
            except Exception as exc:
                internal("create_client", exc)
        return client

    return create_client


def remember(session: Any, client: Any, service: str, kwargs: dict[str, Any], is_async: bool = False) -> None:
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
        check_unserved(self, request)
        return original(self, request)

    return _send


def check_unserved(endpoint: Any, request: Any) -> None:
    """Called by an endpoint's `_send` wrapper (botocore's or aiobotocore's): moto did not serve
    `request`; raises GuardBlockedRequest when a sink says it must not leave the machine."""
    if _sinks and moto_loaded():
        url = str(getattr(request, "url", "") or "")
        if not is_loopback(host_of(url)):
            origin = sites.caller_origin(2)  # the caller of the wrapper, as for botocore's _send
            record = getattr(endpoint, _RECORD, None)
            if any(_each(lambda s: s.request_unserved(record, url, origin))):
                raise GuardBlockedRequest(_blocked_text(record, url))
        elif motowatch.current_depth():  # under the mock, to this machine: whose server? (SCP403)
            record = getattr(endpoint, _RECORD, None)
            _each(lambda s: s.request_loopback(record, url))


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
