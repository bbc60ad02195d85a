"""SCP401 removed-moto-api, fixed: one ``mock_aws`` replaces the stacked per-service mocks."""

import boto3
from moto import mock_aws


@mock_aws
def test_queue_and_bucket_exist():
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="audit-log")
    boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="audit-log")
