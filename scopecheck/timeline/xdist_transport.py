"""The timeline under pytest-xdist: each worker records its own tests, the controller draws them.

A worker runs the usual recorder, and when its session finishes (after the session-scoped
teardown) puts the records, as plain lists and strings, into `config.workeroutput`: xdist sends
that dict to the controller with its last message. The controller picks it up in
`pytest_testnodedown` and keeps one lane per worker. A worker that crashed sends nothing: its
lane is rebuilt from the test reports the controller did get, marked as lost.

Records are read through the shapes `recorder.timeline()` returns (Timeline, FixtureRow,
Lifetime, Moment, DepthRow, RanTest), never through the recorder's internals.
"""

from __future__ import annotations

from typing import Any

import pytest

from scopecheck.timeline.layout import FixtureSources, Lane
from scopecheck.timeline.model import DepthRow, FixtureRow, Lifetime, Moment, RanTest, Timeline

KEY = "scopecheck_timeline"
VERSION = 1
_LANES = pytest.StashKey["Collector"]()


# -- plain data, because execnet sends only builtins ------------------------------------------


def _moment(m: Moment | None) -> list[int] | None:
    return None if m is None else [m.test, m.phase, m.seq]


def _unmoment(data: list[int] | None) -> Moment | None:
    return None if data is None else _moment_of(data)


def _moment_of(data: list[int]) -> Moment:
    return Moment(int(data[0]), int(data[1]), int(data[2]))


def to_data(timeline: Timeline, sources: dict[str, str]) -> dict[str, Any]:
    moto = timeline.moto
    return {
        "version": VERSION,
        "tests": [[t.index, t.nodeid, sorted(t.fixturenames), t.outcome] for t in timeline.tests],
        "fixtures": [
            [
                row.argname,
                row.scope,
                row.param,
                row.where,
                [[_moment(life.start), _moment(life.end), life.error] for life in row.lifetimes],
            ]
            for row in timeline.fixtures
        ],
        "moto": None
        if moto is None
        else [moto.label, moto.initial, [[_moment(when), depth] for when, depth in moto.changes]],
        "sources": dict(sources),
    }


def from_data(data: dict[str, Any]) -> tuple[Timeline, dict[str, str]]:
    tests = [RanTest(int(i), str(nodeid), set(names), str(outcome)) for i, nodeid, names, outcome in data["tests"]]
    fixtures = []
    for argname, scope, param, where, lives in data["fixtures"]:
        row = FixtureRow(argname, scope, param, where)
        for start, end, error in lives:
            begin = _unmoment(start)
            assert begin is not None
            row.lifetimes.append(Lifetime(begin, _unmoment(end), bool(error)))
        fixtures.append(row)
    moto = None
    if data["moto"] is not None:
        label, initial, changes = data["moto"]
        moto = DepthRow(label, int(initial), [(_moment_of(when), int(depth)) for when, depth in changes])
    return Timeline(tests, fixtures, moto), dict(data.get("sources", {}))


# -- the two ends --------------------------------------------------------------------------------


class Sender:
    """Registered in a worker: hands the records to xdist when the worker's session ends."""

    def __init__(self, recorder: Any, sources: FixtureSources) -> None:
        self.recorder = recorder
        self.sources = sources

    @pytest.hookimpl(trylast=True)  # after the runner's session teardown, so it is recorded too
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        output = getattr(session.config, "workeroutput", None)
        if output is not None:
            output[KEY] = to_data(self.recorder.timeline(), self.sources.paths)


def _worker_id(node: Any) -> str:
    return str(getattr(getattr(node, "gateway", None), "id", None) or getattr(node, "workerid", "?"))


class Collector:
    """Registered in the controller: one lane per worker that went down."""

    def __init__(self) -> None:
        self.lanes: dict[str, Lane] = {}
        self._seen: dict[str, dict[str, str]] = {}  # worker -> nodeid -> outcome, from reports

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        node = getattr(report, "node", None)
        if node is None:
            return
        outcomes = self._seen.setdefault(_worker_id(node), {})
        before = outcomes.get(report.nodeid)
        if before in ("failed", "error"):
            return
        if report.failed:
            outcomes[report.nodeid] = "failed" if report.when in ("call", "???") else "error"
        elif report.skipped:
            outcomes[report.nodeid] = "xfailed" if hasattr(report, "wasxfail") else "skipped"
        elif before is None:
            outcomes[report.nodeid] = "passed"

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: object) -> None:
        worker = _worker_id(node)
        data = getattr(node, "workeroutput", {}).get(KEY)
        if data is not None and error is None:
            timeline, sources = from_data(data)
            self.lanes[worker] = Lane(worker, timeline, sources)
            return
        # Crashed: xdist reports the test it was running only after this hook, so the lane is
        # built from the reports when the chart is drawn.
        self.lanes[worker] = Lane(worker, Timeline([], [], None), {}, lost=f"worker {worker} crashed")

    def ordered(self) -> list[Lane]:
        def key(worker: str) -> tuple[int, str]:
            digits = "".join(ch for ch in worker if ch.isdigit())
            return (int(digits) if digits else 1 << 30, worker)

        lanes = [self.lanes[w] for w in sorted(self.lanes, key=key)]
        for lane in lanes:
            if lane.lost and lane.worker is not None:
                seen = self._seen.get(lane.worker, {})
                tests = [RanTest(i, nodeid, set(), outcome) for i, (nodeid, outcome) in enumerate(seen.items())]
                lane.timeline = Timeline(tests, [], None)
        # A worker that ran no test (one started to replace a crashed one, say) is no lane.
        return [lane for lane in lanes if lane.timeline.tests or lane.lost]


def install(config: pytest.Config, recorder: Any) -> FixtureSources:
    """Wire the recorder to xdist, whichever end this process is; returns the sources map."""
    sources = FixtureSources(config.rootpath)
    config.pluginmanager.register(sources, "scopecheck-timeline-sources")
    if hasattr(config, "workerinput"):
        config.pluginmanager.register(Sender(recorder, sources), "scopecheck-timeline-sender")
    elif config.pluginmanager.hasplugin("dsession"):
        collector = Collector()
        config.stash[_LANES] = collector
        config.pluginmanager.register(collector, "scopecheck-timeline-collector")
    return sources


def worker_lanes(config: pytest.Config) -> list[Lane] | None:
    """The workers' lanes in the controller of an xdist run, else None."""
    collector = config.stash.get(_LANES, None)
    return None if collector is None else collector.ordered()


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")
