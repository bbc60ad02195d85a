"""SCP402 regionless-client: a fixture sets the region, but this test does not request it.

noenv: ``NoRegionError: You must specify a region.``: ``monkeypatch.setenv`` in ``aws_region``
runs only for the tests that use the fixture. fakeenv: passes (``AWS_DEFAULT_REGION`` is exported).
"""

import boto3
from moto import mock_aws


@mock_aws
def test_events_queue_is_created():
    sqs = boto3.client("sqs")  # expect: SCP402
    assert sqs.create_queue(QueueName="events")["QueueUrl"].endswith("/events")


@mock_aws
def test_with_the_region_fixture_passes(aws_region):
    sqs = boto3.client("sqs")
    assert sqs.create_queue(QueueName="audit")["QueueUrl"].endswith("/audit")
