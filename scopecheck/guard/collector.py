"""The guard's view of the run: botowatch's sink and the shared recorder's observer.

It turns records into events (events.py), fails a test in strict mode when a request of it
would have left the machine, and checks after every test that moto's depth and the AWS_*
variables are back where they were.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

import pytest

from scopecheck.guard import causes, configwatch, envwatch, wrapwatch
from scopecheck.guard.events import Event
from scopecheck.guard.records import ClientRecord, host_of, is_loopback
from scopecheck.guard.serverwatch import ServerRecord, serving_ports
from scopecheck.timeline import motowatch
from scopecheck.timeline.recorder import TimelineRecorder
from scopecheck.timeline.records import Context, MockRecord
from scopecheck.timeline.sites import Origin, Site

MOTO_ENV = {"AWS_ACCESS_KEY_ID": "FOOBARKEY", "AWS_SECRET_ACCESS_KEY": "FOOBARSECRET"}


def _creds(kind: str) -> str:
    if kind == "none":
        return "no credentials"
    if kind == "moto":
        return "moto's fake credentials"
    if kind == "env":
        return "credentials from the environment"
    return "credentials from " + kind.partition(":")[2]


def _site(origin: Origin | None) -> Site | None:
    return origin.site if origin is not None else None


def _chain(origin: Origin | None) -> tuple[Site, ...]:
    return origin.chain if origin is not None and len(origin.chain) > 1 else ()


class Guard:
    def __init__(self, recorder: TimelineRecorder, strict: bool, root: str) -> None:
        self.recorder = recorder
        self.strict = strict
        self.root = root
        self.events: list[Event] = []
        self._index: dict[tuple[Any, ...], Event] = {}
        self.clients: list[ClientRecord] = []
        self.errors: list[str] = []
        self.moto_seen = False
        self._pending: list[Event] = []  # strict events of the running phase
        self._env_session = envwatch.snapshot()
        self._env_test: dict[str, str] | None = None
        self._env_writes: dict[str, tuple[Origin | None, Context, bool]] = {}
        self._collection_checked = False
        self._mock_seen = 0  # recorder.mocks already examined
        self._leaked: set[int] = set()
        self._leaked_this_test = False
        self._probed: set[Site] = set()  # creation sites whose credential lookup probed metadata
        self._configs = configwatch.ConfigTracker()

    # -- helpers --------------------------------------------------------------------------

    def where(self, site: Site | None) -> str:
        return site.short(self.root) if site is not None else "an unknown place"

    def add(self, event: Event) -> Event:
        key = event.key() + (event.nodeid,)
        known = self._index.get(key)
        if known is not None:
            return known
        self._index[key] = event
        self.events.append(event)
        if event.strict and self.strict and event.nodeid is not None:
            self._pending.append(event)
        return event

    def context(self) -> Context:
        return self.recorder.context()

    def internal_error(self, where: str, error: BaseException) -> None:
        text = f"{where}: {type(error).__name__}: {error}"
        if text not in self.errors:
            self.errors.append(text)

    def _moto_fixture(self) -> bool:
        item = self.recorder.item
        return item is not None and causes.item_has_moto_fixture(item)

    def _depth(self) -> int:
        return motowatch.current_depth() or 0

    def _when(self, record: ClientRecord) -> str:
        ctx = record.context
        if record.origin is not None and record.origin.at_import:
            return "at import"
        if ctx.fixture:
            return f"in fixture {ctx.fixture}"
        return "at collection" if ctx.phase == "collect" else f"in {ctx.phase}"

    # -- botowatch sink -------------------------------------------------------------------

    def client_created(self, record: ClientRecord) -> None:
        self.clients.append(record)
        # moto answers an aiobotocore request in process with a body aiobotocore cannot await
        # (TypeError): only a moto server's endpoint (loopback) serves it.
        if (
            record.is_async
            and record.mock_depth > 0
            and not (record.custom_endpoint and is_loopback(record.endpoint_host))
        ):
            where = self.where(_site(record.origin))
            message = f"aiobotocore {record.service} client built under the in-process mock at {where}"
            site = _site(record.origin)
            self.add(
                Event("async-client-in-mock", "SCP105", record.context.nodeid, site, message, _chain(record.origin))
            )

    def client_failed(self, origin: Origin | None, context: Context, service: str, error: BaseException) -> None:
        name = type(error).__name__
        code = "SCP402" if name == "NoRegionError" else None
        message = f"{name} building a {service} client at {self.where(_site(origin))}"
        if origin is not None and origin.at_import and len(origin.chain) > 1:
            message += " (imported from " + " <- ".join(self.where(s) for s in reversed(origin.chain[:-1])) + ")"
        self.add(Event("client-failed", code, context.nodeid, _site(origin), message, _chain(origin)))

    def request_unserved(self, record: ClientRecord | None, url: str, origin: Origin | None) -> bool:
        self.moto_seen = True
        host = host_of(url)
        depth = self._depth()
        code = causes.client_code(record, depth, host, self._moto_fixture())
        cause = record.origin if record is not None else origin
        built = f"client built at {self.where(_site(cause))}"
        if record is not None:
            built += f" {self._when(record)}, {_creds(record.credentials)}"
        state = "mock active" if depth else "no mock active"
        message = f"request to {host} not served by moto ({state}); {built}"
        nodeid = self.context().nodeid
        self.add(Event("request-escaped", code, nodeid, _site(cause), message, _chain(cause), strict=True))
        return self.strict

    def signing_failed(self, record: ClientRecord | None, error: BaseException, origin: Origin | None) -> None:
        name = type(error).__name__
        response = getattr(error, "response", None)
        if isinstance(response, dict):
            name = (response.get("Error") or {}).get("Code") or name
        if name == "NoRegionError":
            code: str | None = "SCP402"
        else:
            code = causes.client_code(record, self._depth(), None, self._moto_fixture())
        cause = record.origin if record is not None else origin
        if record is not None and record.origin is not None and record.origin.site in self._probed:
            return  # same cause as the metadata probe made while it was built: reported there
        extra = f" {self._when(record)}, {_creds(record.credentials)}" if record is not None else ""
        message = f"{name} on a client built at {self.where(_site(cause))}{extra}"
        self.add(Event("signing-failure", code, self.context().nodeid, _site(cause), message, _chain(cause)))

    def metadata_probe(self, url: str, origin: Origin | None) -> bool:
        self.moto_seen = True
        context = self.context()
        code = causes.creation_code(origin, context, self._depth(), None, None, self._moto_fixture())
        if origin is not None:
            self._probed.add(origin.site)
        message = f"no credentials: botocore probed {host_of(url)} for a client built at {self.where(_site(origin))}"
        self.add(Event("metadata-probe", code, context.nodeid, _site(origin), message, _chain(origin), strict=True))
        return self.strict

    def request_loopback(self, record: ClientRecord | None, url: str) -> None:
        """A request sent to this machine while the mock was active: moto's mock never sees it.
        Only a ThreadedMotoServer of this run (or moto's own server mode) is expected there."""
        self.moto_seen = True
        if os.environ.get("TEST_SERVER_MODE", "").lower() == "true":
            return  # moto's server mode: its mock sends every request to the server on purpose
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return
        if port in serving_ports():
            return
        code = causes.client_code(record, self._depth(), parts.hostname or "", self._moto_fixture())
        cause = record.origin if record is not None else None
        built = f"client built at {self.where(_site(cause))}"
        if record is not None:
            built += f" {self._when(record)}"
        message = f"request to {parts.netloc} bypassed the active mock (no moto server of this run there); {built}"
        self.add(Event("mock-bypassed", code, self.context().nodeid, _site(cause), message, _chain(cause)))

    def server_bind_failed(self, record: ServerRecord, error: BaseException, holder: ServerRecord | None) -> None:
        """A ThreadedMotoServer's thread could not bind its port: its start() never returns."""
        self.moto_seen = True
        site = _site(record.origin)
        held = ""
        if holder is not None:
            owner = holder.context.nodeid or holder.context.phase
            held = f"; the server started at {self.where(_site(holder.origin))} ({owner}) still holds it"
        reason = getattr(error, "strerror", None) or type(error).__name__
        message = f"ThreadedMotoServer.start() at {self.where(site)} cannot bind port {record.port} ({reason}){held}"
        self.add(Event("server-port-in-use", "SCP404", record.context.nodeid, site, message))

    def mock_changed(self, change: Any) -> None:
        """motowatch's detail listener (after the recorder's), called inside moto's start/stop."""
        try:
            self._mock_changed(change)
        except Exception as exc:  # never into the suite's start/stop
            self.internal_error("mock watch", exc)

    def _mock_changed(self, change: Any) -> None:
        """Did a nested start reset the active mock's config; at a stop, did moto's wrapper
        return an un-run body?"""
        reset = self._configs.changed(change.action, change.before, change.after, change.mock)
        if reset and self.recorder.mocks:
            self.moto_seen = True
            record = self.recorder.mocks[-1]
            site = self._mock_site(record)
            sections = ", ".join(reset)
            message = f"nested mock started at {self.where(site)} reset the active config= ({sections}) to defaults"
            self.add(Event("mock-config-reset", "SCP301", record.context.nodeid, site, message))
        if change.action != "stop":
            return
        unrun = wrapwatch.unrun_body(2)
        if unrun is None:
            return
        self.moto_seen = True
        where = wrapwatch.definition(unrun.func)
        site = Site(*where) if where is not None else None
        context = self.context()
        code = causes.unrun_code(unrun.func, context)
        holder = f"fixture {context.fixture}" if code == "SCP202" else getattr(unrun.func, "__name__", "function")
        message = (
            f"mock decorator on {holder} ({self.where(site)}) returned {unrun.what}: the mock ended before its body ran"
        )
        self.add(Event("mock-ended-before-body", code, context.nodeid, site, message))

    def env_written(self, name: str, origin: Origin | None, by_moto: bool) -> None:
        self._env_writes[name] = (origin, self.context(), by_moto)

    # -- recorder observer ----------------------------------------------------------------

    def test_started(self, item: pytest.Item) -> None:
        if not self._collection_checked:
            self._collection_checked = True
            self._check_env(self._env_session, None, item=None)
        self._env_test = envwatch.snapshot()
        self._leaked_this_test = False

    def phase_ended(self, item: pytest.Item, when: str, failed: bool) -> None:
        pending, self._pending = self._pending, []
        if failed or not pending or not self.strict:
            return
        lines = [f"  {e.code or '-'} {e.message}" for e in pending[:5]]
        more = f"\n  (+{len(pending) - 5} more)" if len(pending) > 5 else ""
        text = "scopecheck guard (strict): a request would have left the machine\n" + "\n".join(lines) + more
        pytest.fail(text, pytrace=False)

    def test_finished(self, item: pytest.Item) -> None:
        self._check_mocks(item.nodeid, final=False)
        if self._env_test is not None:
            self._check_env(self._env_test, item.nodeid, item=item)
            self._env_test = None

    def session_finished(self) -> None:
        if not self._collection_checked:
            self._collection_checked = True
            self._check_env(self._env_session, None, item=None)
        self._check_mocks(None, final=True)

    # -- checks ---------------------------------------------------------------------------

    def _check_mocks(self, nodeid: str | None, final: bool) -> None:
        records = self.recorder.mocks
        for record in records[self._mock_seen :]:
            self.moto_seen = True
            if record.action == "stop" and record.after < 0 and record.before >= 0:
                message = f"{record.mock_class}.stop() at {self.where(self._mock_site(record))} without a start"
                self.add(Event("mock-overstop", "SCP203", record.context.nodeid, self._mock_site(record), message))
        self._mock_seen = len(records)
        for record in list(self.recorder.open_starts):
            if id(record) in self._leaked:
                continue
            if self.recorder.fixture_alive(record.context.fixture_key):
                if not final:
                    continue
                if record.context.fixture is not None:
                    continue  # a session-wide fixture still alive at the end: pytest finalizes it
            if record.context.moment.test < 0 and not final:
                continue  # started at collection: reported once, at the end
            self._leaked.add(id(record))
            self._leaked_this_test = True
            site = self._mock_site(record)
            holder = f"fixture {record.context.fixture}" if record.context.fixture else record.context.phase
            message = f"{record.mock_class} started at {self.where(site)} ({holder}) was never stopped"
            self.add(Event("mock-leak", "SCP203", record.context.nodeid or nodeid, site, message))

    def _mock_site(self, record: MockRecord) -> Site | None:
        if record.origin is not None:
            return record.origin.site
        item = self.recorder.item
        if item is not None:
            path, line = getattr(item, "path", None), item.location[1]
            if path is not None and line is not None:
                return Site(str(path), line + 1, item.name)
        return None

    def _check_env(self, before: dict[str, str], nodeid: str | None, item: pytest.Item | None) -> None:
        now = envwatch.snapshot()
        changed = sorted(k for k in set(before) | set(now) if before.get(k) != now.get(k))
        # One cause per writing function (a block of os.environ lines is one leak), at its first line.
        by_writer: dict[tuple[str, str] | None, tuple[Site | None, list[str]]] = {}
        for name in changed:
            origin, context, by_moto = self._env_writes.get(name, (None, None, False))
            if by_moto:
                continue  # moto's start/stop wrote it: the mock checks report that cause
            if self._leaked_this_test and MOTO_ENV.get(name) == now.get(name):
                continue  # a leaked mock's own fake keys: one cause, already reported
            if context is not None and context.fixture and self.recorder.fixture_alive(context.fixture_key):
                if item is not None and context.nodeid != nodeid:
                    continue  # a wider fixture's value, still in use
            site = _site(origin)
            if site is None and item is not None:
                site = Site(str(item.path), (item.location[1] or 0) + 1, item.name)
            key = (site.path, site.function) if site is not None else None
            first, names = by_writer.get(key, (site, []))
            if first is not None and site is not None and site.line < first.line:
                first = site
            by_writer[key] = (first, names + [name])
        for site, names in by_writer.values():
            verb = "changed" if nodeid else "changed at collection"
            message = f"{', '.join(names)} {verb} at {self.where(site)} and not restored"
            self.add(Event("env-leak", "SCP303", nodeid, site, message))
