"""SCP203: a mock started and never stopped, or stopped twice."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.facts.model import FileFacts, FunctionFacts
from scopecheck.findings import Severity
from scopecheck.rules.base import Context, Example, Hit, Rule

LEAK = (
    "moto stays active for every later test, other modules and unmocked tests included: their "
    "data leaks between tests and AWS_ACCESS_KEY_ID stays moto's fake key"
)


def _stopped_elsewhere(facts: FileFacts, key: str, fn: FunctionFacts | None) -> bool:
    if key in facts.module_stop_keys:
        return True
    return any(other is not fn and key in other.stop_keys for other in facts.functions)


def _where(fn: FunctionFacts) -> str:
    if fn.fixture is not None:
        how = "after its `yield`" if fn.is_generator else "in a finalizer (or use `with` and `yield`)"
        return f"fixture '{fn.fixture.name}' starts a mock and never stops it; call `.stop()` {how}"
    return f"{fn.name}() starts a mock and nothing stops it; call `.stop()` in the matching teardown"


def check(ctx: Context) -> Iterator[Hit]:
    for facts in ctx.target_files():
        for start in facts.module_starts:
            if start.key is None or not _stopped_elsewhere(facts, start.key, None):
                yield Hit(
                    facts,
                    start.loc,
                    f"a mock is started at import time and never stopped: {LEAK}; use a fixture "
                    "with `with mock_aws(): yield` instead",
                )
        for fn in facts.functions:
            for start in fn.starts:
                if start.stopped_later or start.registered_stop:
                    continue
                if start.key is not None:
                    if _stopped_elsewhere(facts, start.key, fn):
                        continue
                    if fn.fixture is None and not fn.is_test and start.key in fn.returned_names:
                        continue  # handed to the caller, who owns the stop
                if start.key is None:
                    message = (
                        "`.start()` on a mock that nothing keeps a reference to, so it can never be "
                        f"stopped: {LEAK}; keep the mock in a variable and stop it, or use `with`"
                    )
                else:
                    message = f"{_where(fn)}: {LEAK}"
                yield Hit(facts, start.loc, message)
            for loc in fn.double_stops:
                yield Hit(
                    facts,
                    loc,
                    "this mock is stopped a second time: moto's counter goes below zero, this "
                    "stop raises `RuntimeError: Called stop() before start().` and every later "
                    "@mock_aws test runs unmocked; stop it once (e.g. in `finally`)",
                )


RULE = Rule(
    code="SCP203",
    name="unbalanced-mock-start",
    severity=Severity.ERROR,
    short="`.start()` without a matching `.stop()`, or a second `.stop()`",
    summary=(
        "A mock object is started without a matching stop (at module level with no stop in a "
        "teardown, in a fixture with no stop after `yield` or in a finalizer, in a setup method "
        "with no stop in the matching teardown), or it is stopped twice."
    ),
    why=(
        "moto keeps one process-wide counter of active mocks. A start that is never stopped "
        "leaves moto patching for the rest of the run: later tests, in other modules too, see "
        "each other's buckets and queues, and `AWS_ACCESS_KEY_ID` stays `FOOBARKEY`, overwriting "
        "CI's value. A second stop drives the counter below zero: it raises `RuntimeError: Called "
        "stop() before start().`, and every later `@mock_aws` test is not mocked at all, so its "
        "requests go out. `stop()` after `yield` is fine: pytest resumes the fixture even when the "
        "test failed."
    ),
    instead="Prefer `with mock_aws(): yield`. With `start()`, stop after `yield`, in `finally`, "
    "in the matching teardown, or via `request.addfinalizer(mock.stop)`.",
    versions="All moto versions (the shared counter and its RuntimeError are moto 5).",
    check=check,
    bad=(
        Example.of(
            """
            from moto import mock_aws

            mock_aws().start()  # expect: SCP203


            def test_anything():
                pass
            """
        ),
        Example.of(
            """
            import boto3
            import moto
            import pytest


            @pytest.fixture
            def s3():
                mock = moto.mock_aws()
                mock.start()  # expect: SCP203
                return boto3.client("s3", region_name="us-east-1")


            class TestWithSetup:
                def setup_method(self):
                    self.mock = moto.mock_aws()
                    self.mock.start()  # expect: SCP203

                def test_it(self):
                    pass
            """
        ),
        Example.of(
            """
            from moto import mock_aws


            def test_stops_twice():
                mock = mock_aws()
                mock.start()
                mock.stop()
                mock.stop()  # expect: SCP203
            """
        ),
    ),
    good=(
        Example.of(
            """
            import boto3
            import moto
            import pytest


            @pytest.fixture
            def s3():
                mock = moto.mock_aws()
                mock.start()
                yield boto3.client("s3", region_name="us-east-1")
                mock.stop()


            @pytest.fixture
            def sqs(request):
                mock = moto.mock_aws()
                mock.start()
                request.addfinalizer(mock.stop)
                return boto3.client("sqs", region_name="us-east-1")
            """
        ),
        Example.of(
            """
            from moto import mock_aws


            class TestWithSetup:
                def setup_method(self):
                    self.mock = mock_aws()
                    self.mock.start()

                def teardown_method(self):
                    self.mock.stop()

                def test_it(self):
                    pass


            MOCK = mock_aws()


            def setup_module():
                MOCK.start()


            def teardown_module():
                MOCK.stop()
            """
        ),
        Example.of(
            """
            from unittest import mock

            from moto import mock_aws


            def test_stop_in_each_branch(flag=True):
                m = mock_aws()
                m.start()
                try:
                    pass
                finally:
                    if flag:
                        m.stop()
                    else:
                        m.stop()


            def test_unittest_patcher_is_not_moto():
                patcher = mock.patch("os.getcwd")
                patcher.start()
            """
        ),
    ),
)
