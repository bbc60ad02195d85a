"""Lesson 7, module a: the overrides from this folder's conftest.py apply."""

from __future__ import annotations

from typing import Any

from fixtures_demo.support import bucket_names


def test_the_top_level_s3_fixture_builds_its_client_in_the_overridden_region(s3: Any) -> None:
    assert s3.meta.region_name == "eu-west-1"


def test_the_overriding_s3_extends_the_parent_with_a_seeded_bucket(s3: Any) -> None:
    assert bucket_names(s3) == ["lesson7-seeded"]
    location = s3.get_bucket_location(Bucket="lesson7-seeded")["LocationConstraint"]
    assert location == "eu-west-1"
    s3.create_bucket(
        Bucket="lesson7-extra", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )


def test_overriding_changes_no_scope_so_the_next_test_gets_a_fresh_seed(s3: Any) -> None:
    assert bucket_names(s3) == ["lesson7-seeded"]
