"""SCP401 removed-moto-api, the hazard: moto 4's per-service mocks under moto 5.

Why it breaks (moto 5.2.5): ``moto/__init__.py`` exports only ``mock_aws``; every
``mock_<service>`` was removed in 5.0. The import fails while pytest collects the module, and a
collection error interrupts the whole session: no test runs at all (exit status 2).

noenv and fakeenv: ``ImportError: cannot import name 'mock_s3' from 'moto'``.
"""

import boto3
from moto import mock_s3, mock_sqs  # expect: SCP401


@mock_s3
@mock_sqs
def test_queue_and_bucket_exist():
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="audit-log")
    boto3.client("sqs", region_name="us-east-1").create_queue(QueueName="audit-log")
