"""The pytest plugin object that records fixture lifetimes and moto activity.

One recorder per run, shared by every view that wants it (the timeline chart, the guard):
`shared(config)` registers it on first use and `release(config)` unregisters it after its
last user. A run with neither plugin switched on never pays for these hooks.

Besides the chart's rows it keeps moto's starts/stops with their callers (`mocks`, `open_starts`),
the fixture being set up right now (`context()`), and calls its observers at phase ends, so the
guard's checks run inside these same hooks.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Generator
from typing import Any

import pytest

from scopecheck.timeline import motowatch, sites
from scopecheck.timeline.model import (
    CALL,
    SETUP,
    TEARDOWN,
    DepthRow,
    FixtureRow,
    Lifetime,
    Moment,
    RanTest,
    Timeline,
)
from scopecheck.timeline.records import PHASE_NAMES, Context, MockRecord

# What a new-style hook wrapper returns.
Wrapper = Generator[None, Any, Any]

# Top-level packages whose fixtures are pytest's own machinery, never the suite's.
_INTERNAL_PACKAGES = frozenset({"_pytest", "pytest", "pluggy"})


def is_suite_fixture(fixturedef: Any) -> bool:
    """True for fixtures defined in test modules and conftest files, not in plugins."""
    module = getattr(fixturedef.func, "__module__", None) or ""
    if module.split(".")[0] in _INTERNAL_PACKAGES or module.startswith("scopecheck.timeline"):
        return False
    # Read the attribute pytest sets in __init__ (pytest 9 keeps it private; the public
    # property now warns). Fixtures from installed plugins have no location.
    state = vars(fixturedef)
    for attr in ("_has_location", "has_location"):
        if attr in state:
            return bool(state[attr])
    return True


def _param_label(request: Any) -> str | None:
    if not hasattr(request, "param"):
        return None
    value = request.param
    if isinstance(value, (str, int, float, bool)) or value is None:
        text = str(value)
        return text if len(text) <= 24 else text[:21] + "..."
    return str(getattr(request, "param_index", "?"))


def _where(fixturedef: Any) -> str:
    code = getattr(fixturedef.func, "__code__", None)
    if code is None:
        return fixturedef.baseid or "?"
    return f"{os.path.basename(code.co_filename)}:{code.co_firstlineno}"


class Observer:
    """What a view may implement; the recorder calls it from its own hooks. `phase_ended` may
    raise (pytest then reports that phase as failed) only when `failed` is False."""

    def test_started(self, item: pytest.Item) -> None: ...

    def phase_ended(self, item: pytest.Item, when: str, failed: bool) -> None: ...

    def test_finished(self, item: pytest.Item) -> None: ...


_SHARED = pytest.StashKey["TimelineRecorder"]()
_USERS = pytest.StashKey[int]()


def shared(config: pytest.Config, include_all: bool = False) -> TimelineRecorder:
    """The run's one recorder, registered and started on first use."""
    recorder = config.stash.get(_SHARED, None)
    if recorder is None:
        recorder = TimelineRecorder(include_all=include_all)
        config.stash[_SHARED] = recorder
        config.stash[_USERS] = 0
        config.pluginmanager.register(recorder, "scopecheck-timeline-recorder")
        recorder.start()
    elif include_all:
        recorder.include_all = True
    config.stash[_USERS] = config.stash.get(_USERS, 0) + 1
    return recorder


def release(config: pytest.Config) -> None:
    """One user is done; the last one stops and unregisters the recorder."""
    recorder = config.stash.get(_SHARED, None)
    if recorder is None:
        return
    users = config.stash.get(_USERS, 1) - 1
    config.stash[_USERS] = users
    if users > 0:
        return
    recorder.stop()
    if config.pluginmanager.is_registered(recorder):
        config.pluginmanager.unregister(recorder)
    del config.stash[_SHARED]


class TimelineRecorder:
    def __init__(self, include_all: bool) -> None:
        self.include_all = include_all
        self.tests: list[RanTest] = []
        self._rows: dict[tuple[int, object], FixtureRow] = {}
        self._open: dict[int, Lifetime] = {}  # id(fixturedef) -> its live instance
        self._keep: list[Any] = []  # holds fixturedefs so their ids stay unique
        self._seq = itertools.count()
        self._test = -1
        self._phase = TEARDOWN
        self.moto: DepthRow | None = None
        self.mocks: list[MockRecord] = []  # every start/stop, in order
        self.open_starts: list[MockRecord] = []  # starts not balanced by a stop yet
        self.observers: list[Observer] = []
        self.item: pytest.Item | None = None  # the test running now
        self._setting_up: list[Any] = []  # fixture definitions in setup, innermost last
        self._live: set[int] = set()  # id() of every fixture definition with a live instance

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> None:
        depth = motowatch.current_depth()
        if depth is not None:
            self.moto = DepthRow("moto active", initial=depth)
        motowatch.add_listener(self._on_moto)
        motowatch.add_detail_listener(self._on_mock_change)

    def stop(self) -> None:
        motowatch.remove_listener(self._on_moto)
        motowatch.remove_detail_listener(self._on_mock_change)

    def timeline(self) -> Timeline:
        return Timeline(list(self.tests), list(self._rows.values()), self.moto)

    # -- clock -----------------------------------------------------------------------

    def _now(self) -> Moment:
        return Moment(self._test, self._phase, next(self._seq))

    def context(self) -> Context:
        """Which test, phase and fixture setup the run is in right now."""
        running = self.item is not None and self.tests and self._test == len(self.tests) - 1
        nodeid = self.tests[-1].nodeid if running else None
        phase = PHASE_NAMES[self._phase] if running else "collect"
        fixture = self._setting_up[-1] if self._setting_up else None
        return Context(
            self._now(),
            nodeid,
            phase,
            getattr(fixture, "argname", None),
            id(fixture) if fixture is not None else None,
            getattr(fixture, "func", None),
        )

    def fixture_alive(self, key: int | None) -> bool:
        """Whether the fixture definition with this id() still has a live instance."""
        return key is not None and key in self._live

    def _on_mock_change(self, change: motowatch.MockChange) -> None:
        origin = sites.caller_origin(1)
        record = MockRecord(
            change.action,
            change.before,
            change.after,
            type(change.mock).__name__,
            origin,
            self.context(),
            failed=change.error is not None,
            mock_id=id(change.mock),
        )
        self.mocks.append(record)
        if change.action == "start" and change.after > change.before:
            self.open_starts.append(record)
        elif change.action == "stop" and self.open_starts and change.after < change.before:
            # The same object's latest start (a module fixture's `with` may end after a
            # function fixture's leaked start); otherwise the latest start of any.
            index = next(
                (i for i in range(len(self.open_starts) - 1, -1, -1) if self.open_starts[i].mock_id == record.mock_id),
                len(self.open_starts) - 1,
            )
            self.open_starts.pop(index).stopped_by = record

    def _on_moto(self, depth: int) -> None:
        if self.moto is None:
            # moto got imported during the run: it was certainly inactive before.
            self.moto = DepthRow("moto active")
        self.moto.changes.append((self._now(), depth))

    # -- tests -----------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: Any) -> Wrapper:
        names = set(getattr(item, "fixturenames", ()))
        self.tests.append(RanTest(len(self.tests), item.nodeid, names))
        self._test, self._phase = len(self.tests) - 1, SETUP
        self.item = item
        for observer in list(self.observers):
            observer.test_started(item)
        try:
            return (yield)
        finally:
            for observer in list(self.observers):
                observer.test_finished(item)
            self.item = None

    def _phase_result(self, item: pytest.Item, when: str) -> Wrapper:
        try:
            result = yield
        except BaseException:
            for observer in list(self.observers):
                observer.phase_ended(item, when, True)
            raise
        for observer in list(self.observers):
            observer.phase_ended(item, when, False)
        return result

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Wrapper:
        self._phase = SETUP
        return (yield from self._phase_result(item, "setup"))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Wrapper:
        self._phase = CALL
        try:
            return (yield from self._phase_result(item, "call"))
        finally:
            # Anything after the body and before teardown counts as teardown.
            self._phase = TEARDOWN

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item, nextitem: Any) -> Wrapper:
        self._phase = TEARDOWN
        # Fixtures fetched with request.getfixturevalue() are missing from item.fixturenames.
        request = getattr(item, "_request", None)
        if self.tests and request is not None:
            self.tests[-1].fixturenames.update(getattr(request, "fixturenames", ()))
        return (yield from self._phase_result(item, "teardown"))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if not self.tests or self.tests[-1].nodeid != report.nodeid:
            return
        test = self.tests[-1]
        if test.outcome in ("failed", "error"):
            return  # the first failure is the one worth showing
        xfail = hasattr(report, "wasxfail")
        if report.failed:
            test.outcome = "failed" if report.when == "call" else "error"
        elif report.skipped:
            test.outcome = "xfailed" if xfail else "skipped"
        elif report.when == "call" and xfail:
            test.outcome = "xpassed"

    # -- fixtures --------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef: Any, request: Any) -> Wrapper:
        self._live.add(id(fixturedef))
        self._setting_up.append(fixturedef)
        try:
            return (yield from self._fixture_setup(fixturedef, request))
        finally:
            self._setting_up.pop()

    def _fixture_setup(self, fixturedef: Any, request: Any) -> Wrapper:
        if not (self.include_all or is_suite_fixture(fixturedef)):
            return (yield)
        param_key = request.param_index if hasattr(request, "param") else None
        key = (id(fixturedef), param_key)
        row = self._rows.get(key)
        if row is None:
            self._keep.append(fixturedef)
            row = FixtureRow(fixturedef.argname, fixturedef.scope, _param_label(request), _where(fixturedef))
            self._rows[key] = row
        if self.tests and self._test == len(self.tests) - 1:
            # Set up while this test ran: this test asked for it, one way or another.
            self.tests[-1].fixturenames.add(fixturedef.argname)
        life = Lifetime(self._now())
        row.lifetimes.append(life)
        self._open[id(fixturedef)] = life
        try:
            return (yield)
        except BaseException:
            life.error = True
            raise

    def pytest_fixture_post_finalizer(self, fixturedef: Any, request: Any) -> None:
        self._live.discard(id(fixturedef))
        life = self._open.pop(id(fixturedef), None)
        if life is not None and life.end is None:
            life.end = self._now()
