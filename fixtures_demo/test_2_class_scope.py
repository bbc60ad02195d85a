"""Lesson 2: class scope, one moto per test class.

What to watch:
* `s3_per_class` is built once, before the first test of a class that uses it, and torn
  down after the last test of that class. The methods of one class share one mock, so what
  one method creates, the next one sees. These tests depend on running in file order: that
  is what shared state costs.
* The next class gets a new instance: the bucket made in `TestFirstClass` is gone there.
* A class-scoped fixture cannot request `monkeypatch` or `aws_credentials` (function-scoped;
  pytest would raise ScopeMismatch), so it opens its own `MonkeyPatch.context()` through
  `fake_aws_env`, before the mock starts.
* A test function outside any class has no class to hang the fixture on, so pytest 9
  falls back to the test itself: there a class-scoped fixture lives for one test only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from fixtures_demo.support import bucket_names, fake_aws_env


@pytest.fixture(scope="class")
def s3_per_class(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with fake_aws_env(tmp_path_factory.mktemp("no-aws-files")), mock_aws():
        yield boto3.client("s3", region_name="us-east-1")


class TestFirstClass:
    def test_the_first_method_finds_no_buckets_and_creates_one(self, s3_per_class: Any) -> None:
        assert bucket_names(s3_per_class) == []
        s3_per_class.create_bucket(Bucket="lesson2-first-class")

    def test_the_second_method_still_sees_that_bucket(self, s3_per_class: Any) -> None:
        assert bucket_names(s3_per_class) == ["lesson2-first-class"]

    def test_every_method_gets_the_very_same_client(
        self, s3_per_class: Any, request: pytest.FixtureRequest
    ) -> None:
        # Same scope, same instance: `request` looks it up again and gets the same object.
        assert request.getfixturevalue("s3_per_class") is s3_per_class


class TestSecondClass:
    def test_a_new_class_gets_a_new_mock_with_no_buckets(self, s3_per_class: Any) -> None:
        assert bucket_names(s3_per_class) == []
        s3_per_class.create_bucket(Bucket="lesson2-second-class")

    def test_and_its_methods_share_only_their_own_bucket(self, s3_per_class: Any) -> None:
        assert bucket_names(s3_per_class) == ["lesson2-second-class"]


def test_a_function_outside_a_class_gets_an_instance_of_its_own(s3_per_class: Any) -> None:
    assert bucket_names(s3_per_class) == []
    s3_per_class.create_bucket(Bucket="lesson2-module-level")


def test_and_so_does_the_next_function_like_function_scope(s3_per_class: Any) -> None:
    assert bucket_names(s3_per_class) == []
