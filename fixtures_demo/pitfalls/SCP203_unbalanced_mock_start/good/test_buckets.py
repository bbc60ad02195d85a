"""SCP203 unbalanced-mock-start, fixed: every ``start()`` has its ``stop()`` after ``yield``.

``try``/``finally`` also stops the mock when building the client raises. (``with mock_aws():``
around the ``yield`` is the shorter equivalent.)
"""

import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def s3():
    mock = mock_aws()
    mock.start()
    try:
        yield boto3.client("s3", region_name="us-east-1")
    finally:
        mock.stop()


def test_first_bucket_is_the_only_one(s3):
    s3.create_bucket(Bucket="bucket-from-test-1")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["bucket-from-test-1"]


def test_second_bucket_is_the_only_one(s3):
    s3.create_bucket(Bucket="bucket-from-test-2")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["bucket-from-test-2"]
