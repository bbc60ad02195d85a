"""SCP402's examples: the bad and good suites its rule module (scp402_regionless_client) names.

Kept beside the rule because they are most of it: where a suite can set AWS_DEFAULT_REGION (pytest
-env in pyproject.toml, pytest.ini or setup.cfg, tox, conftest fixtures, class setup) takes many
small suites to show. Examples are lines of code, not rules: rule discovery skips this module.
"""

from __future__ import annotations

from scopecheck.rules.base import Example

BAD = (
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
)


GOOD = (
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
)
