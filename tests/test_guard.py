"""The guard plugin (-p scopecheck.guard), run for real on small suites in a fresh pytest process.

Each run is a subprocess (import order, moto's class-wide counter and botocore's patched classes
are per process), with the loopback-only socket guard, in one of the two CI environments:
`noenv` (no AWS variables, empty HOME) or `fakeenv` (testing credentials, us-east-1).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["pytester"]

GUARD = ("-p", "scopecheck.guard", "-p", "no:cacheprovider", "--allow-hosts=127.0.0.1,::1", "-p", "no:randomly")
AWS_VARS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_EC2_METADATA_DISABLED",
)


@pytest.fixture
def noenv(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    for name in AWS_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(pytester.path))
    monkeypatch.setenv("COLUMNS", "250")
    return pytester


@pytest.fixture
def fakeenv(noenv: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return noenv


def run(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, list[dict[str, Any]]]:
    report = pytester.path / "guard.json"
    if report.exists():
        report.unlink()
    result = pytester.runpytest_subprocess(*GUARD, f"--scopecheck-guard-report={report}", *args)
    data = json.loads(report.read_text()) if report.exists() else {"events": []}
    return result, data["events"]


def kinds(events: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(e["kind"], e["code"], e["nodeid"], e["path"], e["line"]) for e in events]


ESCAPE = """
import boto3
from moto import mock_aws

s3 = boto3.client("s3", region_name="us-east-1")


def test_escapes_and_is_caught():
    with mock_aws():
        pass
    try:
        s3.list_buckets()
    except Exception:
        pass


def test_served():
    with mock_aws():
        assert boto3.client("s3", region_name="us-east-1").list_buckets()["Buckets"] == []
"""


def test_strict_fails_the_test_whose_request_would_leave_and_names_the_client(fakeenv: pytest.Pytester) -> None:
    fakeenv.makepyfile(test_escape=ESCAPE)
    result, events = run(fakeenv)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*scopecheck guard (strict): a request would have left the machine*",
            "*SCP101 request to s3.amazonaws.com not served by moto (no mock active); client built at "
            "test_escape.py:4 at import, credentials from the environment*",
            "*scopecheck guard (strict): 1 cause(s)*",
            "SCP101 request-escaped: *test_escape.py:4 at import*1 test: test_escape.py::test_escapes_and_is_caught*",
        ]
    )
    assert kinds(events) == [
        ("request-escaped", "SCP101", "test_escape.py::test_escapes_and_is_caught", "test_escape.py", 4)
    ]
    assert set(events[0]) == {"kind", "code", "nodeid", "path", "line", "message"}


def test_warn_mode_reports_without_changing_any_outcome(fakeenv: pytest.Pytester) -> None:
    fakeenv.makepyfile(test_escape=ESCAPE)
    result, events = run(fakeenv, "--scopecheck-guard=warn")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*scopecheck guard (warn): 1 cause(s)*", "SCP101 request-escaped: *"])
    # The request went on and pytest-socket refused it (botocore retried): still one event.
    assert kinds(events) == [
        ("request-escaped", "SCP101", "test_escape.py::test_escapes_and_is_caught", "test_escape.py", 4)
    ]


def test_ini_mode_and_off(fakeenv: pytest.Pytester) -> None:
    fakeenv.makepyfile(test_escape=ESCAPE)
    fakeenv.makeini("[pytest]\nscopecheck_guard = warn\n")
    result, events = run(fakeenv)
    result.assert_outcomes(passed=2)
    assert len(events) == 1
    result, events = run(fakeenv, "--scopecheck-guard=off")
    result.assert_outcomes(passed=2)
    assert events == [] and "scopecheck guard" not in result.stdout.str()


def test_swallowed_signing_error_is_reported_with_the_rule(noenv: pytest.Pytester, monkeypatch: Any) -> None:
    # No instance-metadata probe here, so only the signing failure itself is seen.
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    noenv.makepyfile(
        test_sign="""
        import boto3
        from botocore.exceptions import NoCredentialsError
        from moto import mock_aws


        def test_swallowed():
            client = boto3.client("s3", region_name="us-east-1")
            with mock_aws():
                try:
                    client.list_buckets()
                except NoCredentialsError:
                    pass
        """
    )
    result, events = run(noenv)
    result.assert_outcomes(passed=1)
    assert kinds(events) == [("signing-failure", "SCP102", "test_sign.py::test_swallowed", "test_sign.py", 7)]
    assert events[0]["message"] == "NoCredentialsError on a client built at test_sign.py:7 in call, no credentials"


def test_metadata_probe_is_blocked_and_fails_in_strict(noenv: pytest.Pytester) -> None:
    noenv.makepyfile(
        test_probe="""
        import boto3
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def sqs():
            return boto3.client("sqs", region_name="us-east-1")


        @mock_aws
        def test_uses_unmocked_fixture(sqs):
            try:
                sqs.list_queues()
            except Exception:
                pass
        """
    )
    result, events = run(noenv)
    result.assert_outcomes(errors=1)  # the fixture's setup is the phase that probed
    assert kinds(events) == [
        ("metadata-probe", "SCP103", "test_probe.py::test_uses_unmocked_fixture", "test_probe.py", 8)
    ]


def test_regionless_client_at_import_names_the_line_and_the_import_chain(
    fakeenv: pytest.Pytester, monkeypatch: Any
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    fakeenv.makepyfile(
        conftest="import moto\n",
        app="import boto3\n\nQUEUE = boto3.client('sqs')\n",
        test_app="import app\n\n\ndef test_never_runs():\n    pass\n",
    )
    result, events = run(fakeenv)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(
        [
            "SCP402 client-failed: NoRegionError building a sqs client at app.py:3"
            " (imported from test_app.py:1) *collection*"
        ]
    )
    assert kinds(events) == [("client-failed", "SCP402", None, "app.py", 3)]
    assert events[0]["chain"] == ["test_app.py:1", "app.py:3"]


def test_env_leaks_name_the_test_and_the_write(fakeenv: pytest.Pytester) -> None:
    fakeenv.makepyfile(
        conftest="""
        import os
        import moto

        os.environ["AWS_REGION"] = "eu-west-1"
        """,
        test_env="""
        import os


        def test_leaks():
            os.environ["AWS_DEFAULT_REGION"] = "eu-central-1"
            del os.environ["AWS_SESSION_TOKEN"]


        def test_restores(monkeypatch):
            monkeypatch.setenv("AWS_PROFILE", "x")
        """,
    )
    result, events = run(fakeenv)
    result.assert_outcomes(passed=2)
    assert kinds(events) == [
        ("env-leak", "SCP303", None, "conftest.py", 4),
        ("env-leak", "SCP303", "test_env.py::test_leaks", "test_env.py", 5),
    ]
    # One cause per writing function, at its first write.
    assert events[1]["message"] == "AWS_DEFAULT_REGION, AWS_SESSION_TOKEN changed at test_env.py:5 and not restored"


def test_leaked_and_overstopped_mocks(fakeenv: pytest.Pytester) -> None:
    fakeenv.makepyfile(
        test_mocks="""
        import boto3
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def leaky():
            mock_aws().start()
            return boto3.client("s3")


        @pytest.fixture(scope="module")
        def module_mock():
            with mock_aws():
                yield


        @pytest.fixture
        def balanced():
            m = mock_aws()
            m.start()
            yield
            m.stop()


        def test_a(leaky, module_mock, balanced):
            pass


        def test_b(module_mock):
            pass
        """
    )
    result, events = run(fakeenv, "--scopecheck-guard=warn")
    result.assert_outcomes(passed=2)
    assert kinds(events) == [("mock-leak", "SCP203", "test_mocks.py::test_a", "test_mocks.py", 8)]
    assert events[0]["message"] == "MockAWS started at test_mocks.py:8 (fixture leaky) was never stopped"


def test_a_second_stop_is_reported_where_it_happens(fakeenv: pytest.Pytester) -> None:
    fakeenv.makepyfile(
        test_twice="""
        from moto import mock_aws


        def test_twice():
            m = mock_aws()
            m.start()
            m.stop()
            m.stop()
        """
    )
    result, events = run(fakeenv, "--scopecheck-guard=warn")
    result.assert_outcomes(failed=1)  # moto: RuntimeError("Called stop() before start().")
    assert kinds(events) == [("mock-overstop", "SCP203", "test_twice.py::test_twice", "test_twice.py", 8)]
    assert events[0]["message"] == "MockAWS.stop() at test_twice.py:8 without a start"


def test_nothing_without_moto_and_nothing_without_the_plugin(fakeenv: pytest.Pytester) -> None:
    fakeenv.makepyfile(
        test_plain="""
        import os
        import boto3


        def test_plain():
            boto3.client("s3")
            os.environ["AWS_REGION"] = "x"
        """
    )
    result, events = run(fakeenv)
    result.assert_outcomes(passed=1)
    assert events == [] and "scopecheck guard" not in result.stdout.str()
    result = fakeenv.runpytest_subprocess("-p", "no:cacheprovider", "--scopecheck-guard=warn")
    result.stderr.fnmatch_lines(["*unrecognized arguments: --scopecheck-guard=warn*"])


def test_an_internal_error_is_one_line_and_changes_nothing(fakeenv: pytest.Pytester) -> None:
    fakeenv.makepyfile(
        conftest="""
        from scopecheck.guard import collector


        def broken(self, record):
            raise ValueError("boom")


        collector.Guard.client_created = broken
        """,
        test_ok="""
        import boto3
        from moto import mock_aws


        @mock_aws
        def test_ok():
            boto3.client("s3").list_buckets()
        """,
    )
    result, events = run(fakeenv)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["guard-error: * (botowatch: ValueError: boom)"])
    assert "Traceback" not in result.stdout.str()


def test_xdist_workers_send_their_events_to_one_report(fakeenv: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    fakeenv.makepyfile(
        test_one=ESCAPE,
        test_two="""
        import os
        import moto


        def test_leaks():
            os.environ["AWS_REGION"] = "eu-west-1"
        """,
    )
    result, events = run(fakeenv, "-n", "2")
    result.assert_outcomes(passed=2, failed=1)
    assert sorted(kinds(events)) == [
        ("env-leak", "SCP303", "test_two.py::test_leaks", "test_two.py", 6),
        ("request-escaped", "SCP101", "test_one.py::test_escapes_and_is_caught", "test_one.py", 4),
    ]
    result.stdout.fnmatch_lines(["*scopecheck guard (strict): 2 cause(s)*"])


# Each way a suite brings aiobotocore in, as three lines (the client is then built on line 10).
# `from aiobotocore.session import ...` first: botocore.session is imported from inside the
# half-built aiobotocore.session, so the AioSession hook must wait for the end of that import.
AIO_IMPORTS = {
    "from-aiobotocore-first": (
        "aiobotocore",
        "from aiobotocore.session import get_session\nfrom moto import mock_aws\n",
    ),
    "import-aiobotocore-first": (
        "aiobotocore",
        "import aiobotocore.session\nfrom moto import mock_aws\nget_session = aiobotocore.session.get_session",
    ),
    "botocore-first": (
        "aiobotocore",
        "import boto3\nfrom moto import mock_aws\nfrom aiobotocore.session import get_session",
    ),
    "moto-first": ("aiobotocore", "from moto import mock_aws\nfrom aiobotocore.session import get_session\n"),
    # aioboto3 is no dev dependency (it pins an older botocore): run where it is installed.
    "aioboto3": ("aioboto3", "import aioboto3\nfrom moto import mock_aws\nget_session = aioboto3.Session"),
}
AIO_TEST = """import asyncio
{imports}


@mock_aws
def test_async():
    async def go():
        async with get_session().{create}("s3", region_name="us-east-1") as s3:
            try:
                await s3.list_buckets()
            except Exception:
                pass
    asyncio.run(go())
"""


@pytest.mark.parametrize("form", list(AIO_IMPORTS))
def test_aiobotocore_clients_are_recorded(fakeenv: pytest.Pytester, form: str) -> None:
    package, imports = AIO_IMPORTS[form]
    pytest.importorskip(package)
    create = "client" if package == "aioboto3" else "create_client"
    fakeenv.makepyfile(test_aio=AIO_TEST.format(imports=imports, create=create))
    result, events = run(fakeenv, "--scopecheck-guard=warn")
    result.assert_outcomes(passed=1)
    # moto answers in process (no request escapes); aiobotocore then fails on the answer.
    assert kinds(events) == [("async-client-in-mock", "SCP105", "test_aio.py::test_async", "test_aio.py", 10)]


def test_report_path_is_relative_to_the_invocation_dir(fakeenv: pytest.Pytester) -> None:
    fakeenv.makepyfile(test_escape=ESCAPE)
    fakeenv.runpytest_subprocess(*GUARD, "--scopecheck-guard-report=out/g.json")
    data = json.loads(Path(fakeenv.path, "out", "g.json").read_text())
    assert data["version"] == 1 and [e["kind"] for e in data["events"]] == ["request-escaped"]
    assert data["clients"][0]["path"] == "test_escape.py"


def test_the_timeline_and_the_guard_share_one_recorder(fakeenv: pytest.Pytester) -> None:
    fakeenv.makeconftest(
        """
        def pytest_sessionfinish(session):
            recorders = [p for p in session.config.pluginmanager.get_plugins()
                         if type(p).__name__ == "TimelineRecorder"]
            print("RECORDERS", len(recorders), len(recorders[0].observers))
        """
    )
    fakeenv.makepyfile(test_escape=ESCAPE)
    result, events = run(fakeenv, "-s", "-p", "scopecheck.timeline", "--scope-timeline=ascii")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*RECORDERS 1 1*", "*moto active*", "*scopecheck guard (strict): 1 cause(s)*"])
    assert [e["kind"] for e in events] == ["request-escaped"]
