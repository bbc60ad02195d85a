"""SCP203: a mock started and never stopped, or stopped twice."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.facts.interpret import StartOutcome, flow_of
from scopecheck.facts.model import FileFacts, FunctionFacts
from scopecheck.findings import Severity
from scopecheck.rules.base import Context, Example, Hit, Rule

STAYS = "moto stays active for later tests"


def _counter_balanced(facts: FileFacts) -> bool:
    """Whether the file stops a mock made on the spot (``mock_s3().stop()``): moto's nesting counter
    is class-wide on every version, so that stop balances a start on any other instance."""
    return bool(facts.module_anonymous_stops) or any(fn.anonymous_stops for fn in facts.functions)


def _stopped_elsewhere(facts: FileFacts, key: str, fn: FunctionFacts | None) -> bool:
    if key in facts.module_stop_keys:
        return True
    # Another function's stop of a name it bound itself stops its own mock, not this one.
    return any(other is not fn and key in other.stop_keys and key not in other.mock_locals for other in facts.functions)


def _unstopped(facts: FileFacts, fn: FunctionFacts, start: StartOutcome) -> bool:
    if start.stopped_later or start.registered_stop:
        return False
    key = start.key
    if key is None:
        return True
    if key in fn.shared_mock_locals:
        return False  # returned, stored or passed on: whoever gets it may stop it (unknown)
    if key in fn.mock_locals:
        return True  # a local only this function can reach, and it never stops it
    if _stopped_elsewhere(facts, key, fn):
        return False
    return not (fn.fixture is None and not fn.is_test and key in fn.returned_names)  # caller's to stop


def _message(fn: FunctionFacts, start: StartOutcome) -> str:
    if start.key is None:
        return f"mock started with no reference, and nothing in this file stops one: {STAYS}"
    if fn.fixture is not None:
        return f"fixture '{fn.fixture.name}' starts mock '{start.key}' and never stops it: {STAYS}"
    return f"{fn.name}() starts mock '{start.key}' and nothing stops it: {STAYS}"


def check(ctx: Context) -> Iterator[Hit]:
    for facts in ctx.target_files():
        balanced = _counter_balanced(facts)
        for start in facts.module_starts:
            if balanced or (start.key is not None and _stopped_elsewhere(facts, start.key, None)):
                continue
            yield Hit(facts, start.loc, f"mock started at import and never stopped: {STAYS}")
        for fn in facts.functions:
            for started in flow_of(fn).starts:
                if not balanced and _unstopped(facts, fn, started):
                    yield Hit(facts, started.loc, _message(fn, started))
            for loc in flow_of(fn).double_stops:
                yield Hit(facts, loc, "this mock is stopped a second time: the stop raises RuntimeError")


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
        "moto keeps one nesting counter for all its mocks, class-wide on every version "
        "(`MockAWS._nested_count` on moto 5, `self.__class__.nested_count` before). A start that "
        "is never stopped leaves moto patching for the rest of the run: later tests, in other "
        "modules too, run under it, unmocked ones included, and see its buckets and queues (on "
        "moto 5 even tests that start a mock of their own do, since only the outermost start "
        "resets; before moto 5 every start reset the backends), and `AWS_ACCESS_KEY_ID` stays "
        "moto's fake key, overwriting CI's value. A second stop drives the counter below zero: it raises "
        "`RuntimeError: Called stop() before start().`, and so does the stop of every later mock; "
        "on moto 5 those later mocks do not serve requests at all, so they go out. `stop()` after "
        "`yield` is fine: pytest resumes the fixture even when the test failed. Because the "
        "counter is class-wide, `mock_s3().start()` in `setUp` and `mock_s3().stop()` in "
        "`tearDown` (two fresh instances) do balance it, and the rule is silent there; only the "
        "first instance's environment patch stays behind: after that stop `AWS_ACCESS_KEY_ID` "
        "is still moto's fake key (`FOOBARKEY`; `foobar_key` before moto 4). Keep one instance "
        "and stop that one to restore the environment too."
    ),
    instead="Prefer `with mock_aws(): yield`. With `start()`, stop after `yield`, in `finally`, "
    "in the matching teardown, or via `request.addfinalizer(mock.stop)` and `return`.",
    versions=(
        "All moto versions: the class-wide counter, the leak, the `RuntimeError` of a second stop "
        "and the environment left behind by a stop on another instance were measured on moto "
        "1.3.16, 2.3.2, 3.1.18, 4.2.14 and 5.2.5."
    ),
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
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def s3():
                mock = mock_aws()
                mock.start()  # expect: SCP203
                yield boto3.client("s3", region_name="us-east-1")


            @pytest.fixture
            def sqs():
                mock = mock_aws()
                mock.start()
                yield boto3.client("sqs", region_name="us-east-1")
                mock.stop()  # stops its own `mock`, not the one of fixture s3
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
            """
        ),
        Example.of(
            """
            from moto import mock_aws

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
        Example.of(
            """
            import unittest

            from moto import mock_aws


            class TestFreshInstances(unittest.TestCase):
                # Two instances, one class-wide counter: the stop balances the start.
                def setUp(self):
                    mock_aws().start()

                def tearDown(self):
                    mock_aws().stop()

                def test_it(self):
                    pass
            """
        ),
        Example.of(
            """
            import unittest

            from moto import mock_aws


            class TestMockKeptInAList(unittest.TestCase):
                def setUp(self):
                    mock = mock_aws()
                    mock.start()
                    self.mocks = [mock]

                def tearDown(self):
                    for mock in self.mocks:
                        mock.stop()

                def test_it(self):
                    pass
            """
        ),
    ),
)
