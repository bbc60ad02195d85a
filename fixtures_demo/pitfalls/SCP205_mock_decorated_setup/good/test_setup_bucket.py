"""SCP205 mock-decorated-setup, fixed: decorate the class, or start in ``setUp`` and register the stop.

moto's class decorator wraps ``setUp`` with ``reset=True, remove_data=False`` and each test with
``reset=False``: the test sees what its ``setUp`` created. A mock started in ``setUp`` with its
stop handed to ``addCleanup`` stays active until the test is over.
"""

import unittest

import boto3
from moto import mock_aws


@mock_aws
class TestSetUpBucket(unittest.TestCase):
    def setUp(self):
        self.s3 = boto3.client("s3", region_name="us-east-1")
        self.s3.create_bucket(Bucket="setup-bucket")

    def test_decorated_test_sees_the_setup_bucket(self):
        names = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        self.assertEqual(names, ["setup-bucket"])


class TestStartedInSetUp(unittest.TestCase):
    def setUp(self):
        self.mock = mock_aws()
        self.mock.start()
        self.addCleanup(self.mock.stop)
        self.s3 = boto3.client("s3", region_name="us-east-1")
        self.s3.create_bucket(Bucket="setup-bucket")

    def test_plain_test_sees_the_setup_bucket(self):
        names = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        self.assertEqual(names, ["setup-bucket"])
