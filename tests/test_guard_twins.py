"""The guard's runtime twins of SCP202, SCP206, SCP403 (loopback) and SCP404, on small suites run
in a fresh pytest process (tests/test_guard.py has the harness and the other kinds).

None of these kinds is a strict failure: the guard reports them and leaves every outcome as the
suite made it, in strict mode too.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from scopecheck.guard.events import KINDS
from tests.test_guard import fakeenv, kinds, noenv, run

__all__ = ["fakeenv", "noenv"]  # the harness's fixtures, used here by name
pytest_plugins = ["pytester"]

GENERATOR_FIXTURE = """
import boto3
import pytest
from moto import mock_aws


@pytest.fixture
@mock_aws
def bucket():
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="b")
    yield


@pytest.fixture
@mock_aws
def plain():
    return 1


@pytest.fixture
@mock_aws
def names():
    return (name for name in "ab")  # the body ran: a generator expression is no un-run body


def test_side_effect_fixture_is_a_no_op(bucket):
    pass


def test_plain_fixture(plain, names):
    assert plain == 1 and list(names) == ["a", "b"]
"""


@pytest.mark.parametrize("mode", ["strict", "warn"])
def test_mock_decorated_generator_fixture_is_reported_and_outcomes_stay(fakeenv: pytest.Pytester, mode: str) -> None:
    fakeenv.makepyfile(test_fix=GENERATOR_FIXTURE)
    result, events = run(fakeenv, f"--scopecheck-guard={mode}")
    result.assert_outcomes(passed=2)  # the silent no-op passes: the guard says why, nothing more
    assert kinds(events) == [
        ("mock-ended-before-body", "SCP202", "test_fix.py::test_side_effect_fixture_is_a_no_op", "test_fix.py", 7)
    ]
    assert events[0]["message"] == (
        "mock decorator on fixture bucket (test_fix.py:7) returned a generator: the mock ended before its body ran"
    )
    result.stdout.fnmatch_lines([f"*scopecheck guard ({mode}): 1 cause(s)*", "SCP202 mock-ended-before-body: *"])


def test_mock_decorated_coroutines_are_reported_once_per_test(noenv: pytest.Pytester) -> None:
    noenv.makepyfile(
        test_async="""
        import unittest
        from moto import mock_aws


        class TestMethods(unittest.IsolatedAsyncioTestCase):
            @mock_aws
            async def test_never_runs(self):
                raise AssertionError("ran")


        @mock_aws
        class TestClass(unittest.IsolatedAsyncioTestCase):
            async def test_never_runs_either(self):
                raise AssertionError("ran")

            def test_sync_method(self):
                pass


        @mock_aws
        def test_sync_function():
            pass
        """
    )
    result, events = run(noenv)
    result.assert_outcomes(passed=4)  # unittest never awaits the coroutines: both "pass"
    assert kinds(events) == [
        ("mock-ended-before-body", "SCP206", "test_async.py::TestMethods::test_never_runs", "test_async.py", 6),
        (
            "mock-ended-before-body",
            "SCP206",
            "test_async.py::TestClass::test_never_runs_either",
            "test_async.py",
            13,
        ),
    ]
    assert events[0]["message"] == (
        "mock decorator on test_never_runs (test_async.py:6) returned a coroutine: the mock ended before its body ran"
    )


def test_a_loopback_endpoint_no_moto_server_of_the_run_serves_is_a_bypass(noenv: pytest.Pytester) -> None:
    noenv.makepyfile(
        test_loop="""
        import boto3
        import pytest
        from moto import mock_aws
        from moto.server import ThreadedMotoServer


        @pytest.fixture
        def server():
            s = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
            s.start()
            host, port = s.get_host_and_port()
            yield f"http://{host}:{port}"
            s.stop()


        @mock_aws
        def test_localstack():
            s3 = boto3.client("s3", region_name="us-east-1", endpoint_url="http://localhost:4566")
            with pytest.raises(Exception, match="Could not connect"):
                s3.list_buckets()


        @mock_aws
        def test_own_server(server):
            s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=server)
            assert s3.list_buckets()["Buckets"] == []


        def test_localstack_without_mock():
            s3 = boto3.client("s3", region_name="us-east-1", endpoint_url="http://localhost:4566",
                              aws_access_key_id="x", aws_secret_access_key="x")
            with pytest.raises(Exception, match="Could not connect"):
                s3.list_buckets()
        """
    )
    result, events = run(noenv)  # strict: not a strict kind
    result.assert_outcomes(passed=3)
    assert kinds(events) == [("mock-bypassed", "SCP403", "test_loop.py::test_localstack", "test_loop.py", 18)]
    assert events[0]["message"] == (
        "request to localhost:4566 bypassed the active mock (no moto server of this run there);"
        " client built at test_loop.py:18 in call"
    )


def _free_port() -> int:
    with socket.socket() as probe:  # loopback only, in the outer test process: picks the ports
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_fixed_port_server_that_cannot_bind_names_the_server_holding_it(noenv: pytest.Pytester) -> None:
    stopped, leaked = _free_port(), _free_port()
    noenv.makepyfile(
        test_ports=f"""
        import signal

        import pytest
        from moto.server import ThreadedMotoServer


        class Hung(Exception):
            pass


        @pytest.fixture(autouse=True)
        def bound():  # start() would wait forever: end it after 2 s
            def alarm(signum, frame):
                raise Hung("start() never returned")
            signal.signal(signal.SIGALRM, alarm)
            signal.setitimer(signal.ITIMER_REAL, 2)
            yield
            signal.setitimer(signal.ITIMER_REAL, 0)


        @pytest.fixture
        def stopping():
            s = ThreadedMotoServer(ip_address="127.0.0.1", port={stopped}, verbose=False)
            s.start()
            yield
            s.stop()


        @pytest.fixture
        def leaking():
            ThreadedMotoServer(ip_address="127.0.0.1", port={leaked}, verbose=False).start()


        def test_a(stopping):
            pass


        def test_b(stopping):
            pass


        def test_c(leaking):
            pass


        def test_d(leaking):
            pass
        """
    )
    result, events = run(noenv, "-p", "no:threadexception")
    result.assert_outcomes(passed=3, errors=1)
    assert kinds(events) == [("server-port-in-use", "SCP404", "test_ports.py::test_d", "test_ports.py", 31)]
    assert events[0]["message"] == (
        f"ThreadedMotoServer.start() at test_ports.py:31 cannot bind port {leaked} (Address already in use);"
        " the server started at test_ports.py:31 (test_ports.py::test_c) still holds it"
    )


def test_a_plain_nested_mock_that_resets_the_config_is_reported(fakeenv: pytest.Pytester) -> None:
    fakeenv.makepyfile(
        test_config="""
        import boto3
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def only_s3():
            with mock_aws(config={"core": {"service_whitelist": ["s3"]}}):
                yield


        @pytest.fixture
        def plain():
            with mock_aws():
                yield


        @mock_aws
        def test_reset(only_s3):
            boto3.client("sqs").list_queues()  # served: the whitelist is gone


        @mock_aws
        def test_redundant(plain):
            pass


        @mock_aws(config={"iam": {"load_aws_managed_policies": True}})
        def test_configured_inner(plain):
            pass
        """
    )
    result, events = run(fakeenv)
    result.assert_outcomes(passed=3)
    assert kinds(events) == [("mock-config-reset", "SCP301", "test_config.py::test_reset", "test_config.py", 18)]
    assert events[0]["message"] == (
        "nested mock started at test_config.py:18 reset the active config= (core) to defaults"
    )


def test_every_event_kind_is_documented_in_the_kind_table() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "guard.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", text, flags=re.MULTILINE))
    assert documented == set(KINDS)


def test_an_error_in_the_mock_watch_is_one_line_and_the_mock_still_works(fakeenv: pytest.Pytester) -> None:
    fakeenv.makepyfile(
        conftest="""
        from scopecheck.guard import wrapwatch


        def broken(skip):
            raise ValueError("boom")


        wrapwatch.unrun_body = broken
        """,
        test_ok="""
        import boto3
        from moto import mock_aws


        @mock_aws
        def test_ok():
            assert boto3.client("s3").list_buckets()["Buckets"] == []
        """,
    )
    result, events = run(fakeenv)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["guard-error: * (mock watch: ValueError: boom)"])
    assert events == [] and "Traceback" not in result.stdout.str()
