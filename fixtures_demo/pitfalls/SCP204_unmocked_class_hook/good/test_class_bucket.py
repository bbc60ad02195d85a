"""SCP204 unmocked-class-hook, fixed: per-test setup in ``setup_method``, which the decorator wraps.

moto's class decorator wraps ``setup_method`` with ``reset=True`` and each test with
``reset=False, remove_data=False``, so the test sees what its ``setup_method`` created and
every test starts from a fresh backend.
"""

import boto3
from moto import mock_aws


@mock_aws
class TestClassBucket:
    def setup_method(self, method):
        self.s3 = boto3.client("s3", region_name="us-east-1")
        self.s3.create_bucket(Bucket="class-bucket")

    def test_class_bucket_is_listed(self):
        assert [b["Name"] for b in self.s3.list_buckets()["Buckets"]] == ["class-bucket"]
