"""A test helper that builds a boto3 Session at import time, as a default argument value.

Harmless: the test module imports moto first, so the Session copies moto's botocore hook when it is
built, and a Session resolves credentials only when a client is made, here inside ``@mock_aws``
(moto-ground-truth case 14b; a real suite served 625 clients through such a default).
"""

from __future__ import annotations

import boto3


def make_queue(name: str, session: boto3.Session = boto3.Session(region_name="us-east-1")) -> str:  # noqa: B008
    return session.client("sqs").create_queue(QueueName=name)["QueueUrl"]
