"""Record shapes the shared recorder keeps besides the chart's rows (the guard reads them)."""

from __future__ import annotations

from dataclasses import dataclass

from scopecheck.timeline.model import Moment
from scopecheck.timeline.sites import Origin

PHASE_NAMES = ("setup", "call", "teardown")


@dataclass
class Context:
    """Where the run was when something happened."""

    moment: Moment
    nodeid: str | None  # None: at collection or between tests
    phase: str  # "collect", "setup", "call", "teardown"
    fixture: str | None  # the suite fixture being set up, innermost
    fixture_key: int | None  # id() of that fixture definition (its instance may still be alive)
    fixture_func: object | None  # the fixture's function as pytest holds it


@dataclass
class MockRecord:
    """One MockAWS.start() or .stop(): moto's class-wide counter before and after."""

    action: str  # "start" or "stop"
    before: int
    after: int
    mock_class: str
    origin: Origin | None  # the suite's caller; None when only moto/pytest frames were on the stack
    context: Context
    failed: bool = False  # start/stop raised
    mock_id: int = 0  # id() of the mock object: a stop balances that object's own start first
    stopped_by: MockRecord | None = None  # for a start: the stop that balanced it
