"""The flow walker's events (facts/flow.py) and what interpret.py makes of them, pinned whole."""

from __future__ import annotations

import textwrap

from scopecheck.facts.events import (
    BlockEnd,
    Bound,
    FlowEvent,
    MockOn,
    NameUse,
    Return,
    StopCall,
    StopRegistered,
    WriteCall,
    Yield,
)
from scopecheck.facts.extract import extract
from scopecheck.facts.interpret import Flow, flow_of, held_mock, replay
from scopecheck.facts.model import ClientCall, FunctionFacts, MockActivation
from scopecheck.findings import Location


def _function(source: str, name: str) -> FunctionFacts:
    facts = extract("test_flow.py", textwrap.dedent(source), is_test_module=True, is_conftest=False)
    return next(fn for fn in facts.functions if fn.name == name)


def _at(loc: Location | None) -> str:
    return "-" if loc is None else f"{loc.line}:{loc.column}-{loc.end_line}:{loc.end_column}"


def _act(a: MockActivation | None) -> str:
    if a is None:
        return "-"
    extra = (f" key={a.key}" if a.key else "") + (" config" if a.has_config else "")
    return f"{a.kind} {a.factory} {_at(a.loc)}{extra}"


def _client(c: ClientCall) -> str:
    flags = [f for f, on in (("mocked", c.mocked_locally), ("creds", c.explicit_credentials)) if on]
    return f"{c.kind} {c.service} {_at(c.loc)} target={c.target} {','.join(flags) or 'unmocked'}"


def _event(e: FlowEvent) -> str:
    if isinstance(e, MockOn):
        return f"on {_act(e.activation)}"
    if isinstance(e, BlockEnd):
        return f"end {_act(e.activation)}"
    if isinstance(e, StopCall):
        return f"stop '{e.key}' {_at(e.loc)} branch={list(e.branch)}"
    if isinstance(e, StopRegistered):
        return f"stop-registered '{e.key}' {_at(e.loc)}"
    if isinstance(e, Bound):
        return f"bound {e.name} client=[{_client(e.client) if e.client else '-'}] sources={list(e.sources)}"
    if isinstance(e, NameUse):
        return f"use {e.name} {_at(e.loc)}"
    if isinstance(e, Return):
        return f"return {_at(e.loc)} value={e.has_value}"
    if isinstance(e, Yield):
        return f"yield {_at(e.loc)}"
    assert isinstance(e, WriteCall)
    return f"write {_at(e.loc)}"


def _events(fn: FunctionFacts) -> list[str]:
    return [_event(e) for e in fn.events]


def _flow(flow: Flow) -> dict[str, object]:
    return {
        "nestings": [f"{_act(n.inner)} in {_act(n.outer)}" for n in flow.nestings],
        "starts": [
            f"{_at(s.loc)} key={s.key} stopped_later={s.stopped_later} registered={s.registered_stop}"
            for s in flow.starts
        ],
        "double_stops": [_at(loc) for loc in flow.double_stops],
        "returns": [
            f"{_at(r.loc)} ends={[_act(a) for a in r.ends]} running={[_act(a) for a in r.running]} "
            f"stopped_at={_at(r.stopped_at)} value={r.has_value}"
            for r in flow.returns
        ],
        "late_uses": [f"{_client(u.client)} used {_at(u.use)} under {_act(u.activation)}" for u in flow.late_uses],
        "yield_under": _act(flow.yield_under),
        "writes_under_mock": flow.writes_under_mock,
        "uses_client_var": flow.uses_client_var,
    }


EMPTY = {
    "nestings": [],
    "starts": [],
    "double_stops": [],
    "returns": [],
    "late_uses": [],
    "yield_under": "-",
    "writes_under_mock": False,
    "uses_client_var": False,
}


def test_a_client_made_before_a_with_block_and_used_in_it() -> None:
    fn = _function(
        """
        import boto3
        from moto import mock_aws

        def test_bucket():
            s3 = boto3.client("s3", region_name="us-east-1")
            with mock_aws():
                s3.create_bucket(Bucket="b")
            s3.list_buckets()
        """,
        "test_bucket",
    )
    client = "client s3 6:10-6:53 target=s3 unmocked"
    with_block = "with mock_aws 7:5-7:20"
    assert _events(fn) == [
        f"bound s3 client=[{client}] sources=[]",
        f"on {with_block}",
        "write 8:9-8:37",
        "use s3 8:9-8:11",
        f"end {with_block}",
        "use s3 9:5-9:7",
    ]
    assert _flow(flow_of(fn)) == {
        **EMPTY,
        "late_uses": [f"{client} used 8:9-8:11 under {with_block}"],
        "writes_under_mock": True,
        "uses_client_var": True,
    }


def test_a_fixture_that_registers_its_stop_and_returns_holds_its_mock() -> None:
    fn = _function(
        """
        import boto3
        import moto
        import pytest

        @pytest.fixture
        def sqs(request):
            mock = moto.mock_aws()
            mock.start()
            request.addfinalizer(mock.stop)
            return boto3.client("sqs", region_name="us-east-1")
        """,
        "sqs",
    )
    start = "start mock_aws 9:5-9:17 key=mock"
    assert _events(fn) == [
        f"on {start}",
        "stop-registered 'mock' 10:5-10:36",
        "return 11:5-11:56 value=True",
    ]
    assert _flow(flow_of(fn)) == {
        **EMPTY,
        "starts": ["9:5-9:17 key=mock stopped_later=False registered=True"],
        "returns": [f"11:5-11:56 ends=[] running=['{start}'] stopped_at=- value=True"],
    }
    assert _act(held_mock(fn)) == start


def test_an_exit_stack_callback_and_a_lambda_register_the_stop_too() -> None:
    fn = _function(
        """
        import contextlib
        from moto import mock_aws

        def helper(request):
            a = mock_aws()
            b = mock_aws()
            stack = contextlib.ExitStack()
            a.start()
            b.start()
            stack.callback(a.stop)
            request.addfinalizer(lambda: (b.stop(), a.stop()))
        """,
        "helper",
    )
    assert _events(fn) == [
        "on start mock_aws 9:5-9:14 key=a",
        "on start mock_aws 10:5-10:14 key=b",
        "stop-registered 'a' 11:5-11:27",
        "stop-registered 'a' 12:5-12:55",
        "stop-registered 'b' 12:5-12:55",
    ]
    assert _flow(flow_of(fn)) == {
        **EMPTY,
        "nestings": ["start mock_aws 10:5-10:14 key=b in start mock_aws 9:5-9:14 key=a"],
        "starts": [
            "9:5-9:14 key=a stopped_later=False registered=True",
            "10:5-10:14 key=b stopped_later=False registered=True",
        ],
    }
    assert fn.stop_keys == ["a", "a", "b"]


def test_stops_in_alternative_branches_are_one_stop_and_a_third_is_a_double_stop() -> None:
    fn = _function(
        """
        from moto import mock_aws

        def test_stops(flag):
            m = mock_aws()
            m.start()
            if flag:
                m.stop()
            else:
                m.stop()
            m.stop()
        """,
        "test_stops",
    )
    assert _events(fn) == [
        "on start mock_aws 6:5-6:14 key=m",
        "stop 'm' 8:9-8:17 branch=[((7, 4), 'if-body')]",
        "stop 'm' 10:9-10:17 branch=[((7, 4), 'if-else')]",
        "stop 'm' 11:5-11:13 branch=[]",
    ]
    assert _flow(flow_of(fn)) == {
        **EMPTY,
        "starts": ["6:5-6:14 key=m stopped_later=True registered=False"],
        "double_stops": ["11:5-11:13"],
    }


def test_a_with_block_inside_a_decorated_test_and_nested_blocks() -> None:
    source = """
        from moto import mock_aws, mock_s3, mock_sqs

        @mock_aws
        def test_decorated():
            with mock_s3():
                pass

        def test_nested():
            with mock_s3():
                with mock_sqs(), mock_s3(config={}):
                    pass
        """
    decorated = _function(source, "test_decorated")
    assert _events(decorated) == ["on with mock_s3 6:5-6:19", "end with mock_s3 6:5-6:19"]
    assert _flow(flow_of(decorated)) == {**EMPTY, "nestings": ["with mock_s3 6:5-6:19 in -"]}
    nested = _function(source, "test_nested")
    outer, sqs, s3 = "with mock_s3 10:5-10:19", "with mock_sqs 11:9-11:24", "with mock_s3 11:9-11:44 config"
    assert _events(nested) == [
        f"on {outer}",
        f"on {sqs}",
        f"on {s3}",
        f"end {s3}",
        f"end {sqs}",
        f"end {outer}",
    ]
    # moto<5 mocks nest per service: mock_sqs overlaps no active mock, the second mock_s3 does.
    assert _flow(flow_of(nested)) == {**EMPTY, "nestings": [f"{sqs} in -", f"{s3} in {outer}"]}


def test_an_object_derived_from_an_unmocked_resource_is_a_late_use() -> None:
    fn = _function(
        """
        from boto3 import resource
        from moto import mock_aws as mocked

        def helper():
            s3 = resource("s3", region_name="us-east-1")
            bucket = s3.Bucket("b")
            other = 1
            with mocked():
                bucket.create()
                s3 = None
        """,
        "helper",
    )
    client = "resource s3 6:10-6:49 target=s3 unmocked"
    assert _events(fn) == [
        f"bound s3 client=[{client}] sources=[]",
        "use s3 7:14-7:16",
        "bound bucket client=[-] sources=['s3']",
        "on with mock_aws 9:5-9:18",
        "write 10:9-10:24",
        "use bucket 10:9-10:15",
        "bound s3 client=[-] sources=[]",
        "end with mock_aws 9:5-9:18",
    ]
    assert _flow(flow_of(fn)) == {
        **EMPTY,
        "late_uses": [f"{client} used 10:9-10:15 under with mock_aws 9:5-9:18"],
        "writes_under_mock": True,
        "uses_client_var": True,
    }


def test_a_fixture_that_stops_an_unnamed_mock_and_returns() -> None:
    fn = _function(
        """
        import boto3
        import pytest
        from moto import mock_aws

        @pytest.fixture
        def sns():
            mock_aws().start()
            client = boto3.client("sns", region_name="us-east-1")
            mock_aws().stop()
            return client
        """,
        "sns",
    )
    client = "client sns 9:14-9:58 target=client mocked"
    assert _events(fn) == [
        "on start mock_aws 8:5-8:23",
        f"bound client client=[{client}] sources=[]",
        "stop '' 10:5-10:22 branch=[]",
        "use client 11:12-11:18",
        "return 11:5-11:18 value=True",
    ]
    assert _flow(flow_of(fn)) == {
        **EMPTY,
        "starts": ["8:5-8:23 key=None stopped_later=True registered=False"],
        "returns": ["11:5-11:18 ends=[] running=[] stopped_at=10:5-10:22 value=True"],
        "uses_client_var": True,
    }
    assert held_mock(fn) is None
    assert fn.anonymous_stops == [Location(10, 5, 10, 22)]


def test_a_yield_fixture_holds_the_with_block_it_yields_in() -> None:
    fn = _function(
        """
        import boto3
        import pytest
        from moto import mock_aws

        @pytest.fixture
        def s3():
            with mock_aws():
                yield boto3.client("s3", region_name="us-east-1")
            boto3.client("s3").put_object(Bucket="b", Key="k")
        """,
        "s3",
    )
    block = "with mock_aws 8:5-8:20"
    assert _events(fn) == [f"on {block}", "yield 9:9-9:58", f"end {block}", "write 10:5-10:55"]
    assert _flow(flow_of(fn)) == {**EMPTY, "yield_under": block}
    assert _act(held_mock(fn)) == block


def test_replay_of_hand_made_events() -> None:
    """A with block's end closes the innermost activation, as the walker's own stack does."""
    here = Location(1, 1, 1, 2)
    block = MockActivation("with", here, "mock_aws")
    start = MockActivation("start", Location(2, 1, 2, 2), "mock_aws", key="m")
    events: list[FlowEvent] = [
        MockOn(block),
        MockOn(start),
        BlockEnd(block),
        WriteCall(here),
        Return(Location(3, 1, 3, 2), has_value=False),
    ]
    assert _flow(replay(events, decorated=False)) == {
        **EMPTY,
        "nestings": [f"{_act(start)} in {_act(block)}"],
        "starts": ["2:1-2:2 key=m stopped_later=False registered=False"],
        "returns": [f"3:1-3:2 ends=['{_act(block)}'] running=[] stopped_at=- value=False"],
        "writes_under_mock": True,
    }
    assert _flow(replay([WriteCall(here), Yield(here), WriteCall(here)], decorated=True)) == {
        **EMPTY,
        "writes_under_mock": True,
    }
    assert _flow(replay([Yield(here), WriteCall(here)], decorated=True)) == EMPTY


def test_the_interpretation_is_not_cached_with_the_facts() -> None:
    from scopecheck.facts import serial

    text = "from moto import mock_aws\n\ndef test_x():\n    mock_aws().start()\n"
    facts = extract("test_x.py", text, is_test_module=True, is_conftest=False)
    fn = facts.functions[0]
    assert flow_of(fn) is flow_of(fn)
    entry = serial.loads(serial.dumps(facts))
    assert entry is not None
    loaded = entry[0].functions[0]
    assert "_flow" not in loaded.__dict__
    assert _events(loaded) == _events(fn) == ["on start mock_aws 4:5-4:23"]
