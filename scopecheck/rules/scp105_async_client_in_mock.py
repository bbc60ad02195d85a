"""SCP105: an aiobotocore / aioboto3 client used under moto's in-process mock."""

from __future__ import annotations

import os
from collections.abc import Iterator

from scopecheck.facts.model import ClientCall, FileFacts, FunctionFacts
from scopecheck.findings import Severity
from scopecheck.model.suite import Suite
from scopecheck.rules.base import Context, Example, Hit, Rule


def _own_mock(fn: FunctionFacts, client: ClientCall) -> str:
    """The function's own mock that is active at *client*: its decorator, or a with/start before it."""
    if fn.mock_decorators:
        return f"@{fn.mock_decorators[0].factory} on {fn.name}"
    before = [a for a in fn.activations if a.loc.line <= client.loc.line]
    if not before:
        return "the class's mock decorator"
    last = before[-1]
    how = "`with`" if last.kind == "with" else "`.start()`"
    return f"{how} on line {last.loc.line}"


def _where(suite: Suite, here: str, path: str, line: int) -> str:
    if path == here:
        return f"line {line}"
    return f"{os.path.relpath(path, suite.root).replace(os.sep, '/')}:{line}"


def _suite_mock(suite: Suite, facts: FileFacts, fn: FunctionFacts) -> str | None:
    """The mock a test or fixture certainly runs under, as a short cause; None when none is (or
    the model cannot tell: an unknown run is not a finding)."""
    for run in suite.tests():
        if run.unknown:
            continue
        # A decorator on an async test (or its class) has stopped before the body runs (SCP206).
        at_call = [
            a
            for a in run.active_at_call
            if not (run.fn.is_async and a.fixture is None and a.activation.kind == "decorator")
        ]
        if fn.is_test and run.fn is fn and at_call:
            active = at_call[0]
        elif fn.fixture is not None and any(f.fn is fn for f in (*run.setup_order, *run.call_order)):
            # Set up under a mock, or handing its client to a test that runs under one.
            fdef = next(f for f in (*run.setup_order, *run.call_order) if f.fn is fn)
            at_setup = run.active_at_setup.get(id(fdef))
            if at_setup:
                active = at_setup[0]
            elif at_call:
                active = at_call[0]
            else:
                continue
        else:
            continue
        owner = active.fixture.file.path if active.fixture else run.file.path
        if active.fixture is not None:
            what = f"fixture '{active.fixture.name}'"
        elif active.activation.kind == "decorator":
            what = f"@{active.activation.factory}"
        else:
            what = active.owner.split(" (")[0]
        return f"{what}, {_where(suite, facts.path, owner, active.activation.loc.line)}"
    return None


def check(ctx: Context) -> Iterator[Hit]:
    suite = ctx.suite
    if any(f.patches_aiobotocore for f in suite.files.values()):
        return  # the known workaround makes moto's responses awaitable: may run in process
    for facts in ctx.target_files():
        for fn in facts.functions:
            for client in fn.async_clients:
                if client.has_endpoint:
                    continue  # a moto server's (or another) endpoint: moto does not intercept it
                if client.mocked_locally:
                    cause: str | None = _own_mock(fn, client)
                elif fn.is_test or fn.fixture is not None:
                    cause = _suite_mock(suite, facts, fn)
                else:
                    cause = None  # a helper: who calls it, and under which mock, is unknown
                if cause is None:
                    continue
                what = f"'{client.service}' " if client.service else ""
                yield Hit(facts, client.loc, f"async {what}client under moto's in-process mock ({cause})")


RULE = Rule(
    code="SCP105",
    name="async-client-in-mock",
    severity=Severity.ERROR,
    short="an aiobotocore / aioboto3 client under moto's in-process mock",
    summary=(
        "An aiobotocore or aioboto3 client (`aioboto3.Session().client(...)` / `.resource(...)`, "
        "`aiobotocore.session.get_session().create_client(...)`, `AioSession().create_client(...)`, "
        "through aliases, `from` imports and session variables) is made inside a mock of the same "
        "function (its decorator, a `with`, a `.start()`), in a test that runs under a mock "
        "(decorator, class decorator, a fixture holding one), or in a fixture that is set up under "
        "a mock or whose test runs under one. Not reported: a client with an `endpoint_url` that "
        "is not an AWS domain (a `ThreadedMotoServer`'s `get_host_and_port()`, a variable, a "
        "loopback URL: moto's in-process mock does not intercept those requests), `**kwargs` that "
        "may carry one, clients in plain helpers (who calls them is unknown), and suites that patch "
        "or fake the async SDK anywhere (the workaround of aiobotocore issue #755 that wraps "
        '`aiobotocore.endpoint.convert_to_response_dict`, `mock.patch("aioboto3.Session", ...)`, '
        "`monkeypatch.setattr` on `AioSession`)."
    ),
    why=(
        "moto's in-process mock answers botocore's `before-send` event with a synchronous response "
        "whose body is `bytes`; aiobotocore awaits it: every call raises `TypeError: object bytes "
        "can't be used in 'await' expression` (aiobotocore/endpoint.py), with or without AWS "
        "variables (measured with moto 5.2.5 and aiobotocore 2.25.1, through aioboto3 15.5.0 too, "
        "and 3.10.0). The same client pointed at a `ThreadedMotoServer` works, even while an "
        "in-process mock is active (measured): moto's in-process mock leaves requests to a "
        "non-AWS host alone."
    ),
    instead=(
        'Run moto as a server for async clients: `ThreadedMotoServer(ip_address="127.0.0.1", '
        'port=0)` in a fixture, `endpoint_url=f"http://{host}:{port}"` from its '
        "`get_host_and_port()`, fake credentials, and `stop()` after `yield`; or use a sync boto3 "
        "client under `mock_aws`."
    ),
    versions="Measured on moto 5.2.5 with aiobotocore 2.25.1 (through aioboto3 15.5.0 too) and 3.10.0.",
    check=check,
    see_also=("SCP206",),
    bad=(
        Example.of(
            """
            import aioboto3
            import pytest
            from moto import mock_aws


            @pytest.mark.asyncio
            async def test_bucket_is_created():
                with mock_aws():
                    async with aioboto3.Session().client("s3", region_name="us-east-1") as s3:  # expect: SCP105
                        await s3.create_bucket(Bucket="bucket-a")
            """
        ),
        Example.suite(
            {
                "conftest.py": """
                    import pytest
                    from moto import mock_aws


                    @pytest.fixture
                    def aws():
                        with mock_aws():
                            yield
                    """,
                "test_queue.py": """
                    import pytest
                    from aiobotocore.session import get_session as new_session


                    @pytest.mark.asyncio
                    async def test_queue_is_created(aws):
                        session = new_session()
                        async with session.create_client("sqs", region_name="us-east-1") as sqs:  # expect: SCP105
                            await sqs.create_queue(QueueName="jobs")
                    """,
            }
        ),
        Example.of(
            """
            import aiobotocore.session as aio
            import pytest
            import pytest_asyncio
            from moto import mock_aws


            @pytest.fixture(autouse=True)
            def moto_mock():
                with mock_aws():
                    yield


            @pytest_asyncio.fixture
            async def table():
                async with aio.AioSession().create_client("dynamodb", region_name="us-east-1") as ddb:  # expect: SCP105
                    yield ddb


            @pytest.mark.asyncio
            async def test_tables_are_listed(table):
                assert (await table.list_tables())["TableNames"] == []
            """
        ),
    ),
    good=(
        Example.of(
            """
            import aioboto3
            import pytest
            import pytest_asyncio
            from moto import mock_aws
            from moto.server import ThreadedMotoServer


            @pytest.fixture
            def endpoint():
                server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
                server.start()
                host, port = server.get_host_and_port()
                yield f"http://{host}:{port}"
                server.stop()


            @pytest.mark.asyncio
            async def test_server_mode_works_even_under_the_mock(endpoint):
                with mock_aws():
                    async with aioboto3.Session().client("s3", region_name="us-east-1", endpoint_url=endpoint) as s3:
                        await s3.create_bucket(Bucket="bucket-a")
            """
        ),
        Example.of(
            """
            import aioboto3
            import boto3
            import pytest
            from moto import mock_aws


            @mock_aws
            def test_sync_client_under_the_mock():
                boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="bucket-a")


            @pytest.mark.asyncio
            async def test_async_client_without_a_mock_uses_localstack():
                session = aioboto3.Session()
                async with session.client("s3", endpoint_url="http://localhost:4566") as s3:
                    await s3.list_buckets()
            """
        ),
        Example.of(
            """
            import pytest
            from moto import mock_aws


            class Session:
                def client(self, name, **kwargs):
                    return name


            @mock_aws
            def test_a_look_alike_session_is_not_aioboto3():
                assert Session().client("s3") == "s3"


            @pytest.mark.asyncio
            async def test_an_unknown_session_fixture_is_not_reported(session):
                with mock_aws():
                    async with session.create_client("s3", region_name="us-east-1") as s3:
                        await s3.list_buckets()
            """
        ),
    ),
)
