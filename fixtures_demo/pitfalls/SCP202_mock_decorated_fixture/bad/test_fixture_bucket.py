"""SCP202 mock-decorated-fixture, the hazard: ``@mock_aws`` on a generator fixture.

Why it breaks (moto 5.2.5): the decorator's wrapper (``MockAWS._decorate_callable``) is a plain
function doing start / call / stop. Calling a generator function only creates the generator, so
the mock has already stopped before any line of the fixture runs. pytest checks
``inspect.isgeneratorfunction`` on the wrapper, sees a plain function, and hands the generator
object itself to the test: the fixture body (setup and teardown) never runs.

noenv and fakeenv: ``AttributeError: 'generator' object has no attribute 'list_buckets'``.
"""

import boto3
import pytest
from moto import mock_aws


@pytest.fixture
@mock_aws  # expect: SCP202
def s3():
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket="fixture-bucket")
    yield client


def test_fixture_bucket_is_listed(s3):
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["fixture-bucket"]
