"""Application code under test: builds its S3 client when called, not when imported."""

from __future__ import annotations

import boto3


def bucket_names() -> list[str]:
    s3 = boto3.client("s3", region_name="us-east-1")
    return [b["Name"] for b in s3.list_buckets()["Buckets"]]
