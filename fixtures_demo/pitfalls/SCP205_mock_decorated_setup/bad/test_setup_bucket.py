"""SCP205 mock-decorated-setup, the hazard: ``setUp`` (or ``setup_method``) decorated with a mock.

Why it breaks (moto 5.2.5): the decorator's wrapper starts the mock, calls ``setUp`` and stops the
mock when ``setUp`` returns (``remove_data=True``), before the test runs. What ``setUp`` created
is gone, and the client it built keeps moto's fake credentials ``FOOBARKEY``. The same on moto
4.2.14 and 1.3.16 (there the test's own mock resets the backends when it starts).

noenv and fakeenv: the decorated test sees an empty backend (``Lists differ: [] !=
['setup-bucket']``); the plain test's request escapes to ``https://s3.amazonaws.com/``
(``EndpointConnectionError`` offline).
"""

import unittest

import boto3
from moto import mock_aws


class TestSetUpBucket(unittest.TestCase):
    @mock_aws  # expect: SCP205
    def setUp(self):
        self.s3 = boto3.client("s3", region_name="us-east-1")
        self.s3.create_bucket(Bucket="setup-bucket")

    @mock_aws
    def test_decorated_test_sees_the_setup_bucket(self):
        names = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        self.assertEqual(names, ["setup-bucket"])

    def test_plain_test_sees_the_setup_bucket(self):
        names = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        self.assertEqual(names, ["setup-bucket"])
