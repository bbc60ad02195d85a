"""Helpers shared by the lessons. Not a test module: pytest does not collect it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

FAKE_REGION = "us-east-1"

# Variables that would make botocore look past the fake credentials and region we set:
# a named profile (read from a config file, or ProfileNotFound when that file is gone)
# and endpoint overrides, which send requests to a URL moto does not intercept.
_LEAKY_VARIABLES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION")


def fake_aws_environment(mp: pytest.MonkeyPatch, nowhere: Path) -> None:
    """Give botocore fake credentials and one region, and hide the developer's ~/.aws.

    `nowhere` is a directory; the config and credentials files are pointed at names
    inside it that do not exist, so botocore reads no file at all. Every change goes
    through `mp`, so undoing `mp` puts the old environment back exactly.
    """
    for name in sorted(os.environ):
        if name in _LEAKY_VARIABLES or name.startswith("AWS_ENDPOINT_URL"):
            mp.delenv(name)
    mp.setenv("AWS_ACCESS_KEY_ID", "testing")
    mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    mp.setenv("AWS_SESSION_TOKEN", "testing")
    mp.setenv("AWS_DEFAULT_REGION", FAKE_REGION)
    mp.setenv("AWS_CONFIG_FILE", str(nowhere / "no-such-config"))
    mp.setenv("AWS_SHARED_CREDENTIALS_FILE", str(nowhere / "no-such-credentials"))


@contextmanager
def fake_aws_env(nowhere: Path) -> Iterator[None]:
    """`aws_credentials` for fixtures wider than one test.

    The `monkeypatch` fixture is function-scoped, so a class-, module-, package- or
    session-scoped fixture cannot request it (pytest raises ScopeMismatch). It opens its
    own `pytest.MonkeyPatch.context()` instead, which is undone when the block ends.
    Enter this *before* `mock_aws()`: moto saves and restores the credentials it finds,
    so the two must unwind in reverse order.
    """
    with pytest.MonkeyPatch.context() as mp:
        fake_aws_environment(mp, nowhere)
        yield


def bucket_names(s3: Any) -> list[str]:
    """The names of all buckets the mocked S3 holds right now, sorted."""
    return sorted(bucket["Name"] for bucket in s3.list_buckets()["Buckets"])


def make_bucket(s3: Any, name: str) -> None:
    """Create a bucket in the client's own region (outside us-east-1 S3 wants it spelled out)."""
    region = s3.meta.region_name
    if region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
