"""SCP303 env-leak: a fixture sets AWS_PROFILE in os.environ and never puts it back.

The second test never asked for the profile, but botocore reads AWS_PROFILE whenever a client is
built, mocked or not: it fails with ProfileNotFound, in both CI environments.
"""

import os

import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def dev_profile():
    os.environ["AWS_PROFILE"] = "dev"  # expect: SCP303
    return "dev"


def test_a_dev_profile_is_selected(dev_profile):
    assert os.environ["AWS_PROFILE"] == dev_profile


@mock_aws
def test_b_bucket_is_created():
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="reports")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["reports"]
