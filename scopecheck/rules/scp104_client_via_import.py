"""SCP104: a test module imports first-party code that creates a client at import time."""

from __future__ import annotations

import os
from collections.abc import Iterator

from scopecheck.findings import Severity
from scopecheck.rules.base import Context, Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    suite = ctx.suite
    resolver = suite.imports
    if resolver is None:
        return
    for facts in ctx.target_files():
        if not (facts.is_test_module or facts.is_conftest) or not suite.uses_moto(facts):
            continue
        for ref in facts.imports:
            found = resolver.import_time_client(facts.path, ref)
            if found is None:
                continue
            module_path, client, chain = found
            where = os.path.relpath(module_path)
            via = f" (imported through {' -> '.join(chain)})" if chain else ""
            yield Hit(
                facts,
                ref.loc,
                f"this import runs {where}:{client.loc.line}{via}, which creates a boto3 "
                f"{client.kind} at import time, before any mock starts: its requests fail with "
                "NoCredentialsError or escape to AWS; create the client lazily in a function (or "
                "import the module inside the test, under the mock)",
            )


RULE = Rule(
    code="SCP104",
    name="client-via-import",
    severity=Severity.ERROR,
    short="a test imports first-party code that creates a client at import time",
    summary=(
        "A test module or conftest.py imports, at module level, a first-party module that creates "
        "a client at import time. The message names the module and line that creates it."
    ),
    why=(
        'It is SCP101 one import away, and the hardest to find (moto issue #1793: "the discovery '
        "of the culprit was the most difficult\"). The application module's client is built when "
        "pytest imports the test module, long before any mock starts, so it keeps the import-time "
        "credentials and, if moto was not imported yet, never calls moto at all."
    ),
    instead=(
        "Build clients lazily in the application (a function or a cached factory called at use "
        "time), or import the module inside the test while the mock is active."
    ),
    versions="All moto versions.",
    check=check,
    bad=(
        Example.suite(
            {
                "app/__init__.py": "",
                "app/storage.py": """
                import boto3

                S3 = boto3.client("s3", region_name="us-east-1")


                def list_names():
                    return [b["Name"] for b in S3.list_buckets()["Buckets"]]
                """,
                "tests/test_storage.py": """
                from moto import mock_aws

                from app.storage import list_names  # expect: SCP104


                @mock_aws
                def test_no_buckets():
                    assert list_names() == []
                """,
            }
        ),
        Example.suite(
            {
                "app/__init__.py": "",
                "app/queues.py": """
                from boto3 import resource

                SQS = resource("sqs", region_name="us-east-1")
                """,
                "app/service.py": """
                from app import queues


                def send(body):
                    return queues.SQS.get_queue_by_name(QueueName="q").send_message(MessageBody=body)
                """,
                "tests/conftest.py": """
                import pytest
                from moto import mock_aws

                import app.service  # expect: SCP104


                @pytest.fixture
                def mocked():
                    with mock_aws():
                        yield
                """,
            }
        ),
        Example.suite(
            {
                "src/shop/__init__.py": """
                import boto3

                session = boto3.Session(region_name="eu-west-1")
                """,
                "tests/test_shop.py": """
                import moto

                import shop  # expect: SCP104


                @moto.mock_aws
                def test_shop():
                    assert shop.session.region_name == "eu-west-1"
                """,
            }
        ),
    ),
    good=(
        Example.suite(
            {
                "app/__init__.py": "",
                "app/storage.py": """
                import functools

                import boto3


                @functools.cache
                def s3():
                    return boto3.client("s3", region_name="us-east-1")
                """,
                "tests/test_storage.py": """
                from moto import mock_aws

                from app.storage import s3


                @mock_aws
                def test_no_buckets():
                    assert s3().list_buckets()["Buckets"] == []
                """,
            }
        ),
        Example.suite(
            {
                "app/__init__.py": "",
                "app/storage.py": """
                import boto3

                S3 = boto3.client("s3", region_name="us-east-1")
                """,
                "tests/test_storage.py": """
                from moto import mock_aws


                @mock_aws
                def test_import_inside_the_mock():
                    from app.storage import S3

                    assert S3.list_buckets()["Buckets"] == []
                """,
            }
        ),
        Example.suite(
            {
                "app/__init__.py": "",
                "app/storage.py": """
                import boto3

                S3 = boto3.client("s3", region_name="us-east-1")
                """,
                "tests/test_integration.py": """
                from app.storage import S3


                def test_real_endpoint():
                    assert S3.meta.region_name == "us-east-1"
                """,
            }
        ),
    ),
)
