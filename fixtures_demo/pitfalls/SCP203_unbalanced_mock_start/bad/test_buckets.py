"""SCP203 unbalanced-mock-start, the hazard: a fixture calls ``start()`` and never ``stop()``.

Why it breaks (moto 5.2.5): all mocks share one class-wide counter, ``MockAWS._nested_count``.
``start()`` resets moto's backends only when the counter goes from 0 to 1, and ``stop()``
removes data only when it returns to 0. Without a stop the counter keeps growing (1, 2, ...), so
every later test, in this module or any other, runs inside the first test's mock and sees its
data. The environment also keeps moto's ``AWS_ACCESS_KEY_ID=FOOBARKEY``.

noenv and fakeenv: the first test passes; the second fails with the first test's bucket in the
assertion diff (``'bucket-from-test-1'`` leaked). On moto < 5 (measured 1.3.16, 2.3.2, 4.2.14)
both pass, because every ``start()`` reset the backends; moto still stays active there, so a
later test that starts no mock of its own is served by it and sees the leaked bucket.
"""

import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def s3():
    mock = mock_aws()
    mock.start()  # expect: SCP203
    yield boto3.client("s3", region_name="us-east-1")


def test_first_bucket_is_the_only_one(s3):
    s3.create_bucket(Bucket="bucket-from-test-1")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["bucket-from-test-1"]


def test_second_bucket_is_the_only_one(s3):
    s3.create_bucket(Bucket="bucket-from-test-2")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["bucket-from-test-2"]
