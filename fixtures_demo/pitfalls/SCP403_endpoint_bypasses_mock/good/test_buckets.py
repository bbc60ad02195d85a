"""SCP403 endpoint-bypasses-mock, fixed: endpoints moto serves while its mock is active.

The MinIO endpoint is listed in MOTO_S3_CUSTOM_ENDPOINTS, the China partition is one of moto's
domains, and a ThreadedMotoServer's own endpoint is served by moto's server.
"""

import boto3
import pytest
from moto import mock_aws
from moto.server import ThreadedMotoServer

MINIO = "https://minio.internal.example:9000"


@pytest.fixture
def minio(monkeypatch):
    monkeypatch.setenv("MOTO_S3_CUSTOM_ENDPOINTS", MINIO)


@pytest.fixture
def moto_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@mock_aws
def test_minio_bucket_is_created(minio):
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=MINIO)
    s3.create_bucket(Bucket="reports")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["reports"]


@mock_aws
def test_china_bucket_is_created():
    s3 = boto3.client("s3", region_name="cn-north-1", endpoint_url="https://s3.cn-north-1.amazonaws.com.cn")
    s3.create_bucket(Bucket="reports", CreateBucketConfiguration={"LocationConstraint": "cn-north-1"})
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["reports"]


@mock_aws
def test_server_bucket_is_created(moto_server):
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=moto_server)
    s3.create_bucket(Bucket="reports")
    assert "reports" in [b["Name"] for b in s3.list_buckets()["Buckets"]]
