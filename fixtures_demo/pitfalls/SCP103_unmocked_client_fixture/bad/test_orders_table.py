"""SCP103 unmocked-client-fixture, the hazard: a client fixture is set up before the mock.

Why it breaks (moto 5.2.5): pytest sets up wider-scoped fixtures first, so the module-scoped
``s3`` client is built before the function-scoped ``mocked_aws`` starts the mock, whatever the
argument order. The client froze its credentials outside the mock (botocore
``session.create_client``), so moto's fake ones never reach it.

noenv: ``NoCredentialsError``. fakeenv: passes (exported credentials sign, moto serves).
Environment-dependent.
"""

import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def mocked_aws():
    with mock_aws():
        yield


@pytest.fixture(scope="module")
def s3():
    return boto3.client("s3", region_name="us-east-1")  # expect: SCP103


def test_bucket_is_created(mocked_aws, s3):
    s3.create_bucket(Bucket="orders")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["orders"]
