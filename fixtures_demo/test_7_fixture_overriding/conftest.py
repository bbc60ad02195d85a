"""Overrides for lesson 7: a different region, and an `s3` that extends the top-level one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fixtures_demo.support import make_bucket


@pytest.fixture
def aws_region() -> str:
    return "eu-west-1"


@pytest.fixture
def s3(s3: Any) -> Iterator[Any]:
    # `s3` here is the parent fixture from fixtures_demo/conftest.py, mock already on.
    make_bucket(s3, "lesson7-seeded")
    yield s3
