"""SCP203 is silent here: ``start()`` and ``stop()`` on two fresh instances balance moto's counter.

moto's nesting counter is class-wide on every version (``MockAWS._nested_count`` on moto 5,
``self.__class__.nested_count`` before; measured on 1.3.16, 2.3.2, 3.1.18, 4.2.14 and 5.2.5), so
the stop in ``tearDown`` ends the mock that ``setUp`` started: the next test starts from an empty
backend. Only the first instance's environment patch stays behind: after the stop
``AWS_ACCESS_KEY_ID`` is still moto's fake key (``foobar_key`` before moto 4).
"""

import os
import unittest

import boto3

try:
    from moto import mock_aws
except ImportError:  # moto < 5
    from moto import mock_s3 as mock_aws


def _counter():
    cls = type(mock_aws())
    return getattr(cls, "_nested_count", getattr(cls, "nested_count", None))


class TestFreshInstances(unittest.TestCase):
    def setUp(self):
        mock_aws().start()

    def tearDown(self):
        mock_aws().stop()
        assert _counter() == 0
        assert os.environ["AWS_ACCESS_KEY_ID"] in ("FOOBARKEY", "foobar_key")

    def test_first_bucket_is_the_only_one(self):
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="bucket-from-test-1")
        self.assertEqual([b["Name"] for b in s3.list_buckets()["Buckets"]], ["bucket-from-test-1"])

    def test_second_bucket_is_the_only_one(self):
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="bucket-from-test-2")
        self.assertEqual([b["Name"] for b in s3.list_buckets()["Buckets"]], ["bucket-from-test-2"])
