"""SCP402: a regional client created with no region while the suite sets no default region."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.findings import Severity
from scopecheck.rules.base import Context, Example, Hit, Rule

# Services whose default endpoint works without a region (global or us-east-1 by default).
GLOBAL_SERVICES = frozenset(
    {
        "s3",
        "iam",
        "sts",
        "route53",
        "route53domains",
        "cloudfront",
        "organizations",
        "waf",
        "shield",
        "globalaccelerator",
        "budgets",
        "ce",
        "importexport",
        "health",
        "account",
        "networkmanager",
        "support",
    }
)


def check(ctx: Context) -> Iterator[Hit]:
    suite = ctx.suite
    if ctx.ini_sets_region:
        return
    for facts in ctx.target_files():
        if not suite.uses_moto(facts) or suite.chain_sets_region(facts):
            continue
        for client in facts.all_clients:
            if client.kind == "session" or client.has_region or not client.service:
                continue
            if client.service in GLOBAL_SERVICES:
                continue
            yield Hit(
                facts,
                client.loc,
                f"boto3 {client.kind} for '{client.service}' has no region and nothing in this "
                "suite sets AWS_DEFAULT_REGION: moto never sets one, so it raises NoRegionError "
                "where CI has no AWS config; pass region_name=... (or set AWS_DEFAULT_REGION in a "
                "conftest fixture with monkeypatch.setenv)",
            )


RULE = Rule(
    code="SCP402",
    name="regionless-client",
    severity=Severity.WARNING,
    short="a regional client with no region while nothing sets AWS_DEFAULT_REGION",
    summary=(
        "A client for a regional service (not s3, iam, sts, route53, cloudfront, organizations, "
        "...) is created without `region_name` (argument, `Config(region_name=...)` or its "
        "Session) while the suite sets no default region."
    ),
    why=(
        "moto supplies fake credentials but never a region. botocore raises `NoRegionError: You "
        "must specify a region.` for a regional service when neither the call nor "
        "`AWS_DEFAULT_REGION` nor `~/.aws/config` gives one: the test passes on a laptop with a "
        "configured profile and fails on a clean CI runner. s3 and sts work without a region."
    ),
    instead="Pass `region_name=`, or set `AWS_DEFAULT_REGION` for the whole suite (a conftest "
    "fixture using `monkeypatch.setenv`, or pytest-env settings).",
    versions="All moto versions.",
    check=check,
    bad=(
        Example.of(
            """
            import boto3
            from moto import mock_aws


            @mock_aws
            def test_queue():
                boto3.client("sqs").create_queue(QueueName="q")  # expect: SCP402
            """
        ),
        Example.of(
            """
            import boto3
            from moto import mock_aws


            @mock_aws
            def test_table():
                session = boto3.Session()
                ddb = session.resource("dynamodb")  # expect: SCP402
                assert ddb
            """
        ),
        Example.of(
            """
            from boto3 import client
            from botocore.config import Config
            from moto import mock_aws


            @mock_aws
            def test_lambda():
                client(service_name="lambda", config=Config(retries={"max_attempts": 1}))  # expect: SCP402
            """
        ),
    ),
    good=(
        Example.of(
            """
            import boto3
            from botocore.config import Config
            from moto import mock_aws


            @mock_aws
            def test_regions_given():
                boto3.client("sqs", region_name="eu-west-1")
                boto3.client("sqs", config=Config(region_name="eu-west-1"))
                boto3.Session(region_name="eu-west-1").client("dynamodb")
                boto3.client("s3")
                boto3.client("sts")
            """
        ),
        Example.suite(
            {
                "conftest.py": """
                import pytest


                @pytest.fixture(autouse=True)
                def aws_env(monkeypatch):
                    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
                """,
                "test_queue.py": """
                import boto3
                from moto import mock_aws


                @mock_aws
                def test_queue():
                    boto3.client("sqs").create_queue(QueueName="q")
                """,
            }
        ),
        Example.of(
            """
            import boto3


            def test_real_endpoint_uses_the_profile():
                boto3.client("sqs").list_queues()
            """
        ),
    ),
)
