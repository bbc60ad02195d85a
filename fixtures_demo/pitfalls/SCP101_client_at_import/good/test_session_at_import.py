"""SCP101 good: a module-level ``boto3.Session`` built after ``from moto import mock_aws``.

Harmless in both CI environments: the Session copies moto's botocore hook when it is built (moto is
imported first), and it resolves credentials only when a client is made, inside ``@mock_aws``, where
moto's fake ones are set (moto-ground-truth case 14b). Nothing tries the network.
"""

import boto3
from moto import mock_aws

session = boto3.Session(region_name="us-east-1")


@mock_aws
def test_session_client_is_served_by_moto():
    s3 = session.client("s3")
    s3.create_bucket(Bucket="reports")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["reports"]
