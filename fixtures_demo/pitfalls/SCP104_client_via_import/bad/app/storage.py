"""Application code under test: one S3 client for the whole process, built at import time."""

from __future__ import annotations

import boto3

_s3 = boto3.client("s3", region_name="us-east-1")  # expect: SCP104


def bucket_names() -> list[str]:
    return [b["Name"] for b in _s3.list_buckets()["Buckets"]]
