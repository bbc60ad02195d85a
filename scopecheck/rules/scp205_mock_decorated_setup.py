"""SCP205: a setup hook (``setUp``, ``setup_method``, ...) decorated with a mock."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.facts.interpret import flow_of
from scopecheck.facts.model import FileFacts, FunctionFacts
from scopecheck.findings import Severity
from scopecheck.rules.base import Context, Example, Hit, Rule

SETUP_HOOKS = {
    "setUp",
    "setup_method",
    "setup",
    "setup_function",
    "setUpClass",
    "setup_class",
    "setUpModule",
    "setup_module",
}


def _does_aws_work(ctx: Context, facts: FileFacts, fn: FunctionFacts) -> bool:
    """Whether the hook calls AWS through a client it holds: what it creates is what gets lost.
    A hook that only builds clients may be fine (the test's own mock serves them): unknown."""
    if flow_of(fn).uses_client_var:
        return True
    attrs = {a for other in ctx.suite.methods_of(facts, fn.class_name) for a in other.client_attrs}
    return bool(set(fn.calls_client_attrs) & attrs)


def _under_outer_mock(ctx: Context, facts: FileFacts, fn: FunctionFacts) -> bool:
    """Whether a fixture may hold a mock around the hook: then its decorator only nests."""
    suite = ctx.suite
    runs = suite.runs_in(facts, fn.class_name)
    if any(fdef.holds_mock is not None for run in runs for fdef in run.setup_order):
        return True
    return any(fdef.holds_mock is not None for fdef in suite.setup_order(facts, fn.class_name))


def check(ctx: Context) -> Iterator[Hit]:
    for facts in ctx.target_files():
        decorated_classes = {c.name for c in facts.classes if c.mock_decorators}
        for fn in facts.functions:
            if fn.name not in SETUP_HOOKS or fn.fixture is not None or not fn.mock_decorators:
                continue
            if fn.class_name in decorated_classes or not _does_aws_work(ctx, facts, fn):
                continue
            if _under_outer_mock(ctx, facts, fn):
                continue
            dec = fn.mock_decorators[0]
            yield Hit(
                facts,
                dec.loc,
                f"{fn.name}() is decorated with @{dec.factory}: the mock ends when it returns, before the test",
            )


RULE = Rule(
    code="SCP205",
    name="mock-decorated-setup",
    severity=Severity.ERROR,
    short="`setUp`/`setup_method` decorated with a mock",
    summary=(
        "A setup hook (`setUp`, `setup_method`, `setup`, `setup_function`, `setUpClass`, "
        "`setup_class`, `setUpModule`, `setup_module`) is decorated with a mock and calls AWS "
        "through a client, while no fixture holds a mock around it and its class is not "
        "decorated with one. The unittest twin of SCP202."
    ),
    why=(
        "moto's decorator wraps the hook in a plain function that starts the mock, calls the hook "
        "and stops the mock when the hook returns, before the test runs. What the hook created is "
        "gone (moto 5 removes it at that stop; earlier versions reset the backends when the test's "
        "own mock starts), and the clients it built keep moto's fake credentials. So a test "
        "decorated with the mock sees an empty backend (`AssertionError: Lists differ: [] != "
        "['setup-bucket']`), and a plain test sends its requests, signed with the fake key, to "
        "AWS. Measured with unittest's `setUp` and pytest's `setup_method` on moto 1.3.16, "
        "4.2.14 and 5.2.5. A hook that only builds clients is not reported: a test's own mock "
        "serves them."
    ),
    instead=(
        "Decorate the class (`@mock_aws class TestX(unittest.TestCase)`): moto wraps `setUp` with "
        "`reset=True, remove_data=False` and each test without a reset, so the test sees what "
        "`setUp` made. Or start the mock in `setUp` and register its stop: `self.mock = "
        "mock_aws(); self.mock.start(); self.addCleanup(self.mock.stop)`."
    ),
    versions="All moto versions (measured on moto 1.3.16, 4.2.14 and 5.2.5).",
    check=check,
    see_also=("SCP202",),
    bad=(
        Example.of(
            """
            import unittest

            import boto3
            from moto import mock_aws


            class TestBucket(unittest.TestCase):
                @mock_aws  # expect: SCP205
                def setUp(self):
                    self.s3 = boto3.client("s3", region_name="us-east-1")
                    self.s3.create_bucket(Bucket="setup-bucket")

                @mock_aws
                def test_bucket(self):
                    self.assertTrue(self.s3.list_buckets()["Buckets"])
            """
        ),
        Example.of(
            """
            import boto3
            import moto


            class TestQueue:
                @moto.mock_aws()  # expect: SCP205
                def setup_method(self, method):
                    sqs = boto3.client("sqs", region_name="us-east-1")
                    self.url = sqs.create_queue(QueueName="q")["QueueUrl"]

                def test_queue(self):
                    assert self.url
            """
        ),
        Example.of(
            """
            import unittest

            import boto3
            from moto import mock_aws as aws


            class TestTable(unittest.TestCase):
                @classmethod
                @aws  # expect: SCP205
                def setUpClass(cls):
                    cls.ddb = boto3.resource("dynamodb", region_name="us-east-1")
                    cls.ddb.create_table(
                        TableName="t",
                        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                        BillingMode="PAY_PER_REQUEST",
                    )

                @aws
                def test_table(self):
                    self.assertEqual(self.ddb.Table("t").item_count, 0)
            """
        ),
    ),
    good=(
        Example.of(
            """
            import unittest

            import boto3
            from moto import mock_aws


            @mock_aws
            class TestBucket(unittest.TestCase):
                def setUp(self):
                    self.s3 = boto3.client("s3", region_name="us-east-1")
                    self.s3.create_bucket(Bucket="setup-bucket")

                def test_bucket(self):
                    self.assertTrue(self.s3.list_buckets()["Buckets"])


            class TestStarted(unittest.TestCase):
                def setUp(self):
                    self.mock = mock_aws()
                    self.mock.start()
                    self.addCleanup(self.mock.stop)
                    self.s3 = boto3.client("s3", region_name="us-east-1")
                    self.s3.create_bucket(Bucket="setup-bucket")

                def test_bucket(self):
                    self.assertTrue(self.s3.list_buckets()["Buckets"])
            """
        ),
        Example.of(
            """
            import boto3
            from moto import mock_aws


            class TestClientOnly:
                @mock_aws
                def setup_method(self, method):
                    self.s3 = boto3.client("s3", region_name="us-east-1")

                @mock_aws
                def test_bucket(self):
                    self.s3.create_bucket(Bucket="made-in-the-test")
                    assert self.s3.list_buckets()["Buckets"]
            """
        ),
        Example.suite(
            {
                "conftest.py": """
                import pytest
                from moto import mock_aws


                @pytest.fixture(autouse=True)
                def aws():
                    with mock_aws():
                        yield
                """,
                "test_nested.py": """
                import boto3
                from moto import mock_aws


                class TestUnderAutouseMock:
                    @mock_aws
                    def setup_method(self, method):
                        self.s3 = boto3.client("s3", region_name="us-east-1")
                        self.s3.create_bucket(Bucket="setup-bucket")

                    def test_bucket(self):
                        assert self.s3.list_buckets()["Buckets"]
                """,
            }
        ),
    ),
)
