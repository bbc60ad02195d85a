"""SCP404 fixed-port-server: a function-scoped fixture starts a server on a fixed port, never stops it.

The second test's server cannot bind the port (its thread dies with "Address already in use") and
``start()`` never returns: the run hangs (here bounded by the conftest's 10 s alarm).
"""

import boto3
import pytest
from moto.server import ThreadedMotoServer


@pytest.fixture
def moto_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=50404, verbose=False)  # expect: SCP404
    server.start()
    yield "http://127.0.0.1:50404"


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
