"""SCP103: a fixture builds a client with no mock active, for tests that run under a mock."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.findings import Location, Severity
from scopecheck.rules.base import Context, Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    suite = ctx.suite
    reported: set[tuple[str, Location]] = set()
    for run in suite.tests():
        if not run.runs_under_mock:
            continue
        credentials_ready = suite.chain_sets_credentials_at_import(run.file)
        for index, fdef in enumerate(run.setup_order):
            fn = fdef.fn
            if fn.sets_credentials:
                credentials_ready = True
            if fdef.file.path not in ctx.targets or fn.mock_decorators or run.active_at_setup.get(id(fdef)):
                continue
            if fn.activations:
                continue  # it mocks in another branch: the unmocked one is deliberate (real-AWS mode)
            for client in fn.clients:
                if client.mocked_locally or client.explicit_credentials or credentials_ready:
                    continue
                key = (fdef.file.path, client.loc)
                if key in reported:
                    continue
                reported.add(key)
                later = _later_mock(run, index)
                yield Hit(
                    fdef.file,
                    client.loc,
                    f"fixture '{fdef.name}' creates a boto3 {client.kind} while no mock is active "
                    f"({later}), but test '{run.fn.name}' uses it under a mock: the client keeps "
                    "the credentials of creation time (NoCredentialsError where CI has none); create "
                    "it inside `with mock_aws():` in the fixture or make the fixture request the mock "
                    "fixture",
                )


def _later_mock(run, index: int) -> str:  # type: ignore[no-untyped-def]
    for fdef in run.setup_order[index + 1 :]:
        if fdef.fn.holds_mock is not None:
            return f"the mock starts later, in {fdef.describe()}"
    if run.active_at_call:
        return f"the mock starts only when the test runs, by {run.active_at_call[0].owner}"
    return "the mock starts only inside the test body"


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
        "is always built first."
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
    ),
)
