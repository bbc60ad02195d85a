"""Lesson 1: function scope, a fresh moto for every test.

What to watch:
* `s3_per_test` has the default scope, "function": pytest runs it up to `yield` before each
  test, and the rest (leaving `with mock_aws()`) right after that test.
* moto empties all its backends when the outermost mock stops, so nothing one test creates
  is there in the next. Each test can assert on the exact state it sees.
* Each parametrized case is a test of its own, with its own fixture instance.
* The client is built inside the mock and handed over with `yield`. With `return` the mock
  would stop before the test even started (see pitfalls/).

In the timeline (`pytest fixtures_demo/test_1_function_scope.py`) every test has its own
short `s3_per_test` bar, and "moto active" switches off between tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from fixtures_demo.support import bucket_names


@pytest.fixture
def s3_per_test(aws_credentials: None) -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("s3", region_name="us-east-1")


def test_a_new_mock_starts_with_no_buckets(s3_per_test: Any) -> None:
    assert bucket_names(s3_per_test) == []
    s3_per_test.create_bucket(Bucket="lesson1-first-test")
    assert bucket_names(s3_per_test) == ["lesson1-first-test"]


def test_bucket_created_in_first_test_is_gone_in_the_second(s3_per_test: Any) -> None:
    assert bucket_names(s3_per_test) == []


@pytest.mark.parametrize("name", ["lesson1-case-a", "lesson1-case-b"])
def test_every_parametrized_case_starts_empty_too(s3_per_test: Any, name: str) -> None:
    assert bucket_names(s3_per_test) == []
    s3_per_test.create_bucket(Bucket=name)
    assert bucket_names(s3_per_test) == [name]


def test_within_one_test_the_state_is_all_there(s3_per_test: Any) -> None:
    s3_per_test.create_bucket(Bucket="lesson1-objects")
    s3_per_test.put_object(Bucket="lesson1-objects", Key="hello.txt", Body=b"hi")
    body = s3_per_test.get_object(Bucket="lesson1-objects", Key="hello.txt")["Body"].read()
    assert body == b"hi"


def test_a_second_mock_inside_the_test_does_not_reset_anything(s3_per_test: Any) -> None:
    # moto 5 counts nested mocks and resets only when the outermost one starts:
    # this inner `with` neither wipes the fixture's bucket nor takes its own away.
    s3_per_test.create_bucket(Bucket="lesson1-outer")
    with mock_aws():  # noqa: SCP301 - nested on purpose: this lesson shows moto 5 keeps the state
        assert bucket_names(s3_per_test) == ["lesson1-outer"]
        s3_per_test.create_bucket(Bucket="lesson1-inner")
    assert bucket_names(s3_per_test) == ["lesson1-inner", "lesson1-outer"]
