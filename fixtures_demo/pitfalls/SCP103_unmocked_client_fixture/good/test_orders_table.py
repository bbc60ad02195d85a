"""SCP103 unmocked-client-fixture, fixed: the client fixture requests the mock fixture.

Depending on ``mocked_aws`` (and sharing its scope) guarantees the mock is active when the
client is built, so it carries moto's fake credentials.
"""

import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def mocked_aws():
    with mock_aws():
        yield


@pytest.fixture
def s3(mocked_aws):
    return boto3.client("s3", region_name="us-east-1")


def test_bucket_is_created(s3):
    s3.create_bucket(Bucket="orders")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["orders"]
