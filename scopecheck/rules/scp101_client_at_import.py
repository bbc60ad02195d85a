"""SCP101: a boto3 client or Session created when a test module or conftest.py is imported."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.facts.model import ClientCall, FileFacts
from scopecheck.findings import Severity
from scopecheck.model.imports import NOTHING, UNARMED, Effect, ImportResolver, hook_state
from scopecheck.model.regions import GLOBAL_SERVICES
from scopecheck.rules.base import Context, Example, Hit, Rule
from scopecheck.rules.scp402_regionless_client import reports_at_import

BYPASSES = "bypasses"  # built before moto's hook: its requests never reach moto
FREEZES = "freezes"  # resolved its credentials at import, before any mock set fake ones


def import_time_hazard(client: ClientCall, before: Effect, moto_major: int) -> str | None:
    """What goes wrong with a client, resource or Session built at import time, given what ran
    before it in the process; None when nothing does (moto-ground-truth cases 1 and 14, and
    docs/moto-versions.md for moto 1.x to 4.x)."""
    if client.kind == "session" and client.throwaway:
        return None  # ``Session().region_name``: nothing keeps it
    if client.has_endpoint:
        return None  # endpoint_url=...: moto serves only AWS URLs, this client is not meant for it
    if hook_state(before, moto_major) == UNARMED:
        return BYPASSES  # botocore copies the handler list when a Session is built
    if client.kind == "session" or client.explicit_credentials or before.credentials:
        return None  # a Session resolves credentials lazily; fake ones are already there
    return FREEZES  # or unknown hook state (moto 1.x): the credentials are frozen either way


def what(client: ClientCall) -> str:
    if client.kind == "session":
        return "boto3 Session"
    return f"boto3 {client.kind}" + (f" for '{client.service}'" if client.service else "")


def frozen(client: ClientCall) -> str:
    """What a FREEZES client does: a regional one with no region never gets built."""
    if not client.has_region and client.service and client.service not in GLOBAL_SERVICES:
        return "has no region: NoRegionError if AWS_DEFAULT_REGION is unset"
    return "freezes its credentials"


def before_moto(before: Effect) -> str:
    return "before moto hooks into botocore" if before.imports_moto else "before moto is imported"


def resolver_of(ctx: Context) -> ImportResolver:
    return ctx.suite.imports


def is_importer(ctx: Context, facts: FileFacts) -> bool:
    return (facts.is_test_module or facts.is_conftest) and ctx.suite.uses_moto(facts)


def check(ctx: Context) -> Iterator[Hit]:
    resolver = resolver_of(ctx)
    for facts in ctx.target_files():
        if not is_importer(ctx, facts):
            continue
        prefix = resolver.conftest_effect(facts.path) if facts.import_time_clients else NOTHING
        for client in facts.import_time_clients:
            if reports_at_import(ctx, facts, client):
                continue  # NoRegionError at collection: SCP402's finding
            before = prefix | resolver.effect_before(facts.path, client.loc.line)
            hazard = import_time_hazard(client, before, ctx.moto_major)
            if hazard == BYPASSES:
                yield Hit(facts, client.loc, f"{what(client)} built at import, {before_moto(before)}: bypasses moto")
            elif hazard == FREEZES:
                yield Hit(facts, client.loc, f"{what(client)} built at import freezes its credentials")


RULE = Rule(
    code="SCP101",
    name="client-at-import",
    severity=Severity.ERROR,
    short="a client built at import time, or a Session built before moto hooks in",
    summary=(
        "A boto3 client or resource is created while a test module or conftest.py is imported "
        "(module level, also inside module-level if/try/for, a class body, default argument "
        "values, decorator arguments such as parametrize lists), or a boto3 Session is created "
        "there before moto has hooked into botocore. A Session built after that is harmless, and "
        "so is a throwaway `boto3.Session().region_name`."
    ),
    why=(
        "botocore resolves a client's credentials when the client is built, so a client built at "
        "import keeps the credentials of import time: none on a clean CI runner, and its requests "
        "fail with NoCredentialsError even inside a mock (a region-less client for a regional "
        "service already fails at collection, with NoRegionError). A botocore Session copies the "
        "handler list when it is built: a client or Session built before moto has added its hook "
        "never calls moto, and with credentials exported its requests are signed and sent to AWS. "
        "A Session built after the hook resolves credentials lazily, when its clients are made "
        "inside the mock, and is served by moto (moto-ground-truth case 14)."
    ),
    instead=(
        "Create clients inside a fixture that yields from within `with mock_aws():`, or inside the "
        "test; import moto before building a module-level Session. Code under "
        '`if __name__ == "__main__":` and inside functions is not affected.'
    ),
    versions=(
        "Measured with moto 1.3.8, 1.3.14, 1.3.16, 2.3.2, 3.1.18, 4.2.14 and 5.2 (docs/moto-versions.md). "
        "moto's hook is added when moto is imported on <= 1.3.14, 4.x and 5.x, but only at the first "
        "mock call (`@mock_s3` applied, `mock_s3()`) on 1.3.15 to 3.x, so on moto 2 and 3 a Session "
        "built after `from moto import mock_s3` but before any decorator still bypasses moto. moto "
        "<= 1.3.13 also exported fake credentials when imported, so there a client built after "
        "`import moto` was served; on a moto 1.x target a Session after `import moto` is not "
        "reported (it depends on the minor version)."
    ),
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

            session = b.session.Session(region_name="eu-west-1")  # expect: SCP101

            import moto


            class TestQueues:
                sqs = b.client("sqs", region_name="eu-west-1")  # expect: SCP101

                @moto.mock_aws
                def test_no_queues(self):
                    assert "QueueUrls" not in session.client("sqs").list_queues()
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
        Example.of(
            """
            import boto3
            from moto import mock_s3  # expect: SCP401

            # moto 2 and 3 load lazily: the hook is added when @mock_s3 is first applied, below.
            session = boto3.Session(region_name="us-east-1")  # expect: SCP101


            @mock_s3
            def test_no_buckets():
                assert session.client("s3").list_buckets()["Buckets"] == []
            """,
            target_moto=3,
        ),
        Example.of(
            """
            import boto3

            s3 = boto3.client("s3", aws_access_key_id="testing", aws_secret_access_key="testing")  # expect: SCP101

            from moto import mock_aws


            @mock_aws
            def test_no_buckets():
                assert s3.list_buckets()["Buckets"] == []
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
            """
            # Integration tests against a real endpoint: no moto here, nothing to flag.
            import boto3

            s3 = boto3.client("s3", region_name="us-east-1")


            def test_real_bucket_exists():
                assert s3.head_bucket(Bucket="my-real-bucket")
            """
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
        Example.of(
            """
            import boto3
            from moto import mock_aws

            # Built after moto hooked in: credentials are resolved inside the mock (case 14b).
            session = boto3.Session(region_name="us-east-1")
            REGION = boto3.Session().region_name or "us-east-1"  # thrown away: nothing is kept


            def make_queue(name, sqs_session=boto3.Session(region_name="us-east-1")):
                return sqs_session.client("sqs").create_queue(QueueName=name)


            @mock_aws
            def test_queue():
                assert make_queue("q")["QueueUrl"].endswith("/q")
                assert session.client("s3").list_buckets()["Buckets"] == []
            """
        ),
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws

            LOCAL = boto3.client("s3", endpoint_url="http://localhost:4566")  # not meant for moto


            @pytest.mark.parametrize("c", [boto3.Session().client("kms", region_name="us-west-2", endpoint_url="https://kms.invalid")])
            def test_client_is_kept(c):
                assert c.meta.endpoint_url == "https://kms.invalid"
            """
        ),
        Example.of(
            """
            import os

            import boto3
            from moto import mock_aws

            os.environ["AWS_ACCESS_KEY_ID"] = "testing"
            os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
            s3 = boto3.client("s3", region_name="us-east-1")  # fake credentials and moto's hook


            @mock_aws
            def test_no_buckets():
                assert s3.list_buckets()["Buckets"] == []
            """
        ),
        Example.of(
            """
            import boto3
            from moto import mock_s3  # expect: SCP401


            @mock_s3
            def test_no_buckets():
                assert session.client("s3").list_buckets()["Buckets"] == []


            session = boto3.Session(region_name="us-east-1")  # after @mock_s3 was applied: hooked
            """,
            target_moto=3,
        ),
    ),
)
