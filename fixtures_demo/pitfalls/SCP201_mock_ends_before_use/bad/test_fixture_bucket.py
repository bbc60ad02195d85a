"""SCP201 mock-ends-before-use, the hazard: a fixture ``return``s from inside ``with mock_aws()``.

Why it breaks (moto 5.2.5): ``return`` leaves the ``with`` block, so the mock stops
(``MockAWS.stop``: patching off, data removed) before the test runs. The client was built inside
the mock and keeps moto's fake credentials ``FOOBARKEY`` for life, so its requests are signed and
sent to AWS even in a CI with no credentials at all.

noenv and fakeenv: the request escapes to ``https://s3.amazonaws.com/``
(``EndpointConnectionError`` offline).
"""

import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def s3():
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="fixture-bucket")
        return client  # expect: SCP201


def test_fixture_bucket_is_listed(s3):
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["fixture-bucket"]
