"""SCP402 regionless-client, fixed: the client names its region."""

import boto3
from moto import mock_aws


@mock_aws
def test_jobs_queue_is_created():
    sqs = boto3.client("sqs", region_name="us-east-1")
    url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    assert url.endswith("/jobs")
