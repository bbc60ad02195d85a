"""The module-scoped fixture for lesson 3: one instance per test module in this package."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from fixtures_demo.support import fake_aws_env


@pytest.fixture(scope="module")
def s3_per_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    # `monkeypatch` is function-scoped, so the module opens its own environment patch.
    with fake_aws_env(tmp_path_factory.mktemp("no-aws-files")), mock_aws():
        yield boto3.client("s3", region_name="us-east-1")
