"""SCP204: class-level hooks and fixtures inside a mock-decorated class run unmocked."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.facts.interpret import flow_of
from scopecheck.facts.model import FunctionFacts
from scopecheck.findings import Severity
from scopecheck.rules.base import Context, Example, Hit, Rule

CLASS_HOOKS = {"setup_class", "teardown_class", "setUpClass", "tearDownClass"}


def _kind(fn: FunctionFacts) -> str | None:
    if fn.fixture is not None:
        return f"fixture '{fn.fixture.name}'"
    if fn.name in CLASS_HOOKS:
        return f"{fn.name}()"
    if fn.is_classmethod:
        return f"classmethod {fn.name}()"
    if fn.is_staticmethod:
        return f"staticmethod {fn.name}()"
    return None


def check(ctx: Context) -> Iterator[Hit]:
    for facts in ctx.target_files():
        for cls in facts.classes:
            if not cls.mock_decorators:
                continue
            methods = ctx.suite.methods_of(facts, cls)
            client_attrs = {attr for fn in methods for attr in fn.client_attrs}
            dec = cls.mock_decorators[0]
            for fn in methods:
                kind = _kind(fn)
                if kind is None or fn.mock_decorators:
                    continue
                unmocked_clients = [c for c in fn.clients if not c.mocked_locally]
                calls_aws = bool(set(fn.calls_client_attrs) & client_attrs)
                if not unmocked_clients and not calls_aws and not (flow_of(fn).uses_client_var and not fn.activations):
                    continue
                yield Hit(
                    facts,
                    fn.loc,
                    f"{kind} talks to AWS unmocked: @{dec.factory} on {cls.name} (line {dec.loc.line}) skips it",
                )


RULE = Rule(
    code="SCP204",
    name="unmocked-class-hook",
    severity=Severity.ERROR,
    short="setup_class, classmethods and fixtures inside a mock-decorated class",
    summary=(
        "In a class decorated with a mock, a fixture method, `setup_class`/`teardown_class`, a "
        "classmethod or a staticmethod creates a client or calls AWS."
    ),
    why=(
        "moto's class decorator wraps only the plain functions of the class (each test and "
        "`setup_method`) and skips classmethods and staticmethods; pytest fixtures defined in the "
        "class are not wrapped either. So `setup_class` and class fixtures run with no mock: on a "
        "runner without credentials they fail with `NoCredentialsError`; with credentials exported "
        "they create real resources (moto issues #1327, #527)."
    ),
    instead="Use `setup_method` (wrapped, reset per test) or a fixture that yields inside `with mock_aws():`.",
    versions=(
        "All moto versions (`setup_class` and a class fixture measured unmocked on moto 1.3.16, "
        "2.3.2, 4.2.14 and 5.2.5, with pytest 8.3 and 9.2)."
    ),
    check=check,
    bad=(
        Example.of(
            """
            import boto3
            from moto import mock_aws


            @mock_aws
            class TestBuckets:
                @classmethod
                def setup_class(cls):  # expect: SCP204
                    cls.s3 = boto3.client("s3", region_name="us-east-1")
                    cls.s3.create_bucket(Bucket="shared")

                def test_bucket(self):
                    assert self.s3.list_buckets()["Buckets"]
            """
        ),
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @mock_aws
            class TestQueues:
                @pytest.fixture(scope="class")
                def queue(self):  # expect: SCP204
                    sqs = boto3.client("sqs", region_name="us-east-1")  # expect: SCP103
                    return sqs.create_queue(QueueName="q")["QueueUrl"]

                def test_queue(self, queue):
                    assert queue
            """
        ),
        Example.of(
            """
            import boto3
            import moto


            @moto.mock_aws
            class TestHelpers:
                @staticmethod
                def make_table():  # expect: SCP204
                    ddb = boto3.resource("dynamodb", region_name="us-east-1")
                    return ddb.Table("t")

                def test_table(self):
                    assert self.make_table().name == "t"
            """
        ),
    ),
    good=(
        Example.of(
            """
            import boto3
            from moto import mock_aws


            @mock_aws
            class TestBuckets:
                def setup_method(self):
                    self.s3 = boto3.client("s3", region_name="us-east-1")
                    self.s3.create_bucket(Bucket="per-test")

                def test_bucket(self):
                    assert self.s3.list_buckets()["Buckets"]
            """
        ),
        Example.of(
            """
            import boto3
            from moto import mock_aws


            class TestNotDecorated:
                @classmethod
                def setup_class(cls):
                    cls.region = "us-east-1"

                @mock_aws
                def test_bucket(self):
                    boto3.client("s3", region_name=self.region).list_buckets()
            """
        ),
        Example.of(
            """
            import boto3
            from moto import mock_aws


            @mock_aws
            class TestClassmethodWithOwnMock:
                @classmethod
                def setup_class(cls):
                    cls.name = "b"

                @staticmethod
                def bucket_name():
                    return "b"

                def test_bucket(self):
                    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=self.bucket_name())
            """
        ),
    ),
)
