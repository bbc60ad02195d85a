"""What the recorder saw, and the questions both renderers ask of it.

Time is measured in *moments*: (test index, phase, sequence number). Every test has three
phases (setup, call, teardown); the sequence number orders events inside one phase. Events
before the first test use test index -1, so they sort before everything else.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import NamedTuple

SETUP, CALL, TEARDOWN = 0, 1, 2
PHASES = (SETUP, CALL, TEARDOWN)

# Widest first: the chart lists long-lived fixtures on top.
SCOPE_ORDER = ("session", "package", "module", "class", "function")
MOTO = "moto"


class Moment(NamedTuple):
    test: int
    phase: int
    seq: int


def phase_start(test: int, phase: int) -> Moment:
    return Moment(test, phase, -1)


def phase_end(test: int, phase: int) -> Moment:
    # Sequence numbers are non-negative ints, so this sorts after every real event.
    return Moment(test, phase, 1 << 62)


@dataclass
class RanTest:
    """One column of the chart."""

    index: int
    nodeid: str
    fixturenames: set[str]  # requested directly, through other fixtures or dynamically
    outcome: str = "passed"  # passed, failed, error, skipped, xfailed, xpassed

    @property
    def mark(self) -> str:
        """One character for the chart header."""
        return {
            "passed": ".",
            "failed": "F",
            "error": "E",
            "skipped": "s",
            "xfailed": "x",
            "xpassed": "X",
        }.get(self.outcome, "?")


@dataclass
class Lifetime:
    """One fixture instance: from the start of its setup to the end of its finalization."""

    start: Moment
    end: Moment | None = None  # None: still alive when the run ended
    error: bool = False  # its setup raised


@dataclass
class FixtureRow:
    """All instances of one fixture definition with one parameter, drawn on one row."""

    argname: str
    scope: str
    param: str | None
    where: str  # short location, used only to tell apart rows with equal labels
    lifetimes: list[Lifetime] = field(default_factory=list)

    @property
    def label(self) -> str:
        name = self.argname if self.param is None else f"{self.argname}[{self.param}]"
        return f"{name} [{self.scope}]"


@dataclass
class DepthRow:
    """A counter over time (moto's nesting depth): a list of (moment, new depth) changes."""

    label: str
    initial: int = 0
    changes: list[tuple[Moment, int]] = field(default_factory=list)

    def segments(self) -> list[tuple[Moment, Moment | None, int]]:
        """(start, end, depth) for every stretch with depth > 0; end None = never stopped."""
        out: list[tuple[Moment, Moment | None, int]] = []
        depth, since = self.initial, Moment(-1, TEARDOWN, -1)
        for when, value in self.changes:
            if value == depth:
                continue
            if depth > 0:
                out.append((since, when, depth))
            depth, since = value, when
        if depth > 0:
            out.append((since, None, depth))
        return out


class Cell(enum.Enum):
    ABSENT = "absent"  # not alive at all during this test
    BODY = "body"  # alive while the test body ran, and the test requested it
    IDLE = "idle"  # alive while the test body ran, but this test did not request it
    EDGE = "edge"  # alive only during setup and/or teardown, gone while the body ran
    ERROR = "error"  # its setup raised during this test


@dataclass
class Timeline:
    tests: list[RanTest]
    fixtures: list[FixtureRow]
    moto: DepthRow | None  # None: moto was never imported

    def ordered_fixtures(self) -> list[FixtureRow]:
        def key(row: FixtureRow) -> tuple[int, Moment]:
            first = row.lifetimes[0].start if row.lifetimes else Moment(1 << 30, 0, 0)
            rank = SCOPE_ORDER.index(row.scope) if row.scope in SCOPE_ORDER else len(SCOPE_ORDER)
            return rank, first

        return sorted((r for r in self.fixtures if r.lifetimes), key=key)

    def labels(self) -> dict[int, str]:
        """Row label per fixture row id; equal labels get their location appended."""
        rows = self.ordered_fixtures()
        counts: dict[str, int] = {}
        for row in rows:
            counts[row.label] = counts.get(row.label, 0) + 1
        return {id(row): row.label if counts[row.label] == 1 else f"{row.label} @{row.where}" for row in rows}


def overlaps(life: Lifetime, lo: Moment, hi: Moment) -> bool:
    return life.start <= hi and (life.end is None or life.end >= lo)


@dataclass
class Track:
    """A row as the text chart sees it: one cell per test, and for each test whether the
    same instance (or, for moto, an active mock) carries on into the next test."""

    cells: list[Cell]
    bridges: list[bool]
    depths: list[int] = field(default_factory=list)  # moto only: peak depth per test


def _fixture_cell(row: FixtureRow, test: RanTest, lives: list[Lifetime]) -> Cell:
    i = test.index
    if not lives:
        return Cell.ABSENT
    if any(life.error and life.start.test == i for life in lives):
        return Cell.ERROR
    if any(overlaps(life, phase_start(i, CALL), phase_end(i, CALL)) for life in lives):
        return Cell.BODY if row.argname in test.fixturenames else Cell.IDLE
    return Cell.EDGE


def fixture_track(row: FixtureRow, tests: list[RanTest]) -> Track:
    # Bucket each lifetime under the tests it spans, so the cost is the sum of the spans.
    n = len(tests)
    by_test: list[list[Lifetime]] = [[] for _ in range(n)]
    bridges = [False] * n
    for life in row.lifetimes:
        lo = max(life.start.test, 0)
        hi = n - 1 if life.end is None else min(life.end.test, n - 1)
        for i in range(lo, hi + 1):
            by_test[i].append(life)
        for i in range(lo, hi if life.end is not None else n - 1):
            bridges[i] = True
    cells = [_fixture_cell(row, tests[i], by_test[i]) for i in range(n)]
    return Track(cells, bridges)


def moto_track(row: DepthRow, n: int) -> Track:
    """One sweep over the depth changes (they were recorded in time order)."""
    changes = row.changes
    depth, k = row.initial, 0
    while k < len(changes) and changes[k][0].test < 0:
        depth, k = changes[k][1], k + 1
    cells: list[Cell] = []
    depths: list[int] = []
    bridges: list[bool] = []
    for i in range(n):
        peak = [0, 0, 0]
        for phase in PHASES:
            peak[phase] = depth
            while k < len(changes) and changes[k][0][:2] == (i, phase):
                depth, k = changes[k][1], k + 1
                peak[phase] = max(peak[phase], depth)
        if peak[CALL] > 0:
            cells.append(Cell.BODY)
            depths.append(peak[CALL])
        elif max(peak[SETUP], peak[TEARDOWN]) > 0:
            cells.append(Cell.EDGE)
            depths.append(max(peak[SETUP], peak[TEARDOWN]))
        else:
            cells.append(Cell.ABSENT)
            depths.append(0)
        bridges.append(depth > 0 and i + 1 < n)
    return Track(cells, bridges, depths)
