"""SCP101 client-at-import, fixed: the client is built by a fixture, inside the mock.

Built inside ``mock_aws()``, the client picks up moto's fake credentials and a fresh boto3
session that carries moto's hook, whatever the CI environment holds.
"""

import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def s3():
    with mock_aws():
        yield boto3.client("s3", region_name="us-east-1")


def test_create_bucket_is_served_by_moto(s3):
    s3.create_bucket(Bucket="reports")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["reports"]
