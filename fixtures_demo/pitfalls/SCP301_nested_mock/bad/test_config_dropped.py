"""SCP301 nested-mock, the one nesting that is not harmless on moto 5: a plain ``@mock_aws``
under a mock started with ``config=``.

moto 5.2.5: every ``MockAWS.start()`` applies its instance's config (``models.py``: a
``patch.dict`` of ``default_user_config`` prepared in ``__init__``). The decorator's instance was
made when this module was imported, from moto's defaults, so starting it puts the default config
back over the fixture's ``service_whitelist``: SQS is no longer refused, and the test fails with
``DID NOT RAISE``.
"""

import boto3
import pytest
from moto import mock_aws
from moto.core.exceptions import ServiceNotWhitelisted


@pytest.fixture(autouse=True)
def only_s3():
    with mock_aws(config={"core": {"service_whitelist": ["s3"]}}):
        yield


@mock_aws  # expect: SCP301
def test_sqs_is_still_refused():
    with pytest.raises(ServiceNotWhitelisted):
        boto3.client("sqs", region_name="us-east-1").list_queues()
