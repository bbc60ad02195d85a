"""SCP206 mock-decorated-coroutine, the hazard: ``@mock_aws`` on ``async def`` tests.

Why it breaks (moto 5.2.5): moto's decorator wraps synchronously. The wrapper starts the mock,
calls the test (which only creates a coroutine) and stops the mock; the wrapper is no coroutine
function, so pytest-asyncio does not run it as an async test.

noenv and fakeenv, pytest 9.2 + pytest-asyncio 1.5: the pytest test fails ("async def functions
are not natively supported"); on pytest 8.3.5 + pytest-asyncio 1.3.0 it is skipped instead. The
IsolatedAsyncioTestCase methods below fail if their body ever runs: they PASS, on both pytest
versions, because unittest gets a plain method that returns an un-awaited coroutine.
"""

import unittest

import boto3
import pytest
from moto import mock_aws


@pytest.mark.asyncio
@mock_aws  # expect: SCP206
async def test_bucket_is_created():
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="bucket-a")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["bucket-a"]


class TestQueues(unittest.IsolatedAsyncioTestCase):
    @mock_aws  # expect: SCP206
    async def test_queue_body_never_runs(self):
        raise AssertionError("the body ran")


@mock_aws  # expect: SCP206
class TestTables(unittest.IsolatedAsyncioTestCase):
    async def test_table_body_never_runs(self):
        raise AssertionError("the body ran")
