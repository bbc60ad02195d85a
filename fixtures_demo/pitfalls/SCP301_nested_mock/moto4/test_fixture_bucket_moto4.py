"""SCP301 nested-mock under moto 4 (``mock_s3``): the inner decorator wipes the fixture's data.

Run only in a virtualenv with ``moto==4.2.14`` (the slow proof builds one). There, every
``start()`` reset the backends, so this test fails with ``assert [] == ['fixture-bucket']``.
"""

import boto3
import pytest
from moto import mock_s3


@pytest.fixture
def s3():
    with mock_s3():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="fixture-bucket")
        yield client


@mock_s3  # expect: SCP301
def test_fixture_bucket_survives_the_inner_mock(s3):
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["fixture-bucket"]
