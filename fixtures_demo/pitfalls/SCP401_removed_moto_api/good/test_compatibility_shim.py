"""SCP401 removed-moto-api, fine: a shim that runs on moto 4 and moto 5.

On moto 5.2.5 the first import raises ``ImportError`` and the ``except`` branch binds ``mock_aws``
under the old name; on moto 4 the first import succeeds. scopecheck does not report the shim and
``--fix`` leaves the file as it is.
"""

import boto3

try:
    from moto import mock_s3
except ImportError:  # moto >= 5
    from moto import mock_aws as mock_s3


@mock_s3
def test_shimmed_bucket_exists():
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="shim-bucket")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["shim-bucket"]
