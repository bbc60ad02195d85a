"""SCP101 client-at-import, the hazard: a boto3 client built when the test module is imported.

Why it breaks (moto 5.2.5):
* Credentials are resolved when a client is built (botocore ``session.create_client``), here at
  collection time, long before ``@mock_aws`` writes moto's fake ones (``moto/core/models.py``
  ``_mock_env_variables``). With no credentials the client keeps ``None`` and botocore refuses to
  sign later (``botocore/auth.py``: ``NoCredentialsError``), even inside the mock.
* The client is also built before ``from moto import ...``. moto adds its botocore hook to
  ``botocore.handlers.BUILTIN_HANDLERS`` when ``moto.core.models`` is first imported, and a client
  copies that list when it is built: this client never calls moto, so with credentials in the
  environment its request is signed and sent to AWS.

noenv: ``NoCredentialsError``. fakeenv: the request escapes to
``https://reports.s3.amazonaws.com/`` (``EndpointConnectionError`` offline).
"""

import boto3

s3 = boto3.client("s3", region_name="us-east-1")  # expect: SCP101

from moto import mock_aws


@mock_aws
def test_create_bucket_is_served_by_moto():
    s3.create_bucket(Bucket="reports")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["reports"]
