"""SCP105 and SCP206 (and SCP202 on async fixtures): whole finding sets and messages, and the
look-alikes that must stay silent."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.helpers import lint_tree, write_tree

CODES = ("SCP105", "SCP206", "SCP202")


def _findings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int, str, str]]:
    write_tree(tmp_path, {name: textwrap.dedent(text).lstrip("\n") for name, text in files.items()})
    found = lint_tree(tmp_path, select=["ALL"])
    return [(Path(f.path).name, f.line, f.code, f.message) for f in found if f.code in CODES]


def test_async_client_messages_name_the_mock(tmp_path: Path) -> None:
    files = {
        "conftest.py": """
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def aws():
                with mock_aws():
                    yield
            """,
        "test_a.py": """
            import aioboto3
            import pytest
            from moto import mock_aws


            @mock_aws
            def test_decorated():
                aioboto3.Session().resource("dynamodb", region_name="us-east-1")


            def test_with():
                with mock_aws():
                    aioboto3.client("sqs", region_name="us-east-1")


            def test_fixture(aws):
                aioboto3.Session().client(service_name="s3", endpoint_url="https://s3.amazonaws.com")


            def test_endpoint_none(aws):
                aioboto3.Session().client("s3", endpoint_url=None)
            """,
    }
    assert _findings(tmp_path, files) == [
        (
            "test_a.py",
            8,
            "SCP105",
            "async 'dynamodb' client under moto's in-process mock (@mock_aws on test_decorated)",
        ),
        ("test_a.py", 13, "SCP105", "async 'sqs' client under moto's in-process mock (`with` on line 12)"),
        ("test_a.py", 17, "SCP105", "async 's3' client under moto's in-process mock (fixture 'aws', conftest.py:7)"),
        ("test_a.py", 21, "SCP105", "async 's3' client under moto's in-process mock (fixture 'aws', conftest.py:7)"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        # A moto server's endpoint, a variable, a loopback literal, **kwargs: not intercepted / unknown.
        'aioboto3.Session().client("s3", endpoint_url=f"http://{host}:{port}")',
        'aioboto3.Session().client("s3", endpoint_url=url)',
        'aioboto3.Session().client("s3", endpoint_url="http://127.0.0.1:5000")',
        'aioboto3.Session().client("s3", **kwargs)',
        # Not an async session: boto3's, a first-party class, an unknown object.
        'boto3.Session().client("s3", region_name="us-east-1")',
        'Session().client("s3")',
        'session.create_client("s3")',
    ],
)
def test_look_alikes_under_a_mock_are_silent(tmp_path: Path, body: str) -> None:
    files = {
        "test_a.py": f"""
            import aioboto3
            import boto3
            from moto import mock_aws
            from app import Session


            @mock_aws
            def test_it(session, host="127.0.0.1", port=5000, url="http://x", kwargs=None):
                {body}
            """
    }
    assert _findings(tmp_path, files) == []


@pytest.mark.parametrize(
    "patch",
    [
        "aiobotocore.endpoint.convert_to_response_dict = wrap(aiobotocore.endpoint.convert_to_response_dict)",
        'mock.patch("aioboto3.Session", FakeSession).start()',
        'monkeypatch.setattr(aiobotocore.session.AioSession, "create_client", fake)',
    ],
)
def test_a_suite_that_patches_the_async_sdk_is_not_reported(tmp_path: Path, patch: str) -> None:
    files = {
        "conftest.py": f"""
            import aiobotocore.endpoint
            import aiobotocore.session
            from unittest import mock


            def setup(monkeypatch=None, wrap=None, fake=None, FakeSession=None):
                {patch}
            """,
        "test_a.py": """
            import aioboto3
            from moto import mock_aws


            @mock_aws
            def test_it():
                aioboto3.Session().client("s3")
            """,
    }
    assert _findings(tmp_path, files) == []


def test_a_helper_is_reported_only_under_its_own_mock(tmp_path: Path) -> None:
    files = {
        "test_a.py": """
            from aiobotocore.session import AioSession
            from moto import mock_aws


            def make():
                return AioSession().create_client("s3")


            def make_mocked():
                with mock_aws():
                    return AioSession().create_client("s3")
            """
    }
    assert [f[:3] for f in _findings(tmp_path, files)] == [("test_a.py", 11, "SCP105")]


def test_decorated_coroutines_and_async_fixtures(tmp_path: Path) -> None:
    files = {
        "test_a.py": """
            import unittest

            import pytest
            import pytest_asyncio
            from moto import mock_aws


            @mock_aws
            async def test_plain():
                pass


            @pytest.fixture
            @mock_aws
            async def bucket():
                return 1


            @pytest_asyncio.fixture
            @mock_aws
            async def queue():
                yield 1


            @mock_aws
            async def helper():
                pass


            @mock_aws
            class TestMany(unittest.IsolatedAsyncioTestCase):
                async def test_one(self):
                    pass

                async def test_two(self):
                    pass

                def test_sync(self):
                    pass


            @mock_aws
            class TestSyncOnly:
                def test_sync(self):
                    pass

                async def helper(self):
                    pass
            """
    }
    assert _findings(tmp_path, files) == [
        ("test_a.py", 8, "SCP206", "@mock_aws on async test test_plain: the mock ends before the coroutine runs"),
        (
            "test_a.py",
            14,
            "SCP202",
            "fixture 'bucket' is decorated with @mock_aws: the test gets a coroutine, the body never runs",
        ),
        (
            "test_a.py",
            20,
            "SCP202",
            "fixture 'queue' is decorated with @mock_aws: the test gets an async generator, the body never runs",
        ),
        ("test_a.py", 30, "SCP206", "@mock_aws on class TestMany: async test_one (+1) runs after the mock ends"),
    ]


def test_regionless_async_client_of_a_moto_server(tmp_path: Path) -> None:
    """SCP402 on aiobotocore: a region-less regional client for moto's server raises NoRegionError
    when entered; one with a region, a global service, or a region fixture in use is fine."""
    files = {
        "conftest.py": """
            import pytest
            from moto.server import ThreadedMotoServer


            @pytest.fixture
            def endpoint():
                server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
                server.start()
                host, port = server.get_host_and_port()
                yield f"http://{host}:{port}"
                server.stop()


            @pytest.fixture
            def region(monkeypatch):
                monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
            """,
        "test_a.py": """
            from aiobotocore.session import get_session


            async def test_queue(endpoint):
                async with get_session().create_client("sqs", endpoint_url=endpoint) as sqs:
                    await sqs.list_queues()


            async def test_queue_with_region(endpoint):
                async with get_session().create_client("sqs", "us-east-1", endpoint_url=endpoint) as sqs:
                    await sqs.list_queues()


            async def test_bucket(endpoint):
                async with get_session().create_client("s3", endpoint_url=endpoint) as s3:
                    await s3.list_buckets()


            async def test_queue_with_region_fixture(endpoint, region):
                async with get_session().create_client("sqs", endpoint_url=endpoint) as sqs:
                    await sqs.list_queues()
            """,
    }
    write_tree(tmp_path, {name: textwrap.dedent(text).lstrip("\n") for name, text in files.items()})
    found = [(Path(f.path).name, f.line, f.code, f.message) for f in lint_tree(tmp_path, select=["ALL"])]
    assert found == [
        (
            "test_a.py",
            5,
            "SCP402",
            "aiobotocore client for 'sqs' has no region; fixture 'region' (conftest.py:15) sets it but is not used",
        )
    ]


def test_a_decorated_async_test_is_one_finding_not_two(tmp_path: Path) -> None:
    """The decorator has stopped before the body runs: its async client is not under the mock."""
    files = {
        "test_a.py": """
            import aioboto3
            from moto import mock_aws


            @mock_aws
            async def test_it():
                async with aioboto3.Session().client("s3") as s3:
                    await s3.list_buckets()


            @mock_aws
            class TestIt:
                async def test_method(self):
                    async with aioboto3.Session().client("s3") as s3:
                        await s3.list_buckets()
            """
    }
    assert [f[:3] for f in _findings(tmp_path, files)] == [("test_a.py", 5, "SCP206"), ("test_a.py", 11, "SCP206")]
