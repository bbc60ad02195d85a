"""SCP102 client-before-mock, the hazard: the client is built before the mock starts.

Why it breaks (moto 5.2.5): botocore resolves credentials when the client is built
(``session.create_client``), not when a request is made. Built before ``with mock_aws()``, the
client never sees moto's fake credentials (``moto/core/models.py`` ``_mock_env_variables``), and
requests are signed (``botocore/auth.py``) before moto's hook runs on ``before-send``.

noenv: ``NoCredentialsError: Unable to locate credentials``. fakeenv: passes (the exported
credentials sign the request, then moto serves it). Environment-dependent: green on a laptop
with credentials, red in a clean CI.
"""

import boto3
from moto import mock_aws


def test_upload_lands_in_the_bucket():
    s3 = boto3.client("s3", region_name="us-east-1")  # expect: SCP102
    with mock_aws():
        s3.create_bucket(Bucket="uploads")
        s3.put_object(Bucket="uploads", Key="a.txt", Body=b"hi")
        assert s3.get_object(Bucket="uploads", Key="a.txt")["Body"].read() == b"hi"
