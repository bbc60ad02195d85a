"""The flow events of one function body, in source order: what the code does with its own mocks
and clients, with no judgement of it. The flow walker emits them; scopecheck/flow/ reads them.

Plain, picklable records (the facts cache stores them), and few per function: a name counts only
while it holds a client made in the function, and a repeated read only after something changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from scopecheck.facts.model import ClientCall, MockActivation
from scopecheck.findings import Location

# Where a statement sits among alternatives: one ((line, column) of the if/try/match, "if-body" |
# "if-else" | "try-body" | "handler0" | "try-else" | "case0" ...) per enclosing branch, outermost first.
Branch = tuple[tuple[tuple[int, int], str], ...]


@dataclass
class MockOn:
    """A mock starts patching: a ``with`` mock block begins, or a ``.start()`` is called."""

    activation: MockActivation


@dataclass
class BlockEnd:
    """A ``with`` mock block ends (its activation is the one it began)."""

    activation: MockActivation


@dataclass
class StopCall:
    """``.stop()`` on a mock object (*key* as in :class:`MockActivation`, "" for ``mock_aws().stop()``)."""

    loc: Location
    key: str
    branch: Branch = ()


@dataclass
class StopRegistered:
    """A mock's stop handed to ``addfinalizer``/``addCleanup``/``atexit.register``/``callback``."""

    loc: Location
    key: str


@dataclass
class Bound:
    """A name assigned: to a client made here (*client*); or, with no mock on, to a value that
    reads names holding an unmocked client (*sources*, in ast walk order: a Bucket of it); or to
    anything else while it held an unmocked client (neither)."""

    name: str
    client: ClientCall | None = None
    sources: tuple[str, ...] = ()


@dataclass
class NameUse:
    """A read of a name that holds (or held) a client made in the function: the first since the
    last Bound, MockOn, BlockEnd or StopCall (a later one means nothing new)."""

    name: str
    loc: Location


@dataclass
class Return:
    loc: Location
    has_value: bool


@dataclass
class Yield:
    loc: Location


@dataclass
class WriteCall:
    """A call of an AWS operation that creates data (``create_*``, ``put_*``, ``upload*`` ...): the
    first since the last MockOn, BlockEnd, StopCall or Bound."""

    loc: Location


FlowEvent = Union[MockOn, BlockEnd, StopCall, StopRegistered, Bound, NameUse, Return, Yield, WriteCall]
