"""SCP206 mock-decorated-coroutine, fixed: the mock starts inside the coroutine.

``with mock_aws():`` inside the ``async def`` (or a sync fixture that yields inside the mock) is
active while the body runs, under pytest-asyncio and under IsolatedAsyncioTestCase alike.
"""

import unittest

import boto3
import pytest
from moto import mock_aws


@pytest.mark.asyncio
async def test_bucket_is_created():
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="bucket-a")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["bucket-a"]


@pytest.fixture
def aws():
    with mock_aws():
        yield


@pytest.mark.asyncio
async def test_queue_is_created_under_a_fixture_mock(aws):
    sqs = boto3.client("sqs", region_name="us-east-1")
    assert sqs.create_queue(QueueName="jobs")["QueueUrl"].endswith("/jobs")


class TestTables(unittest.IsolatedAsyncioTestCase):
    async def test_table_list_is_empty(self):
        with mock_aws():
            ddb = boto3.client("dynamodb", region_name="us-east-1")
            self.assertEqual(ddb.list_tables()["TableNames"], [])


@mock_aws
def test_sync_test_keeps_its_decorator():
    assert boto3.client("s3", region_name="us-east-1").list_buckets()["Buckets"] == []
