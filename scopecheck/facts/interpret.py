"""What a function's flow events mean: which of its own mocks is active at each point, and so
which client is used under a mock it was not made under, which mock a ``return`` ends or leaves
running, which stop comes twice, what a fixture keeps active for the test.

Pure functions over :mod:`scopecheck.facts.events`; rules call :func:`flow_of` and decide what is
wrong. The result is computed once per function and kept off the cache (facts/serial.py leaves private attributes out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from scopecheck.facts.events import (
    BlockEnd,
    Bound,
    Branch,
    FlowEvent,
    MockOn,
    NameUse,
    Return,
    StopCall,
    StopRegistered,
    WriteCall,
    Yield,
)
from scopecheck.facts.model import ClientCall, FunctionFacts, MockActivation
from scopecheck.findings import Location


class ActiveMocks:
    """The function's own mocks active at a point of its body, innermost last."""

    def __init__(self) -> None:
        self.stack: list[MockActivation] = []

    def on(self, activation: MockActivation) -> None:
        self.stack.append(activation)

    def end_block(self) -> None:
        """A ``with`` mock block ends: the innermost activation is over."""
        self.stack.pop()

    def stop(self, key: str) -> bool:
        """A ``.stop()``: ends the latest start of *key* ("" : of any unnamed start); whether one was active."""
        stack = self.stack
        for i in range(len(stack) - 1, -1, -1):
            if (stack[i].key == key) if key else (stack[i].kind == "start" and stack[i].key is None):
                del stack[i]
                return True
        return False


def overlaps(a: MockActivation, b: MockActivation) -> bool:
    """moto<5 mocks nest per service; mock_aws (service None) nests with every mock."""
    return None in (a.service, b.service) or a.service == b.service


@dataclass
class Nesting:
    """A mock activated while another of the function's own (or its decorators) is active."""

    inner: MockActivation
    outer: MockActivation | None  # the active one it overlaps, None when only a decorator is


@dataclass
class StartOutcome:
    """A ``.start()`` of the function, with what the function does about stopping it."""

    loc: Location
    key: str | None
    stopped_later: bool = False  # a .stop() of the same object follows in the function
    registered_stop: bool = False  # its stop is handed to addfinalizer/addCleanup/atexit


@dataclass
class MockReturn:
    """A ``return`` while a mock of the function's own is active, or after it stopped one."""

    loc: Location
    ends: list[MockActivation]  # the ``with`` mock blocks this return leaves: they stop here
    running: list[MockActivation]  # ``.start()``ed mocks still active: they keep running after it
    stopped_at: Location | None  # the function's last stop of a mock of its own before this return
    has_value: bool


@dataclass
class LateClientUse:
    """A client made with no mock active, first used while one of the function's mocks is."""

    client: ClientCall
    use: Location
    activation: MockActivation  # the outermost mock active at the use


@dataclass
class Flow:
    nestings: list[Nesting] = field(default_factory=list)
    starts: list[StartOutcome] = field(default_factory=list)
    double_stops: list[Location] = field(default_factory=list)
    returns: list[MockReturn] = field(default_factory=list)
    late_uses: list[LateClientUse] = field(default_factory=list)
    yield_under: MockActivation | None = None  # the innermost mock active at the first yield
    writes_under_mock: bool = False  # an AWS write under a mock of its own, before any yield
    uses_client_var: bool = False  # reads a name that holds a client it made


def exclusive(a: Branch, b: Branch) -> bool:
    """Whether two code paths are alternatives (if/else, try body/handler) and never both run."""
    for (id_a, label_a), (id_b, label_b) in zip(a, b):
        if id_a != id_b:
            return False
        if label_a != label_b:
            return {label_a, label_b} != {"try-body", "try-else"}
    return False


def replay(events: Sequence[FlowEvent], *, decorated: bool) -> Flow:
    """Run through *events* in order; *decorated*: the body runs under a mock decorator."""
    flow = Flow()
    active = ActiveMocks()
    started: dict[str, list[StartOutcome]] = {}
    history: dict[str, list[Branch]] = {}  # the branches of each key's stops since its last start
    stopped_own: Location | None = None
    unmocked: dict[str, ClientCall] = {}  # name -> the client made with no mock that it holds
    targets: dict[int, str] = {}  # client -> the name it was last assigned to
    reported: set[int] = set()
    seen_yield = False
    for event in events:
        if isinstance(event, MockOn):
            _on(flow, active, started, history, event.activation, decorated)
        elif isinstance(event, BlockEnd):
            active.end_block()
        elif isinstance(event, StopCall):
            stopped_own = _stop(flow, active, started, history, event, stopped_own)
        elif isinstance(event, StopRegistered):
            for start in started.get(event.key, []):
                start.registered_stop = True
        elif isinstance(event, Bound):
            unmocked.pop(event.name, None)
            client = event.client
            if client is not None:
                targets[id(client)] = event.name
                if not client.mocked_locally and not client.explicit_credentials:
                    unmocked[event.name] = client
            elif not active.stack:
                # Derived objects (a Bucket of an unmocked resource) share its credentials.
                source = next((s for s in event.sources if s in unmocked), None)
                if source is not None:
                    unmocked[event.name] = unmocked[source]
        elif isinstance(event, NameUse):
            held = unmocked.get(event.name)
            if held is not None:
                flow.uses_client_var = True
                if active.stack and id(held) not in reported:
                    reported.add(id(held))
                    flow.late_uses.append(LateClientUse(held, event.loc, active.stack[0]))
            elif event.name in targets.values():
                flow.uses_client_var = True
        elif isinstance(event, Return):
            ends = [a for a in active.stack if a.kind == "with"]
            running = [a for a in active.stack if a.kind == "start"]
            if ends or running or stopped_own is not None:
                flow.returns.append(MockReturn(event.loc, ends, running, stopped_own, event.has_value))
        elif isinstance(event, Yield):
            if not seen_yield and active.stack:
                flow.yield_under = active.stack[-1]
            seen_yield = True
        elif isinstance(event, WriteCall):
            if (active.stack or decorated) and not seen_yield:
                flow.writes_under_mock = True
    return flow


def _on(
    flow: Flow,
    active: ActiveMocks,
    started: dict[str, list[StartOutcome]],
    history: dict[str, list[Branch]],
    activation: MockActivation,
    decorated: bool,
) -> None:
    if active.stack or decorated:
        outer = next((a for a in active.stack if overlaps(a, activation)), None)
        flow.nestings.append(Nesting(activation, outer))
    active.on(activation)
    if activation.kind == "start":
        start = StartOutcome(activation.loc, activation.key)
        flow.starts.append(start)
        if activation.key:
            started.setdefault(activation.key, []).append(start)
            history.pop(activation.key, None)


def _stop(
    flow: Flow,
    active: ActiveMocks,
    started: dict[str, list[StartOutcome]],
    history: dict[str, list[Branch]],
    stop: StopCall,
    stopped_own: Location | None,
) -> Location | None:
    if active.stop(stop.key):
        stopped_own = stop.loc
    if not stop.key:
        # moto's nesting counter is class-wide: this stop balances any earlier unnamed start.
        start = next((s for s in reversed(flow.starts) if s.key is None and not s.stopped_later), None)
        if start is not None:
            start.stopped_later = True
        return stopped_own
    for start in started.get(stop.key, []):
        start.stopped_later = True
    earlier = history.setdefault(stop.key, [])
    if any(not exclusive(branch, stop.branch) for branch in earlier):
        flow.double_stops.append(stop.loc)
    earlier.append(stop.branch)
    return stopped_own


def decorated(fn: FunctionFacts) -> bool:
    """Whether the function's body runs under a mock decorator: its own or its class's. Not a
    coroutine's: moto's decorator is synchronous and has stopped before the body runs (SCP206)."""
    return (bool(fn.mock_decorators) or fn.under_class_mock) and not fn.is_async


def flow_of(fn: FunctionFacts) -> Flow:
    """The meaning of *fn*'s events, computed once."""
    memo: Flow | None = fn.__dict__.get("_flow")
    if memo is None:
        memo = fn.__dict__["_flow"] = replay(fn.events, decorated=decorated(fn))
    return memo


def held_mock(fn: FunctionFacts) -> MockActivation | None:
    """The mock this fixture keeps active while the test runs, if any."""
    if fn.is_generator:
        return flow_of(fn).yield_under
    for start in flow_of(fn).starts:
        # A stop handed to addfinalizer/addCleanup runs after the test: the mock is held.
        if not start.stopped_later:
            return next((a for a in fn.activations if a.loc == start.loc), None)
    return None
