"""Lesson 3, module a: these tests share one mock, and each depends on the ones before it."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from fixtures_demo.support import bucket_names, make_bucket


def test_the_first_test_of_the_module_finds_no_buckets(s3_per_module: Any) -> None:
    assert bucket_names(s3_per_module) == []
    s3_per_module.create_bucket(Bucket="lesson3-module-a")


def test_a_later_test_of_the_same_module_still_sees_that_bucket(s3_per_module: Any) -> None:
    assert bucket_names(s3_per_module) == ["lesson3-module-a"]


def test_creating_it_again_in_us_east_1_silently_succeeds(s3_per_module: Any) -> None:
    s3_per_module.create_bucket(Bucket="lesson3-module-a")
    assert bucket_names(s3_per_module) == ["lesson3-module-a"]


def test_a_test_that_creates_a_bucket_in_eu_west_1_passes(s3_per_module: Any) -> None:
    # A second client, built while the module's mock is on: it shares the same moto state.
    eu = boto3.client("s3", region_name="eu-west-1")
    make_bucket(eu, "lesson3-eu")
    assert bucket_names(eu) == ["lesson3-eu", "lesson3-module-a"]


def test_the_same_setup_fails_in_the_next_test_because_the_bucket_is_still_there(
    s3_per_module: Any,
) -> None:
    eu = boto3.client("s3", region_name="eu-west-1")
    with pytest.raises(ClientError, match="BucketAlreadyOwnedByYou"):
        make_bucket(eu, "lesson3-eu")
