"""What the guard reports: one event per observed hazard, with a stable JSON shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scopecheck.timeline.sites import Site, relative

VERSION = 1

# kind -> one line of meaning (docs/guard.md has the long form).
KINDS = {
    "request-escaped": "a request moto did not serve would have left the machine",
    "metadata-probe": "botocore's credential lookup asked the instance/container metadata endpoint",
    "signing-failure": "a request failed before sending: no credentials, no region, rejected key",
    "client-failed": "building a client raised (NoRegionError...)",
    "async-client-in-mock": "an aiobotocore client was built under moto's in-process mock, which cannot serve it",
    "mock-bypassed": "a request made under moto's mock went to this machine, where no moto server of this run listens",
    "mock-ended-before-body": "a mock-decorated generator/coroutine returned before its body ran: the mock had ended",
    "server-port-in-use": "a ThreadedMotoServer could not bind its port: its start() never returns",
    "mock-config-reset": "a nested mock start put moto's default config back over the active mock's config=",
    "mock-leak": "a mock was started and not stopped by the end of its test or fixture",
    "mock-overstop": "a mock was stopped more often than started (moto's counter went below 0)",
    "env-leak": "AWS_* variables changed and not restored",
    "guard-error": "the guard itself failed; the run was not affected",
}


@dataclass
class Event:
    kind: str
    code: str | None
    nodeid: str | None  # the test it happened in; None at collection / session level
    site: Site | None  # the cause's place: the client's creation, the mock's start, the write
    message: str
    chain: tuple[Site, ...] = ()  # import chain (outermost first) for import-time causes
    strict: bool = False  # fails its test in strict mode
    tests: list[str] = field(default_factory=list)  # merged duplicates: every affected test

    def key(self) -> tuple[Any, ...]:
        where = (self.site.path, self.site.line) if self.site else None
        return (self.kind, self.code, where, self.message)

    def to_json(self, root: str | None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "code": self.code,
            "nodeid": self.nodeid,
            "path": relative(self.site.path, root) if self.site else None,
            "line": self.site.line if self.site else None,
            "message": self.message,
        }
        if self.chain:
            data["chain"] = [f"{relative(s.path, root)}:{s.line}" for s in self.chain]
        return data


def from_json(data: dict[str, Any], root: str | None) -> Event:
    """The inverse used for xdist workers' records (paths stay as the worker wrote them)."""
    import os

    site = None
    if data.get("path"):
        path = data["path"] if os.path.isabs(data["path"]) or not root else os.path.join(root, data["path"])
        site = Site(path, int(data.get("line") or 0), "")
    chain = []
    for text in data.get("chain") or ():
        path, _, line = str(text).rpartition(":")
        chain.append(Site(os.path.join(root, path) if root and not os.path.isabs(path) else path, int(line or 0), ""))
    return Event(
        data["kind"],
        data.get("code"),
        data.get("nodeid"),
        site,
        data.get("message", ""),
        tuple(chain),
        tests=list(data.get("tests") or ([data["nodeid"]] if data.get("nodeid") else [])),
    )
