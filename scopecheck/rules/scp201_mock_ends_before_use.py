"""SCP201: a fixture returns from inside its mock, so the mock is over before the test runs."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.facts.interpret import flow_of
from scopecheck.findings import Severity
from scopecheck.rules.base import Context, Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    for facts in ctx.target_files():
        for fn in facts.functions:
            if fn.fixture is None or fn.is_generator or fn.mock_decorators:
                continue
            name = fn.fixture.name
            for ret in flow_of(fn).returns:
                # A started mock runs on past the return, and keeps moto active for the test: with
                # a registered stop until the test is over; with no stop at all SCP203 reports it.
                if ret.ends and not ret.running:
                    block = ret.ends[-1]
                    yield Hit(
                        facts,
                        ret.loc,
                        f"fixture '{name}' returns inside `with {block.factory}()` (line "
                        f"{block.loc.line}): the mock ends before the test runs",
                        fix="replace `return` with `yield`",
                    )
                elif ret.stopped_at is not None and ret.has_value and not ret.running:
                    yield Hit(
                        facts,
                        ret.loc,
                        f"fixture '{name}' returns after stopping its mock (line {ret.stopped_at.line}): "
                        "the test runs unmocked",
                    )


RULE = Rule(
    code="SCP201",
    name="mock-ends-before-use",
    severity=Severity.ERROR,
    short="a fixture returns from inside its mock",
    summary=(
        "A fixture returns from inside an active `with mock_aws():` block, or returns a value after "
        "stopping its own mock. A mock started with `.start()` does not end at a `return`: with its "
        "stop registered (`request.addfinalizer(mock.stop)`) it stays active for the test, and a "
        "start with no stop at all is SCP203's."
    ),
    why=(
        "Leaving the `with` block stops the mock when the fixture returns, before the test body "
        "runs. moto's stop restores the environment and the data the fixture created is gone (moto "
        "5 removes it at the stop, earlier versions reset it at the next start), but the client "
        "was built inside the mock and keeps moto's fake credentials (`FOOBARKEY`; `foobar_key` before moto 4), so "
        "the test's requests are signed and sent to the real AWS endpoint in every environment. "
        "With `@mock_aws` on the test the requests are served again, but the fixture's data is "
        "gone (`assert [] == ['fixture-bucket']`). The same holds for a fixture that stops its own "
        "mock and then returns."
    ),
    instead=(
        "`yield` the value inside the `with` block: pytest resumes the fixture after the test. "
        "With `.start()`, `yield` and stop after it, or register the stop with "
        "`request.addfinalizer(mock.stop)` and `return`."
    ),
    versions="All moto versions (the escape measured on moto 1.3.16, 2.3.2, 4.2.14 and 5.2.5).",
    check=check,
    fixer="scopecheck.fixes.scp201_return_to_yield:ReturnToYield",
    fix_safety=(
        "Safe when `return x` is the last statement of the `with` block and the fixture has no "
        "other `return` with a value: it becomes `yield x`."
    ),
    bad=(
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def s3():
                with mock_aws():
                    client = boto3.client("s3", region_name="us-east-1")
                    client.create_bucket(Bucket="fixture-bucket")
                    return client  # expect: SCP201


            def test_bucket(s3):
                assert s3.list_buckets()["Buckets"]
            """,
            fixed="""
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def s3():
                with mock_aws():
                    client = boto3.client("s3", region_name="us-east-1")
                    client.create_bucket(Bucket="fixture-bucket")
                    yield client  # expect: SCP201


            def test_bucket(s3):
                assert s3.list_buckets()["Buckets"]
            """,
        ),
        Example.of(
            """
            import boto3
            import moto
            import pytest


            @pytest.fixture(scope="module")
            def sqs():
                mock = moto.mock_aws()
                mock.start()
                client = boto3.client("sqs", region_name="us-east-1")
                mock.stop()
                return client  # expect: SCP201
            """,
            fixed={},
        ),
        Example.of(
            """
            from boto3 import client as make_client
            from moto import mock_aws as aws
            from pytest import fixture


            @fixture(name="ddb")
            def dynamodb_fixture():
                with aws():
                    if True:
                        return make_client("dynamodb", region_name="us-east-1")  # expect: SCP201
            """,
            fixed={},
        ),
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def sns():
                mock_aws().start()
                client = boto3.client("sns", region_name="us-east-1")
                mock_aws().stop()
                return client  # expect: SCP201
            """,
            fixed={},
        ),
        # Code after the `with` block would run at teardown once it yields: an unsafe fix, so
        # `--fix` alone leaves it ...
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def s3():
                with mock_aws():
                    return boto3.client("s3", region_name="us-east-1")  # expect: SCP201
                raise AssertionError("unreachable while the fixture returns")


            def test_bucket(s3):
                assert s3.list_buckets()["Buckets"] == []
            """,
            fixed={},
        ),
        # ... and `--fix --unsafe-fixes` makes the change.
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def s3():
                with mock_aws():
                    return boto3.client("s3", region_name="us-east-1")  # expect: SCP201
                raise AssertionError("unreachable while the fixture returns")


            def test_bucket(s3):
                assert s3.list_buckets()["Buckets"] == []
            """,
            fixed="""
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def s3():
                with mock_aws():
                    yield boto3.client("s3", region_name="us-east-1")  # expect: SCP201
                raise AssertionError("unreachable while the fixture returns")


            def test_bucket(s3):
                assert s3.list_buckets()["Buckets"] == []
            """,
            unsafe=True,
        ),
    ),
    good=(
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def s3():
                with mock_aws():
                    yield boto3.client("s3", region_name="us-east-1")
            """
        ),
        Example.of(
            """
            import boto3
            import pytest


            @pytest.fixture
            def s3():
                return boto3.client("s3", region_name="us-east-1")


            def not_a_fixture():
                from moto import mock_aws

                with mock_aws():
                    return 42
            """
        ),
        Example.of(
            """
            import boto3
            import moto
            import pytest


            @pytest.fixture
            def sqs():
                mock = moto.mock_aws()
                mock.start()
                yield boto3.client("sqs", region_name="us-east-1")
                mock.stop()
            """
        ),
        Example.of(
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


            @pytest.fixture
            def sns(request):
                mock = moto.mock_aws()
                mock.start()
                request.addfinalizer(lambda: mock.stop())
                return boto3.client("sns", region_name="us-east-1")
            """
        ),
    ),
)
