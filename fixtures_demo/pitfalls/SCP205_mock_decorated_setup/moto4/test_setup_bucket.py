"""SCP205 on moto 4.2.14 (opt-in slow proof): ``setUp`` decorated with ``@mock_s3``.

The mock stops when ``setUp`` returns; the decorated test's own mock resets the backends when it
starts, so it sees no bucket (``Lists differ: [] != ['setup-bucket']``), and the plain test's
client, built inside the setUp mock with moto's fake key, sends its request to
``https://s3.amazonaws.com/`` (``EndpointConnectionError`` offline).
"""

import unittest

import boto3
from moto import mock_s3


class TestSetUpBucket(unittest.TestCase):
    @mock_s3
    def setUp(self):
        self.s3 = boto3.client("s3", region_name="us-east-1")
        self.s3.create_bucket(Bucket="setup-bucket")

    @mock_s3
    def test_decorated_test_sees_the_setup_bucket(self):
        names = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        self.assertEqual(names, ["setup-bucket"])

    def test_plain_test_sees_the_setup_bucket(self):
        names = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        self.assertEqual(names, ["setup-bucket"])
