"""SCP303 env-leak, fixed: monkeypatch sets AWS_PROFILE for the one test and restores it after."""

import os

import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def dev_profile(monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "dev")
    return "dev"


def test_a_dev_profile_is_selected(dev_profile):
    assert os.environ["AWS_PROFILE"] == dev_profile


@mock_aws
def test_b_bucket_is_created():
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="reports")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["reports"]
