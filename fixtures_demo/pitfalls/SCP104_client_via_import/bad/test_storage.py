"""SCP104 client-via-import, the hazard: the test imports app code that builds a client at import.

Why it breaks (moto 5.2.5): ``app.storage`` builds its client while this module is collected,
before ``from moto import mock_aws`` (isort puts ``app`` first here). moto's botocore hook is
added to ``botocore.handlers.BUILTIN_HANDLERS`` only when moto is first imported, and the client
copied the handler list when it was built; its credentials were resolved then, too. ``@mock_aws``
on the test cannot reach that client.

noenv: ``NoCredentialsError``. fakeenv: the app's request escapes to
``https://s3.amazonaws.com/`` (``EndpointConnectionError`` offline).

scopecheck reports the cause once, at ``app/storage.py``'s client line (linted with this folder);
linting only this file, it would report this import statement, naming ``app/storage.py:7``.
"""

import boto3
from app.storage import bucket_names
from moto import mock_aws


@mock_aws
def test_bucket_names_lists_the_new_bucket():
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="invoices")
    assert bucket_names() == ["invoices"]
