"""The pytest plugin object that records fixture lifetimes and moto activity.

It is registered only once the timeline is switched on, so a run without
`--scope-timeline` never pays for these hooks.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Generator
from typing import Any

import pytest

from scopecheck.timeline import motowatch
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

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> None:
        depth = motowatch.current_depth()
        if depth is not None:
            self.moto = DepthRow("moto active", initial=depth)
        motowatch.add_listener(self._on_moto)

    def stop(self) -> None:
        motowatch.remove_listener(self._on_moto)

    def timeline(self) -> Timeline:
        return Timeline(list(self.tests), list(self._rows.values()), self.moto)

    # -- clock -----------------------------------------------------------------------

    def _now(self) -> Moment:
        return Moment(self._test, self._phase, next(self._seq))

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
        return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Wrapper:
        self._phase = SETUP
        return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Wrapper:
        self._phase = CALL
        try:
            return (yield)
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
        return (yield)

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
        life = self._open.pop(id(fixturedef), None)
        if life is not None and life.end is None:
            life.end = self._now()
