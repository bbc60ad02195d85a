"""SCP102: a client made before a mock starts, then used under that mock, in one function."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.facts.interpret import flow_of
from scopecheck.findings import Severity
from scopecheck.rules.base import Context, Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    suite = ctx.suite
    for facts in ctx.target_files():
        for fn in facts.functions:
            if not flow_of(fn).late_uses:
                continue
            # A test or fixture already running under a mock built its client mocked.
            if fn.is_test and suite.test_under_mock(fn):
                continue
            if fn.fixture is not None and suite.fixture_under_mock(fn):
                continue
            # With fake credentials in place the early client is served by moto once it starts.
            if suite.credentials_ready_for(facts, fn):
                continue
            for late in flow_of(fn).late_uses:
                client = late.client
                name = client.target or "the client"
                how = "`with`" if late.activation.kind == "with" else "`.start()`"
                yield Hit(
                    facts,
                    client.loc,
                    f"'{name}' is made before the mock starts ({how} on line {late.activation.loc.line}) "
                    f"and used under it on line {late.use.line}",
                )


RULE = Rule(
    code="SCP102",
    name="client-before-mock",
    severity=Severity.WARNING,
    short="a client created before `with mock_aws()` / `.start()` and used under it",
    summary=(
        "Inside one function, a client is created while no mock is active and then used after a "
        "mock is activated later in the same function (`with mock_aws():` or `.start()`)."
    ),
    why=(
        "botocore resolves credentials when the client is created and signs every request before "
        "moto sees it. A client built outside the mock on a runner with no AWS credentials raises "
        "`NoCredentialsError` on its first call even though moto would have answered it; with fake "
        "credentials exported the same test passes. The result depends on the CI environment."
    ),
    instead="Create the client inside the `with mock_aws():` block (or after `.start()`).",
    versions="All moto versions.",
    check=check,
    bad=(
        Example.of(
            """
            import boto3
            from moto import mock_aws


            def test_bucket_is_created():
                s3 = boto3.client("s3", region_name="us-east-1")  # expect: SCP102
                with mock_aws():
                    s3.create_bucket(Bucket="b")
            """
        ),
        Example.of(
            """
            import boto3
            import moto


            def test_queue_with_start():
                sqs = boto3.resource("sqs", region_name="eu-west-1")  # expect: SCP102
                mock = moto.mock_aws()
                mock.start()
                try:
                    sqs.create_queue(QueueName="q")
                finally:
                    mock.stop()
            """
        ),
        Example.of(
            """
            from boto3 import resource
            from moto import mock_aws as mocked


            def helper():
                s3 = resource("s3", region_name="us-east-1")  # expect: SCP102
                bucket = s3.Bucket("b")
                with mocked():
                    bucket.create()
            """
        ),
    ),
    good=(
        Example.of(
            """
            import boto3
            from moto import mock_aws


            def test_bucket_is_created():
                with mock_aws():
                    s3 = boto3.client("s3", region_name="us-east-1")
                    s3.create_bucket(Bucket="b")
            """
        ),
        Example.of(
            """
            import boto3
            from moto import mock_aws


            def test_with_a_plugin_fixture(aws_env_from_a_plugin):
                # A fixture scopecheck cannot see may export fake credentials: no finding.
                s3 = boto3.client("s3", region_name="us-east-1")
                with mock_aws():
                    s3.list_buckets()
            """
        ),
        Example.of(
            """
            import boto3
            from moto import mock_aws


            def test_explicit_credentials():
                s3 = boto3.client(
                    "s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
                )
                with mock_aws():
                    s3.list_buckets()


            def test_client_recreated_inside():
                s3 = boto3.client("s3", region_name="us-east-1")
                with mock_aws():
                    s3 = boto3.client("s3", region_name="us-east-1")
                    s3.list_buckets()
            """
        ),
    ),
)
