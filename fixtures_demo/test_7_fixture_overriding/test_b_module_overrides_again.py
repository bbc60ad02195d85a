"""Lesson 7, module b: a fixture in the test module beats every conftest.py, and
`parametrize` on a fixture's name beats the module."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def aws_region() -> str:
    return "ap-southeast-2"


def test_a_fixture_in_the_module_beats_the_conftest_one(s3: Any, aws_region: str) -> None:
    assert aws_region == "ap-southeast-2"
    assert s3.meta.region_name == "ap-southeast-2"


def test_the_conftest_s3_still_seeds_its_bucket_in_that_region(s3: Any) -> None:
    location = s3.get_bucket_location(Bucket="lesson7-seeded")["LocationConstraint"]
    assert location == "ap-southeast-2"


@pytest.mark.parametrize("aws_region", ["sa-east-1"])
def test_parametrizing_the_fixture_name_overrides_it_for_one_test(s3: Any, aws_region: str) -> None:
    # The test names aws_region too: pytest < 9 only parametrizes names the test function takes.
    assert s3.meta.region_name == aws_region == "sa-east-1"
