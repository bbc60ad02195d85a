"""SCP404 fixed-port-server, fixed: port 0 (a free port each time), read back, stopped after yield."""

import boto3
import pytest
from moto.server import ThreadedMotoServer


@pytest.fixture
def moto_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _s3(endpoint):
    return boto3.client(
        "s3",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_first_bucket_is_created(moto_endpoint):
    _s3(moto_endpoint).create_bucket(Bucket="first")


def test_second_bucket_is_created(moto_endpoint):
    _s3(moto_endpoint).create_bucket(Bucket="second")
