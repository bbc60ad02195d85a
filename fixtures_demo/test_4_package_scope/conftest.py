"""The package-scoped fixture for lesson 4: one instance for every module in this folder."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from fixtures_demo.support import fake_aws_env


@pytest.fixture(scope="package")
def s3_per_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with fake_aws_env(tmp_path_factory.mktemp("no-aws-files")), mock_aws():
        yield boto3.client("s3", region_name="us-east-1")
