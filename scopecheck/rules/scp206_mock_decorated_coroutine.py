"""SCP206: a mock decorator on an ``async def`` test or fixture, or on a class of async tests."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.facts.model import ClassFacts, FunctionFacts
from scopecheck.findings import Severity
from scopecheck.rules.base import Context, Example, Hit, Rule

_ENDS = "the mock ends before the coroutine runs"


def _async_tests(functions: list[FunctionFacts], cls: ClassFacts) -> list[FunctionFacts]:
    """The class's own ``async def test*`` methods: moto's class decorator wraps every public
    method, so each of these becomes a plain function that returns an un-awaited coroutine."""
    return [
        fn
        for fn in functions
        if fn.class_name == cls.name
        and fn.is_async
        and fn.name.startswith("test")
        and fn.fixture is None
        and not (fn.is_classmethod or fn.is_staticmethod)
    ]


def check(ctx: Context) -> Iterator[Hit]:
    for facts in ctx.target_files():
        for fn in facts.functions:
            if not (fn.is_async and fn.mock_decorators):
                continue
            # A decorated fixture, async or not, is SCP202's (its fix moves the mock inside).
            if fn.is_test and fn.fixture is None:
                dec = fn.mock_decorators[0]
                yield Hit(facts, dec.loc, f"@{dec.factory} on async test {fn.name}: {_ENDS}")
        if not facts.is_test_module:
            continue
        for cls in facts.classes:
            if not cls.mock_decorators:
                continue
            tests = _async_tests(facts.functions, cls)
            if tests:
                dec = cls.mock_decorators[0]
                more = f" (+{len(tests) - 1})" if len(tests) > 1 else ""
                message = f"@{dec.factory} on class {cls.name}: async {tests[0].name}{more} runs after the mock ends"
                yield Hit(facts, dec.loc, message)


RULE = Rule(
    code="SCP206",
    name="mock-decorated-coroutine",
    severity=Severity.ERROR,
    short="a mock decorator on an `async def` test, or on a class of async tests",
    summary=(
        "`@mock_aws` (with or without `config=`, or a moto<5 decorator such as `@mock_s3`) decorates "
        "an `async def` test, or a test class (pytest or `unittest.IsolatedAsyncioTestCase`) with "
        "`async def test*` methods of its own. A decorated async fixture is reported by SCP202, "
        "whose fix moves the mock inside the fixture."
    ),
    why=(
        "moto's decorator wraps synchronously (moto 5.2.5 has no coroutine branch): the wrapper "
        "starts the mock, calls the function, which only creates a coroutine, and stops the mock. "
        "The wrapper is no coroutine function, so pytest-asyncio does not take the test as async. "
        'Measured with moto 5.2.5: on pytest 9.2 + pytest-asyncio 1.5 the test fails with "async '
        'def functions are not natively supported" (strict and auto mode, marked or not); on pytest '
        "8.3.5 + pytest-asyncio 1.3.0 the same tests are **skipped** with a warning and a run of "
        "only such tests exits 0: CI is green and the body never ran. On a "
        "`unittest.IsolatedAsyncioTestCase`, a decorated async method and a decorated class's "
        "async methods **pass on both pytest versions without running** (unittest gets a plain "
        "method that returns a coroutine, and only warns). A decorated async fixture hands the "
        "test a coroutine object; its body never runs."
    ),
    instead=(
        "Start the mock inside the coroutine: `with mock_aws():` around the body of the `async "
        "def`, or a sync fixture that yields inside `with mock_aws():`. scopecheck offers no "
        "`--fix`: these bodies have never run under the mock (on older pytest they never ran at "
        "all), so making them run is a change of behaviour to review, not a rewrite; and on a "
        "class the decorator also resets moto around `setUp` and every method, which one `with` "
        "per method does not reproduce."
    ),
    versions="Measured on moto 5.2.5 (pytest 9.2.0 + pytest-asyncio 1.5.0, pytest 8.3.5 + pytest-asyncio 1.3.0).",
    check=check,
    see_also=("SCP202", "SCP205", "SCP105"),
    bad=(
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.mark.asyncio
            @mock_aws  # expect: SCP206
            async def test_bucket_is_created():
                boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="bucket-a")
            """
        ),
        Example.of(
            """
            import unittest

            import boto3
            import moto


            class TestQueues(unittest.IsolatedAsyncioTestCase):
                @moto.mock_aws(config={"core": {"reset_boto3_session": True}})  # expect: SCP206
                async def test_queue_is_created(self):
                    boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="jobs")


            @moto.mock_aws  # expect: SCP206
            class TestTables(unittest.IsolatedAsyncioTestCase):
                async def test_table_list_is_empty(self):
                    ddb = boto3.client("dynamodb", region_name="us-east-1")
                    self.assertEqual(ddb.list_tables()["TableNames"], [])

                async def test_second(self):
                    pass
            """
        ),
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_s3 as s3_mock  # expect: SCP401


            @s3_mock  # expect: SCP206
            class TestBuckets:
                @pytest.mark.asyncio
                async def test_bucket_is_created(self):
                    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="bucket-a")

                def test_sync_method_is_mocked(self):
                    boto3.client("s3", region_name="us-east-1").list_buckets()
            """,
            target_moto=4,
        ),
    ),
    good=(
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.mark.asyncio
            async def test_bucket_is_created():
                with mock_aws():
                    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="bucket-a")


            @mock_aws
            def test_sync_test_keeps_its_decorator():
                boto3.client("s3", region_name="us-east-1").list_buckets()
            """
        ),
        Example.of(
            """
            import unittest

            import boto3
            from moto import mock_aws


            @mock_aws
            class TestSyncMethods(unittest.TestCase):
                def test_bucket_list_is_empty(self):
                    self.assertEqual(boto3.client("s3", region_name="us-east-1").list_buckets()["Buckets"], [])

                async def _helper(self):
                    return None


            class TestAsync(unittest.IsolatedAsyncioTestCase):
                async def test_queue_is_created(self):
                    with mock_aws():
                        boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="jobs")
            """
        ),
        Example.of(
            """
            import functools

            import pytest


            def traced(func):
                @functools.wraps(func)
                async def wrapper(*args, **kwargs):
                    return await func(*args, **kwargs)

                return wrapper


            @pytest.mark.asyncio
            @traced
            async def test_a_look_alike_async_decorator():
                assert True
            """
        ),
    ),
)
