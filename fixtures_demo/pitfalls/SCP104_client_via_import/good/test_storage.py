"""SCP104 client-via-import, fixed: ``app.storage`` builds its client lazily, inside the call.

The test's ``@mock_aws`` is active when ``bucket_names()`` builds the client, so moto serves it.
(Other fixes: a cached factory such as ``functools.cache`` on a ``get_client()`` function, or
injecting the client.)
"""

import boto3
from app.storage import bucket_names
from moto import mock_aws


@mock_aws
def test_bucket_names_lists_the_new_bucket():
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="invoices")
    assert bucket_names() == ["invoices"]
