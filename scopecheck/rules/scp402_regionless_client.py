"""SCP402: a regional client created with no region while the suite sets no default region."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from scopecheck.facts.model import ClientCall, FileFacts, FunctionFacts
from scopecheck.findings import Severity
from scopecheck.model.regions import GLOBAL_SERVICES, RegionCoverage
from scopecheck.rules.base import Context, Example, Hit, Rule


def _message(client: ClientCall, gap: str, sdk: str = "boto3") -> str:
    what = f"{sdk} {client.kind} for '{client.service}'{' (partial)' if client.deferred else ''} has no region"
    if gap == "at import":
        return f"{what}, built at import: NoRegionError at collection"
    if gap:
        return f"{what}; {gap}"
    return f"{what} and nothing sets AWS_DEFAULT_REGION for it"


def reports_at_import(ctx: Context, facts: FileFacts, client: ClientCall) -> bool:
    """Whether this rule reports *client*, built at import time: SCP101 then leaves it alone (one
    cause, one finding: the client is never built, so nothing else about it matters)."""
    if ctx.ini_sets_region or client.kind == "session" or client.has_region:
        return False
    if not client.service or client.service in GLOBAL_SERVICES or not ctx.suite.uses_moto(facts):
        return False
    if any(first <= client.loc.line <= last for first, last in facts.region_guards):
        return False
    return RegionCoverage(ctx.suite, facts).gap(client, None) is not None


def _served_async_clients(ctx: Context, facts: FileFacts) -> Iterator[tuple[FunctionFacts, ClientCall]]:
    """aiobotocore clients with an ``endpoint_url`` (a moto server's: SCP105 has those under the
    in-process mock) and no region, in a file whose suite starts moto's server. Their context
    raises NoRegionError when entered, inside the test (measured: aiobotocore 2.25 and 3.10)."""
    if not any(c.has_endpoint and not c.has_region for fn in facts.functions for c in fn.async_clients):
        return
    if not any(layer.file.moto_server for layer in ctx.suite.layers_for(facts.path, None)):
        return
    for fn in facts.functions:
        for client in fn.async_clients:
            if client.has_endpoint and not client.has_region and client.service not in GLOBAL_SERVICES:
                if client.service and not any(first <= client.loc.line <= last for first, last in facts.region_guards):
                    yield fn, client


def check(ctx: Context) -> Iterator[Hit]:
    suite = ctx.suite
    if ctx.ini_sets_region:
        return
    for facts in ctx.target_files():
        served = list(_served_async_clients(ctx, facts))
        if served:
            coverage = RegionCoverage(ctx.suite, facts)
            for fn, client in served:
                # Served by moto (its server) wherever it runs: judged as a client under a mock.
                gap = coverage.gap(dataclasses.replace(client, mocked_locally=True), fn)
                if gap is not None:
                    yield Hit(facts, client.loc, _message(client, gap, "aiobotocore"))
        regional = [
            c
            for c in facts.all_clients
            if c.kind != "session"
            and not c.has_region
            and c.service
            and c.service not in GLOBAL_SERVICES
            and not any(first <= c.loc.line <= last for first, last in facts.region_guards)
        ]
        if not regional or not suite.uses_moto(facts):
            continue
        coverage = RegionCoverage(ctx.suite, facts)
        owner = {id(c): fn for fn in facts.functions for c in fn.clients}
        for client in regional:
            if client.deferred:  # called who knows where: only a suite that never sets it is reported
                gap = None if coverage.anywhere() else ""
            else:
                gap = coverage.gap(client, owner.get(id(client)))
            if gap is not None:
                yield Hit(facts, client.loc, _message(client, gap))


RULE = Rule(
    code="SCP402",
    name="regionless-client",
    severity=Severity.WARNING,
    short="a regional client with no region while nothing sets AWS_DEFAULT_REGION",
    summary=(
        "A client for a regional service (anything but the 21 services botocore builds without a "
        "region: s3, iam, sts, route53, cloudfront, organizations, ...) is created without "
        "`region_name` (argument, `Config(region_name=...)`, its Session, or the arguments of "
        "`functools.partial(boto3.client, ...)`) where nothing sets `AWS_DEFAULT_REGION` for it: "
        "not the test configuration (pytest-env `env` settings, tox `setenv`, a GitHub Actions "
        "workflow's `env`), not module-level code of the file or its conftest.py files, not a "
        "fixture the test uses or an autouse one, not a setup hook of its class. Clients that never "
        "run under moto (a real-AWS test takes the region from the developer's profile), calls that "
        "are a `TypeError` (`region=`), and calls inside `try: ... except NoRegionError:` are not "
        "reported. aiobotocore / aioboto3 clients with an `endpoint_url`, in a suite that starts "
        "moto's server (`ThreadedMotoServer`), are checked the same way: they raise `NoRegionError` "
        "when entered (`async with`), not at import (measured, aiobotocore 2.25 and 3.10)."
    ),
    why=(
        "moto supplies fake credentials but never a region. botocore raises `NoRegionError: You "
        "must specify a region.` when the client is built and neither the call nor "
        "`AWS_DEFAULT_REGION` nor `~/.aws/config` gives one (measured with moto 1.3.16, 4.2.14 and "
        "5.2.5): the test passes on a laptop with a configured profile and fails on a clean CI "
        "runner. A client built at import fails during collection, which interrupts the whole "
        "session. `AWS_REGION` is not read by boto3 (botocore 1.37 to 1.44: still NoRegionError), "
        "`passenv = AWS_DEFAULT_REGION` in tox.ini only passes on a variable CI does not have, and a "
        "fixture that sets the region helps only the tests that use it."
    ),
    instead="Pass `region_name=`, or set `AWS_DEFAULT_REGION` for the whole suite: an autouse "
    'conftest fixture using `monkeypatch.setenv`, or pytest-env (`env = ["D:AWS_DEFAULT_REGION=us-east-1"]` '
    "in `[tool.pytest.ini_options]`).",
    versions="All moto versions (1.x to 5.x): moto never sets a region.",
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
        Example.suite(
            {
                "conftest.py": """
                import pytest


                @pytest.fixture
                def aws_region(monkeypatch):
                    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
                """,
                "test_queues.py": """
                import boto3
                from moto import mock_aws


                @mock_aws
                def test_with_region(aws_region):
                    boto3.client("sqs")


                @mock_aws
                def test_without_it():
                    boto3.client("sqs")  # expect: SCP402
                """,
            }
        ),
        Example.suite(
            {
                "tox.ini": """
                [tox]
                envlist = py3
                # AWS_DEFAULT_REGION comes from the developer's shell
                [testenv]
                passenv = AWS_DEFAULT_REGION
                commands = pytest
                """,
                "test_partial.py": """
                import functools

                import boto3
                from moto import mock_aws

                make_sqs = functools.partial(boto3.client, "sqs")  # expect: SCP402


                @mock_aws
                def test_partial_client():
                    queue = functools.partial(boto3.client, "sqs")  # expect: SCP402
                    assert queue()
                """,
            }
        ),
        Example.of(
            """
            import boto3
            from moto import mock_aws


            @mock_aws
            def test_aws_region_is_not_read(monkeypatch):
                monkeypatch.setenv("AWS_REGION", "us-east-1")
                boto3.client("dynamodb")  # expect: SCP402
            """
        ),
        # pytest reads pytest.ini first: the region in pyproject.toml's ini options never applies.
        Example.suite(
            {
                "pytest.ini": """
                [pytest]
                addopts = -q
                """,
                "pyproject.toml": """
                [tool.pytest.ini_options]
                env = ["AWS_DEFAULT_REGION=us-east-1"]
                """,
                "test_queue.py": """
                import boto3
                from moto import mock_aws


                @mock_aws
                def test_queue():
                    boto3.client("sqs")  # expect: SCP402
                """,
            }
        ),
        # per-file-ignores silence only the files their glob matches.
        Example.suite(
            {
                "pyproject.toml": """
                [tool.scopecheck.per-file-ignores]
                "tests/legacy/*" = ["SCP402"]
                """,
                "tests/legacy/test_old.py": """
                import boto3
                from moto import mock_aws


                @mock_aws
                def test_old_queue():
                    boto3.client("sqs")
                """,
                "tests/test_new.py": """
                import boto3
                from moto import mock_aws


                @mock_aws
                def test_new_queue():
                    boto3.client("sqs")  # expect: SCP402
                """,
            }
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
            import pytest
            from botocore.exceptions import NoRegionError
            from moto import mock_aws


            @mock_aws
            def test_copes_with_no_region():
                try:
                    table = boto3.resource("dynamodb").Table("t")
                except NoRegionError:
                    table = boto3.resource("dynamodb", region_name="us-east-1").Table("t")
                assert table


            @mock_aws
            def test_typo_is_a_type_error():
                with pytest.raises(TypeError):
                    boto3.client("kms", region="us-west-2")
            """
        ),
        Example.of(
            """
            import boto3


            def test_real_endpoint_uses_the_profile():
                boto3.client("sqs").list_queues()
            """
        ),
        Example.suite(
            {
                "pyproject.toml": """
                [tool.pytest.ini_options]
                env = ["D:AWS_DEFAULT_REGION=us-east-1", "R:OTHER=%x"]
                """,
                "test_queue.py": """
                import functools

                import boto3
                from moto import mock_aws


                @mock_aws
                def test_region_from_pytest_env():
                    boto3.client("sqs")
                    functools.partial(boto3.client, "sqs")()
                """,
            }
        ),
        Example.suite(
            {
                "conftest.py": """
                import os
                from unittest import mock

                import pytest

                os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")


                @pytest.fixture
                def region():
                    with mock.patch.dict(os.environ, {"AWS_DEFAULT_REGION": "eu-west-1"}):
                        yield
                """,
                "test_queue.py": """
                import boto3
                import pytest
                from moto import mock_aws


                @pytest.fixture
                def sqs(region):
                    with mock_aws():
                        yield boto3.client("sqs")


                def test_queue(sqs):
                    sqs.create_queue(QueueName="q")


                @pytest.mark.usefixtures("region")
                @mock_aws
                def test_marked():
                    boto3.client("sqs")
                """,
            }
        ),
        Example.suite(
            {
                "setup.cfg": """
                [metadata]
                name = demo

                [tool:pytest]
                env =
                    AWS_DEFAULT_REGION=us-east-1
                """,
                "test_queue.py": """
                import unittest

                import boto3
                from moto import mock_aws


                @mock_aws
                class TestQueue(unittest.TestCase):
                    def test_queue(self):
                        boto3.client("sqs")
                """,
            }
        ),
        # pytest.ini is the file pytest reads: its pytest-env region covers the suite.
        Example.suite(
            {
                "pytest.ini": """
                [pytest]
                env =
                    D:AWS_DEFAULT_REGION=us-east-1
                """,
                "pyproject.toml": """
                [tool.pytest.ini_options]
                addopts = "-q"
                """,
                "test_queue.py": """
                import boto3
                from moto import mock_aws


                @mock_aws
                def test_queue():
                    boto3.client("sqs")
                """,
            }
        ),
        # The same ignore given as the example's settings rather than in its pyproject.toml.
        Example.suite(
            {
                "tests/legacy/test_old.py": """
                import boto3
                from moto import mock_aws


                @mock_aws
                def test_old_queue():
                    boto3.client("sqs")
                """,
            },
            settings={"per-file-ignores": {"tests/legacy/*": ["SCP402"]}},
        ),
    ),
)
