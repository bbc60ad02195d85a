"""SCP204 unmocked-class-hook, the hazard: ``setup_class`` in a ``@mock_aws`` class runs unmocked.

Why it breaks (moto 5.2.5): the class decorator (``MockAWS._decorate_class``) wraps only plain
functions of the class and explicitly skips classmethods and staticmethods. pytest calls
``setup_class`` with no mock active, so the client it builds has no moto credentials and no
moto backend behind it.

noenv: ``NoCredentialsError`` (error in setup). fakeenv: the request escapes to
``https://class-bucket.s3.amazonaws.com/`` (``EndpointConnectionError`` offline, error in setup).
"""

import boto3
from moto import mock_aws


@mock_aws
class TestClassBucket:
    @classmethod
    def setup_class(cls):  # expect: SCP204
        cls.s3 = boto3.client("s3", region_name="us-east-1")
        cls.s3.create_bucket(Bucket="class-bucket")

    def test_class_bucket_is_listed(self):
        assert [b["Name"] for b in self.s3.list_buckets()["Buckets"]] == ["class-bucket"]
