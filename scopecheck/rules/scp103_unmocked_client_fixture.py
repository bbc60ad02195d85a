"""SCP103: a fixture builds a client with no mock active, for tests that run under a mock."""

from __future__ import annotations

import os
from collections.abc import Iterator

from scopecheck.findings import Severity
from scopecheck.model.suite import FixtureDef, Suite, TestRun
from scopecheck.rules.base import Context, Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    suite = ctx.suite
    # A client reached by several tests is one finding: the engine keeps the first run's (one per place).
    for run in suite.tests():
        if not run.runs_under_mock or run.unknown:
            continue  # unknown: a fixture the model cannot see may start the mock first
        credentials_ready = suite.chain_sets_credentials_at_import(run.file)
        steps = run.steps
        for index, fdef in enumerate(steps):
            fn = fdef.fn
            if fn.sets_credentials:
                credentials_ready = True
            if fdef.hook is not None:
                continue  # an xunit setup_* hook, not a fixture (SCP204 covers class hooks)
            if not ctx.is_target(fdef.file) or fn.mock_decorators or suite.active_mock_at(run, fdef):
                continue
            if fn.activations:
                continue  # it mocks in another branch: the unmocked one is deliberate (real-AWS mode)
            for client in fn.clients:
                if client.mocked_locally or client.explicit_credentials or credentials_ready:
                    continue
                if any(line <= client.loc.line for line in fn.dynamic_fixture_lines):
                    continue  # a fixture fetched before it may have started the mock
                cause = _cause(suite, run, steps, index, fdef.file.path)
                yield Hit(fdef.file, client.loc, f"boto3 {client.kind} made before the mock starts ({cause})")


def _cause(suite: Suite, run: TestRun, steps: list[FixtureDef], index: int, here: str) -> str:
    """Where the mock the test runs under starts: "fixture 'mocked', conftest.py:8" and the like."""
    for fdef in steps[index + 1 :]:
        if fdef.holds_mock is not None:
            what = f"fixture '{fdef.name}'" if fdef.hook is None else f"{fdef.fn.name}()"
            return f"{what}, {_where(suite, here, fdef.file.path, fdef.holds_mock.loc.line)}"
    active = suite.active_mock_at(run)
    if active:
        first = active[0]
        path = first.fixture.file.path if first.fixture else run.file.path
        what = f"@{first.activation.factory} on {run.fn.name}" if first.activation.kind == "decorator" else first.owner
        return f"{what.split(' (')[0]}, {_where(suite, here, path, first.activation.loc.line)}"
    return f"in test {run.fn.name}, {_where(suite, here, run.file.path, run.fn.activations[0].loc.line)}"


def _where(suite: Suite, here: str, path: str, line: int) -> str:
    """'line 8' in the finding's own file, else the path from the project root."""
    if path == here:
        return f"line {line}"
    return f"{os.path.relpath(path, suite.root).replace(os.sep, '/')}:{line}"


RULE = Rule(
    code="SCP103",
    name="unmocked-client-fixture",
    severity=Severity.WARNING,
    short="a fixture builds a client before any mock is active, for tests that run mocked",
    summary=(
        "A fixture creates a client while no mock is active for it (none inside it and none held "
        "by a fixture set up before it) and no credentials fixture ran before it, and a test that "
        "uses the fixture runs under a mock."
    ),
    why=(
        "pytest sets fixtures up by scope first (session, package, module, class, function), then "
        "in argument order, and a test's `@mock_aws` only starts after all its fixtures. A client "
        "fixture that runs before the mock resolves credentials outside it: `NoCredentialsError` "
        "on a runner without credentials, a pass where fake ones are exported. A module-scoped "
        "client fixture over a function-scoped mock fixture is the classic case: the wider scope "
        "is always built first. Autouse fixtures come before requested ones, and within one file "
        "by attribute name; xunit `setup_method`/`setup_class` run as autouse fixtures; "
        "`request.getfixturevalue()` sets a fixture up during the call, under the test's "
        "decorator. Where a test requests a fixture scopecheck cannot see (an installed plugin), "
        "or one with a computed scope, nothing is reported."
    ),
    instead=(
        "Create the client inside `with mock_aws():` in the fixture and `yield` it, or make the "
        "client fixture request the mock fixture (and an `aws_credentials` fixture) so that they "
        "are set up first."
    ),
    versions="All moto versions.",
    check=check,
    bad=(
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def s3():
                return boto3.client("s3", region_name="us-east-1")  # expect: SCP103


            @mock_aws
            def test_no_buckets(s3):
                assert s3.list_buckets()["Buckets"] == []
            """
        ),
        Example.suite(
            {
                "conftest.py": """
                import boto3
                import pytest
                from moto import mock_aws


                @pytest.fixture
                def mocked():
                    with mock_aws():
                        yield


                @pytest.fixture(scope="module")
                def sqs():
                    return boto3.client("sqs", region_name="us-east-1")  # expect: SCP103
                """,
                "test_queues.py": """
                def test_no_queues(mocked, sqs):
                    assert "QueueUrls" not in sqs.list_queues()
                """,
            }
        ),
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def table():
                ddb = boto3.resource("dynamodb", region_name="us-east-1")  # expect: SCP103
                yield ddb.Table("t")


            @pytest.fixture
            def mocked():
                with mock_aws():
                    yield


            def test_table(table, mocked):
                assert table.name == "t"
            """
        ),
        Example.suite(
            {
                "conftest.py": """
                import boto3
                import pytest
                from moto import mock_aws


                @pytest.fixture(autouse=True)
                def zz_mocked():
                    with mock_aws():
                        yield


                @pytest.fixture(autouse=True)
                def aa_bucket():
                    # pytest sets autouse fixtures of one file up by name: this one first.
                    s3 = boto3.client("s3", region_name="us-east-1")  # expect: SCP103
                    yield s3
                """,
                "test_autouse.py": """
                def test_runs_with_both():
                    pass
                """,
            }
        ),
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def sqs():
                return boto3.client("sqs", region_name="us-east-1")  # expect: SCP103


            class TestOuter:
                class TestInner:
                    @mock_aws
                    def test_nested_class_is_collected(self, sqs):
                        assert "QueueUrls" not in sqs.list_queues()
            """
        ),
    ),
    good=(
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def mocked():
                with mock_aws():
                    yield


            @pytest.fixture
            def s3(mocked):
                return boto3.client("s3", region_name="us-east-1")


            def test_no_buckets(s3):
                assert s3.list_buckets()["Buckets"] == []
            """
        ),
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def aws_credentials(monkeypatch):
                monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
                monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")


            @pytest.fixture
            def s3(aws_credentials):
                return boto3.client("s3", region_name="us-east-1")


            @mock_aws
            def test_no_buckets(s3):
                assert s3.list_buckets()["Buckets"] == []
            """
        ),
        Example.of(
            """
            import boto3
            import pytest


            @pytest.fixture
            def real_s3():
                return boto3.client("s3", region_name="us-east-1")


            def test_integration(real_s3):
                assert real_s3.meta.region_name == "us-east-1"
            """
        ),
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def s3():
                return boto3.client("s3", region_name="us-east-1")


            @mock_aws
            def test_fetched_in_the_body(request):
                # getfixturevalue sets s3 up during the call, under the decorator.
                s3 = request.getfixturevalue("s3")
                assert s3.list_buckets()["Buckets"] == []
            """
        ),
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def s3():
                return boto3.client("s3", region_name="us-east-1")


            class TestStartedInSetupMethod:
                def setup_method(self, method):
                    # pytest runs setup_method as an autouse fixture: before s3.
                    self.mock = mock_aws()
                    self.mock.start()

                def teardown_method(self, method):
                    self.mock.stop()

                def test_no_buckets(self, s3):
                    assert s3.list_buckets()["Buckets"] == []
            """
        ),
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def s3():
                return boto3.client("s3", region_name="us-east-1")


            @mock_aws
            def test_with_a_plugin_fixture(aws_env_from_a_plugin, s3):
                # A fixture scopecheck cannot see may set credentials up first: no finding.
                assert s3.list_buckets()["Buckets"] == []
            """
        ),
    ),
)
