"""SCP301 nested-mock, not redundant: an inner mock with ``config=`` under an autouse mock.

moto 5.2.5: ``MockAWS.start()`` applies the instance's config (a ``patch.dict`` of moto's
``default_user_config``) on every start, nested or not, so the decorator's config takes effect
although the autouse fixture's mock is already active: the test sees AWS managed policies, which
a plain ``@mock_aws`` test under the same fixture does not. scopecheck never reports a configured
inner mock as removable (with ``--select ALL`` it stays silent here).
"""

import boto3
import pytest
from moto import mock_aws


@pytest.fixture(autouse=True)
def moto_everywhere():
    with mock_aws():
        yield


@mock_aws(config={"iam": {"load_aws_managed_policies": True}})
def test_configured_inner_mock_loads_managed_policies():
    iam = boto3.client("iam", region_name="us-east-1")
    names = [p["PolicyName"] for p in iam.list_policies(Scope="AWS", MaxItems=1000)["Policies"]]
    assert "AdministratorAccess" in names
