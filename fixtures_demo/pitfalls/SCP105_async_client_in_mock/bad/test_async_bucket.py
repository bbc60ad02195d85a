"""SCP105 async-client-in-mock, the hazard: an aiobotocore client under moto's in-process mock.

Why it breaks (moto 5.2.5, aiobotocore 3.10): moto answers botocore's ``before-send`` event with a
synchronous response whose body is ``bytes``; aiobotocore awaits it. Every call raises
``TypeError: object bytes can't be used in 'await' expression``.

noenv and fakeenv: the async test fails with that TypeError; the sync boto3 test in the same file,
under the same kind of mock, passes.
"""

import boto3
import pytest
from aiobotocore.session import get_session as new_session
from moto import mock_aws


@pytest.mark.asyncio
async def test_async_bucket_is_created():
    with mock_aws():
        session = new_session()
        async with session.create_client("s3", region_name="us-east-1") as s3:  # expect: SCP105
            await s3.create_bucket(Bucket="bucket-a")
            names = [b["Name"] for b in (await s3.list_buckets())["Buckets"]]
    assert names == ["bucket-a"]


@mock_aws
def test_sync_bucket_is_created():
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="bucket-a")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["bucket-a"]
