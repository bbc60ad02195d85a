"""SCP301 nested-mock: ``@mock_aws`` on a test whose fixture already holds a mock open.

moto 5.2.5: harmless, only redundant. All mocks share one counter (``MockAWS._nested_count``);
the inner ``start()`` only increments it (backends are reset when it goes 0 -> 1) and the inner
``stop()`` only decrements it, so the fixture's bucket survives and this test passes in both CI
environments.

moto 4 (measured on 4.2.14, see ``../moto4/``): every ``start()`` reset the backends, so the
decorator wiped the fixture's data and this test failed with
``assert [] == ['fixture-bucket']``. The reset-only-at-the-outermost-start logic arrived with
``mock_aws`` in moto 5.0.0. scopecheck reports this as info for moto >= 5, error for moto < 5.
"""

import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def s3():
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="fixture-bucket")
        yield client


@mock_aws  # expect: SCP301
def test_fixture_bucket_survives_the_inner_mock(s3):
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["fixture-bucket"]
