"""SCP105 async-client-in-mock, fixed: aiobotocore talks to a ThreadedMotoServer.

moto only intercepts requests to AWS endpoints: a client whose ``endpoint_url`` is the server's is
served by the server, even while an in-process mock is active (the first test). The server needs
credentials from somewhere: inside ``mock_aws`` they are moto's fake ones; without it, explicit.
"""

import aiobotocore.session
import boto3
import pytest
from moto import mock_aws
from moto.server import ThreadedMotoServer


@pytest.fixture
def moto_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.mark.asyncio
async def test_server_client_works_under_the_mock(moto_endpoint):
    with mock_aws():
        session = aiobotocore.session.get_session()
        async with session.create_client("s3", region_name="us-east-1", endpoint_url=moto_endpoint) as s3:
            await s3.create_bucket(Bucket="bucket-a")
            names = [b["Name"] for b in (await s3.list_buckets())["Buckets"]]
    assert names == ["bucket-a"]


@pytest.mark.asyncio
async def test_server_client_without_a_mock(moto_endpoint):
    session = aiobotocore.session.AioSession()
    async with session.create_client(
        "sqs",
        region_name="us-east-1",
        endpoint_url=moto_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ) as sqs:
        url = (await sqs.create_queue(QueueName="jobs"))["QueueUrl"]
    assert url.endswith("/jobs")


@mock_aws
def test_sync_bucket_is_created():
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="bucket-a")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["bucket-a"]
