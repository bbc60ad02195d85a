"""SCP104 good: a helper's import-time ``boto3.Session()``, imported after moto, is served by moto.

In both CI environments: built after ``from moto import mock_aws``, the Session has moto's hook, and
its client resolves moto's fake credentials inside the mock. Nothing tries the network.
"""

# moto first, on purpose: sorted the other way, the helper's Session would be built before moto.
from moto import mock_aws  # noqa: I001

from helpers import make_queue


@mock_aws
def test_queue_is_served_by_moto():
    assert make_queue("jobs").endswith("/jobs")
