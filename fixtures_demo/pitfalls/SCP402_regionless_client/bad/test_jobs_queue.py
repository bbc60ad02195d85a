"""SCP402 regionless-client, the hazard: a client for a regional service without ``region_name``.

Why it breaks (moto 5.2.5): ``mock_aws`` sets fake credentials in the environment
(``MockAWS._mock_env_variables``) but never a region. botocore takes the region from
``region_name``, the config file or ``AWS_DEFAULT_REGION``; without one, a regional service
such as SQS cannot build its endpoint. (S3 and STS fall back to a global endpoint.)

noenv: ``NoRegionError: You must specify a region.`` fakeenv: passes (``AWS_DEFAULT_REGION``
is exported). Environment-dependent.
"""

import boto3
from moto import mock_aws


@mock_aws
def test_jobs_queue_is_created():
    sqs = boto3.client("sqs")  # expect: SCP402
    url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    assert url.endswith("/jobs")
