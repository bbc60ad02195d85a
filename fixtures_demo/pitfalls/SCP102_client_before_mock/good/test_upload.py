"""SCP102 client-before-mock, fixed: the client is built inside the ``with mock_aws()`` block."""

import boto3
from moto import mock_aws


def test_upload_lands_in_the_bucket():
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="uploads")
        s3.put_object(Bucket="uploads", Key="a.txt", Body=b"hi")
        assert s3.get_object(Bucket="uploads", Key="a.txt")["Body"].read() == b"hi"
