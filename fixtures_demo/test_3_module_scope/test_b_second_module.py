"""Lesson 3, module b: a new module, a new instance of the same fixture, a clean moto."""

from __future__ import annotations

from typing import Any

from fixtures_demo.support import bucket_names


def test_the_next_module_gets_a_new_mock_without_module_a_buckets(s3_per_module: Any) -> None:
    assert bucket_names(s3_per_module) == []
    s3_per_module.create_bucket(Bucket="lesson3-module-b")


def test_and_its_own_tests_share_only_what_this_module_made(s3_per_module: Any) -> None:
    assert bucket_names(s3_per_module) == ["lesson3-module-b"]
