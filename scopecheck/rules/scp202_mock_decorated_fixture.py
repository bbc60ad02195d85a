"""SCP202: a pytest fixture decorated with a mock."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.findings import Severity
from scopecheck.rules.base import Context, Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    for facts in ctx.target_files():
        for fn in facts.functions:
            if fn.fixture is None:
                continue
            for dec in fn.mock_decorators:
                if fn.is_async:  # moto's wrapper is sync: the test gets the un-run coroutine (SCP206)
                    value = "an async generator" if fn.is_generator else "a coroutine"
                    effect = f"the test gets {value}, the body never runs"
                elif fn.is_generator:
                    effect = "pytest gets a generator, the body never runs"
                else:
                    effect = "the mock ends when it returns, before the test runs"
                yield Hit(
                    facts,
                    dec.loc,
                    f"fixture '{fn.fixture.name}' is decorated with @{dec.factory}: {effect}",
                    fix="remove the decorator, wrap the body in `with mock_aws():` and yield",
                )


RULE = Rule(
    code="SCP202",
    name="mock-decorated-fixture",
    severity=Severity.ERROR,
    short="a fixture decorated with a mock",
    summary="A pytest fixture is decorated with a mock (in either decorator order).",
    why=(
        "moto's decorator wraps the function in a plain function that starts the mock, calls it "
        "and stops the mock. For a generator fixture, calling it only creates the generator: the "
        "mock is already stopped, pytest sees a non-generator and injects the generator object "
        "itself (`AttributeError: 'generator' object has no attribute 'list_buckets'`), and a "
        "fixture used for its side effect silently does nothing. For a plain fixture the mock "
        "stops when it returns, exactly as in SCP201. With the decorators swapped, pytest 9 no "
        "longer finds the fixture; pytest 8 runs it unmocked. Note that ruff's PT022 offers to "
        "turn such a `yield` into `return`, which trades one broken fixture for another."
    ),
    instead="Remove the decorator; inside the fixture write `with mock_aws():` and `yield`.",
    versions="All moto versions (the generator case measured on moto 1.3.16, 2.3.2, 4.2.14 and 5.2.5).",
    check=check,
    fixer="scopecheck.fixes.scp202_unwrap_fixture:UnwrapFixtureMock",
    fix_safety="Safe: the decorator is removed and the body is wrapped in `with mock_aws():`.",
    bad=(
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            @mock_aws  # expect: SCP202
            def s3():
                yield boto3.client("s3", region_name="us-east-1")
            """,
            fixed="""
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            # expect: SCP202
            def s3():
                with mock_aws():
                    yield boto3.client("s3", region_name="us-east-1")
            """,
        ),
        Example.of(
            """
            import boto3
            import moto
            import pytest


            @moto.mock_aws  # expect: SCP202
            @pytest.fixture
            def sqs():
                return boto3.client("sqs", region_name="us-east-1")
            """,
            fixed="""
            import boto3
            import moto
            import pytest


            # expect: SCP202
            @pytest.fixture
            def sqs():
                with moto.mock_aws():
                    yield boto3.client("sqs", region_name="us-east-1")
            """,
        ),
        Example.of(
            """
            from moto import mock_aws as aws
            from pytest import fixture


            @fixture(autouse=True)
            @aws()  # expect: SCP202
            def enable_moto():
                yield
            """,
            fixed="""
            from moto import mock_aws as aws
            from pytest import fixture


            @fixture(autouse=True)
            # expect: SCP202
            def enable_moto():
                with aws():
                    yield
            """,
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
            from moto import mock_aws


            @mock_aws
            def test_decorated_test_is_fine():
                boto3.client("s3", region_name="us-east-1").list_buckets()
            """
        ),
        Example.of(
            """
            import functools

            import pytest


            @pytest.fixture
            @functools.lru_cache
            def not_a_mock():
                return 1
            """
        ),
    ),
)
