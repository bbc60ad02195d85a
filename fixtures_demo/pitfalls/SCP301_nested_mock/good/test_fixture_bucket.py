"""SCP301 nested-mock, fixed: one mock, held by the fixture; the test carries no decorator."""

import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def s3():
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="fixture-bucket")
        yield client


def test_fixture_bucket_survives(s3):
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["fixture-bucket"]
