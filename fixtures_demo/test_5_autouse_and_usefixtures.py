"""Lesson 5: autouse fixtures and `usefixtures`, fixtures a test never receives as a value.

Both use the function-scoped `s3` from fixtures_demo/conftest.py, or a fixture like it.

What to watch:
* An autouse fixture runs for every test that can see it, without being named. Here it is
  defined inside `TestAnAutouseFixture`, so it covers exactly that class. `seed_bucket` puts
  a bucket into each test's fresh mock; because it requests `s3`, even a test that names no
  fixture at all runs with moto on. That is powerful, and easy to forget when reading a test.
* Outside the class the autouse fixture does not apply: no seed.
* `@pytest.mark.usefixtures("moto_on")` runs a fixture for its effect, not its value. It can
  mark one test, a class, or a whole module (`pytestmark = pytest.mark.usefixtures(...)`).
  `moto_on` holds a mock open and yields nothing; the test builds its own client, which is
  fine because the mock is already on when the test body runs.
* Neither changes any lifetime: the seed and the mock are still made again for every test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from fixtures_demo.support import bucket_names


@pytest.fixture
def moto_on(aws_credentials: None) -> Iterator[None]:
    """Keep a mock open for the test; the test builds its own clients inside it."""
    with mock_aws():
        yield


class TestAnAutouseFixture:
    @pytest.fixture(autouse=True)
    def seed_bucket(self, s3: Any) -> None:
        s3.create_bucket(Bucket="lesson5-seed")

    def test_every_test_in_the_class_starts_with_the_seeded_bucket(self, s3: Any) -> None:
        assert bucket_names(s3) == ["lesson5-seed"]
        s3.create_bucket(Bucket="lesson5-extra")

    def test_each_test_gets_a_new_seed_and_none_of_the_leftovers(self, s3: Any) -> None:
        assert bucket_names(s3) == ["lesson5-seed"]

    def test_even_a_test_that_names_no_fixture_runs_under_the_mock(self) -> None:
        client = boto3.client("s3", region_name="us-east-1")
        assert bucket_names(client) == ["lesson5-seed"]


def test_outside_the_class_the_autouse_fixture_does_not_apply(s3: Any) -> None:
    assert bucket_names(s3) == []


@pytest.mark.usefixtures("moto_on")
def test_usefixtures_turns_moto_on_for_a_test_that_builds_its_own_client() -> None:
    sqs = boto3.client("sqs", region_name="us-east-1")
    sqs.create_queue(QueueName="lesson5-queue")
    assert len(sqs.list_queues()["QueueUrls"]) == 1


@pytest.mark.usefixtures("moto_on")
class TestUsefixturesOnAWholeClass:
    def test_every_method_runs_under_the_mock(self) -> None:
        sqs = boto3.client("sqs", region_name="us-east-1")
        sqs.create_queue(QueueName="lesson5-class-queue")
        assert len(sqs.list_queues()["QueueUrls"]) == 1

    def test_and_each_method_gets_a_fresh_one(self) -> None:
        sqs = boto3.client("sqs", region_name="us-east-1")
        assert "QueueUrls" not in sqs.list_queues()
