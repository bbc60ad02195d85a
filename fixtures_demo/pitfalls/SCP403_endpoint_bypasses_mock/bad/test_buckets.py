"""SCP403 endpoint-bypasses-mock: clients sent to LocalStack's and a MinIO endpoint under @mock_aws.

moto intercepts only AWS URLs: both requests go to the named hosts. localhost:4566 refuses the
connection; the MinIO host is blocked by the proof's network guard (elsewhere it would be reached).
"""

import boto3
from moto import mock_aws


@mock_aws
def test_localstack_bucket_is_created():
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url="http://localhost:4566")  # expect: SCP403
    s3.create_bucket(Bucket="reports")


@mock_aws
def test_minio_bucket_is_created():
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url="https://minio.internal.example:9000")  # expect: SCP403
    s3.create_bucket(Bucket="reports")
