"""Fixtures for lesson 8, and the hook that keeps its session-wide mock away from other tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from fixtures_demo.support import fake_aws_env

LESSON_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run this package's tests after every other test of the run.

    `s3_per_session` keeps moto on until the run ends. Any test after it would run inside
    that mock, where its own function-scoped mock no longer starts fresh (see
    test_a_first_module.py). trylast: other plugins' reordering happens first.
    """
    mine = [item for item in items if LESSON_DIR in item.path.parents]
    others = [item for item in items if LESSON_DIR not in item.path.parents]
    items[:] = others + mine


@pytest.fixture(scope="session")
def s3_per_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with fake_aws_env(tmp_path_factory.mktemp("no-aws-files")), mock_aws():
        yield boto3.client("s3", region_name="us-east-1")


@pytest.fixture
def s3_with_its_own_mock(s3_per_session: Any, aws_credentials: None) -> Iterator[Any]:
    """Lesson 1's fixture, word for word, except that it runs while the session mock is on."""
    with mock_aws():  # noqa: SCP301 - nested on purpose: the session mock is already active
        yield boto3.client("s3", region_name="us-east-1")
