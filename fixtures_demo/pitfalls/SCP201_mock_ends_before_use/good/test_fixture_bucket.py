"""SCP201 mock-ends-before-use, fixed: ``yield`` keeps the mock open while the test runs."""

import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def s3():
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="fixture-bucket")
        yield client


def test_fixture_bucket_is_listed(s3):
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["fixture-bucket"]
