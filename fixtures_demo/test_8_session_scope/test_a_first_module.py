"""Lesson 8, module a: creates state in the session mock, then nests a function mock in it."""

from __future__ import annotations

from typing import Any

from fixtures_demo.support import bucket_names


def test_the_session_mock_starts_with_no_buckets(s3_per_session: Any) -> None:
    assert bucket_names(s3_per_session) == []
    s3_per_session.create_bucket(Bucket="lesson8-from-module-a")


def test_a_function_scoped_mock_inside_it_does_not_start_fresh(
    s3_with_its_own_mock: Any,
) -> None:
    assert bucket_names(s3_with_its_own_mock) == ["lesson8-from-module-a"]
    s3_with_its_own_mock.create_bucket(Bucket="lesson8-from-inner-mock")


def test_and_the_inner_mocks_bucket_outlives_the_inner_mock(s3_per_session: Any) -> None:
    assert bucket_names(s3_per_session) == ["lesson8-from-inner-mock", "lesson8-from-module-a"]
