"""Lesson 6: a test class decorated with `@mock_aws`.

What to watch:
* `@mock_aws` on a class wraps each plain method of it (names starting with "_" excepted).
  Every test method runs in a mock of its own, started when pytest calls the method and
  stopped when it returns. Methods share no state, just like lesson 1.
* With a `setup_method`, moto gives that a fresh mock and keeps its data for the test
  method that follows: every test sees exactly what `setup_method` made, and nothing more.
* The decorator starts the mock inside the method call, after pytest has set up the
  fixtures. So fixtures do not run under it, and fixture methods, `setup_class` and other
  classmethods or staticmethods of the class are not wrapped at all: they run unmocked
  (see pitfalls/). Keep AWS work in plain methods, or use a mock fixture instead.
* `setup_method` runs before the fixtures a test names, so it cannot rely on
  `aws_credentials` being requested by the test. The module-level autouse fixture below
  applies the fake environment first: autouse fixtures from the module come before the
  class's own setup.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
import pytest
from moto import mock_aws

from fixtures_demo.support import bucket_names


@pytest.fixture(autouse=True)
def fake_environment_first(aws_credentials: None) -> None:
    """Pull in `aws_credentials` before `setup_method` builds any client."""


@mock_aws
class TestEachMethodRunsInAMockOfItsOwn:
    def test_the_first_method_creates_a_bucket(self) -> None:
        s3 = boto3.client("s3", region_name="us-east-1")
        assert bucket_names(s3) == []
        s3.create_bucket(Bucket="lesson6-first-method")
        assert bucket_names(s3) == ["lesson6-first-method"]

    def test_the_next_method_starts_with_nothing(self) -> None:
        s3 = boto3.client("s3", region_name="us-east-1")
        assert bucket_names(s3) == []


@mock_aws
class TestSetupMethodRunsInAMockToo:
    s3: Any

    def setup_method(self, method: Any) -> None:
        # The fake environment is already in place (see the autouse fixture above).
        assert os.environ["AWS_SHARED_CREDENTIALS_FILE"].endswith("no-such-credentials")
        self.s3 = boto3.client("s3", region_name="us-east-1")
        self.s3.create_bucket(Bucket="lesson6-from-setup")

    def test_each_method_sees_what_setup_method_made(self) -> None:
        assert bucket_names(self.s3) == ["lesson6-from-setup"]
        self.s3.create_bucket(Bucket="lesson6-extra")

    def test_and_nothing_the_previous_method_added(self) -> None:
        assert bucket_names(self.s3) == ["lesson6-from-setup"]
