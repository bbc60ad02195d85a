"""What the guard knows about a botocore Session or client, and what a sink of botowatch hears.

Plain data and pure helpers: the patches that fill them live in botowatch (botocore) and aiowatch
(aiobotocore); the collector, the causes and the report read them.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from scopecheck.timeline import sites
from scopecheck.timeline.records import Context

MOTO_FAKE_KEYS = frozenset({"FOOBARKEY"})  # what mock_aws() writes into the environment


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
