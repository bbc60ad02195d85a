"""SCP101: a boto3 client or Session created when a test module or conftest.py is imported."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.findings import Severity
from scopecheck.rules.base import Context, Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    for facts in ctx.target_files():
        if not (facts.is_test_module or facts.is_conftest) or not ctx.suite.uses_moto(facts):
            continue
        for client in facts.import_time_clients:
            if client.kind == "session" and client.target is None:
                continue  # a throwaway Session (``Session().get_available_partitions()``) holds nothing
            what = "boto3 Session" if client.kind == "session" else f"boto3 {client.kind}"
            service = f" for '{client.service}'" if client.service else ""
            yield Hit(
                facts,
                client.loc,
                f"{what}{service} is created at import time, before any mock starts: it keeps the "
                "credentials (or lack of them) and request hooks of import time, so requests fail "
                "with NoCredentialsError or escape to AWS; create it inside a fixture that runs "
                "under `with mock_aws():` and yield it",
            )


RULE = Rule(
    code="SCP101",
    name="client-at-import",
    severity=Severity.ERROR,
    short="a client or Session created at import time of a test module or conftest.py",
    summary=(
        "A boto3 client, resource or Session is created while a test module or conftest.py is "
        "imported: at module level (also inside module-level if/try/for), in a class body, in "
        "default argument values or decorator arguments such as parametrize lists."
    ),
    why=(
        "botocore resolves credentials when a client is built and copies its event handlers from "
        "the Session at that moment. A client built at import time therefore keeps whatever "
        "credentials the environment had (none on a clean CI runner: `NoCredentialsError`), and if "
        "it was built before `import moto` it never calls moto at all: with fake credentials "
        "exported its requests are signed and sent to the real AWS endpoint "
        "(`EndpointConnectionError` when the network is blocked). Whether it works depends on "
        "import order and the CI environment, so it passes on a laptop and fails in CI."
    ),
    instead=(
        "Create clients inside a fixture that yields from within `with mock_aws():`, or inside the "
        'test. Code under `if __name__ == "__main__":` and inside functions is not affected.'
    ),
    versions="All moto versions (credential resolution is botocore behaviour).",
    check=check,
    bad=(
        Example.of(
            """
            import boto3
            from moto import mock_aws

            s3 = boto3.client("s3", region_name="us-east-1")  # expect: SCP101


            @mock_aws
            def test_list_buckets():
                assert s3.list_buckets()["Buckets"] == []
            """
        ),
        Example.of(
            """
            import boto3 as b
            import moto

            if True:
                session = b.session.Session(region_name="eu-west-1")  # expect: SCP101


            class TestQueues:
                sqs = b.client("sqs", region_name="eu-west-1")  # expect: SCP101

                @moto.mock_aws
                def test_no_queues(self):
                    assert "QueueUrls" not in self.sqs.list_queues()
            """
        ),
        Example.suite(
            {
                "conftest.py": """
                import pytest
                from boto3 import client
                from moto import mock_aws

                DEFAULT = client("s3", region_name="us-east-1")  # expect: SCP101


                @pytest.fixture
                def mocked():
                    with mock_aws():
                        yield
                """,
                "test_params.py": """
                import boto3
                import pytest


                @pytest.mark.parametrize("c", [boto3.client("sqs", region_name="us-east-1")])  # expect: SCP101
                def test_queue(c, mocked):
                    c.list_queues()
                """,
            }
        ),
    ),
    good=(
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def s3():
                with mock_aws():
                    yield boto3.client("s3", region_name="us-east-1")


            def test_list_buckets(s3):
                assert s3.list_buckets()["Buckets"] == []
            """
        ),
        Example.of(
            """
            import boto3


            def make_client():
                return boto3.client("s3", region_name="us-east-1")


            if __name__ == "__main__":
                print(boto3.client("s3", region_name="us-east-1").list_buckets())
            """
        ),
        Example.of(
            '''
            """Integration tests against a real endpoint: no moto here, nothing to flag."""
            import boto3

            s3 = boto3.client("s3", region_name="us-east-1")


            def test_real_bucket_exists():
                assert s3.head_bucket(Bucket="my-real-bucket")
            '''
        ),
        Example.of(
            """
            from moto import mock_aws

            # boto3.client("s3") in a comment is not code
            HELP = "call boto3.client('s3') inside the mock"


            @mock_aws
            def test_nothing():
                assert HELP
            """
        ),
    ),
)
