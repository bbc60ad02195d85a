"""Lesson 0: the `aws_credentials` fixture, done right.

Every other lesson leans on this one, so read it first. The fixture lives in
fixtures_demo/conftest.py; its recipe is `fake_aws_environment` in fixtures_demo/support.py.

What to watch:
* On a developer's laptop, botocore reads ~/.aws/config and ~/.aws/credentials, and
  AWS_PROFILE picks a profile there. That profile can bring a region, real keys and even
  an `endpoint_url` (LocalStack users have one), which sends requests past moto: moto only
  answers URLs that end in amazonaws.com. `developer_machine` below builds such a laptop.
* `aws_credentials` sets fake keys and a region, points AWS_CONFIG_FILE and
  AWS_SHARED_CREDENTIALS_FILE at files that do not exist, and drops AWS_PROFILE and
  AWS_ENDPOINT_URL*. The laptop's setup then cannot leak in.
* It uses `monkeypatch`, so the old environment comes back after each test. The moto docs'
  version writes os.environ and never restores it, which lets later tests pass by accident.
* While a mock is active, moto puts its own keys (FOOBARKEY) in the environment and puts
  back whatever it found when the mock stops.
* Clients name their region. moto never sets one, so a client without `region_name` works
  only where AWS_DEFAULT_REGION happens to be set.
"""

from __future__ import annotations

import os
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from fixtures_demo.support import fake_aws_environment

_DEVELOPER_CONFIG = """\
[profile work]
region = eu-north-1
endpoint_url = http://localhost:4566
"""

_DEVELOPER_CREDENTIALS = """\
[work]
aws_access_key_id = developer-key
aws_secret_access_key = developer-secret
"""


@pytest.fixture
def developer_machine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Pretend to be a laptop: a `work` profile in ~/.aws with a region and a LocalStack URL."""
    home = tmp_path / "home"
    aws_dir = home / ".aws"
    aws_dir.mkdir(parents=True)
    (aws_dir / "config").write_text(_DEVELOPER_CONFIG)
    (aws_dir / "credentials").write_text(_DEVELOPER_CREDENTIALS)
    monkeypatch.setenv("HOME", str(home))
    # Whatever this machine or CI exported must not hide the laptop's files.
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_PROFILE", "work")
    return home


def test_without_aws_credentials_the_developers_profile_leaks_in(developer_machine: Path) -> None:
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        # Requests from this client would go to LocalStack, and moto would never see them.
        assert s3.meta.endpoint_url == "http://localhost:4566"
    # Outside the mock, a plain session picks up the profile's region and real-looking keys.
    session = boto3.session.Session()
    assert session.region_name == "eu-north-1"
    credentials = session.get_credentials()
    assert credentials is not None
    assert credentials.access_key == "developer-key"


def test_aws_credentials_shuts_the_developers_profile_out(
    developer_machine: Path, aws_credentials: None
) -> None:
    # Same laptop; `aws_credentials` comes after `developer_machine`, so it wins.
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        assert s3.meta.endpoint_url == "https://s3.amazonaws.com"
        assert s3.list_buckets()["Buckets"] == []
    session = boto3.session.Session()
    assert session.region_name == "us-east-1"
    credentials = session.get_credentials()
    assert credentials is not None
    assert credentials.access_key == "testing"


def test_moto_swaps_in_its_own_keys_while_a_mock_is_active_and_puts_ours_back(
    aws_credentials: None,
) -> None:
    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
    with mock_aws():
        assert os.environ["AWS_ACCESS_KEY_ID"] == "FOOBARKEY"
    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"


def test_monkeypatch_puts_the_old_environment_back_when_it_is_undone(tmp_path: Path) -> None:
    # This is what happens to `aws_credentials` when its test ends.
    before = dict(os.environ)
    with pytest.MonkeyPatch.context() as mp:
        fake_aws_environment(mp, tmp_path)
        assert os.environ["AWS_SECRET_ACCESS_KEY"] == "testing"
        assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
        assert not Path(os.environ["AWS_CONFIG_FILE"]).exists()
        assert not Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"]).exists()
    assert dict(os.environ) == before


def test_a_client_that_names_its_region_needs_no_aws_default_region(
    aws_credentials: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with mock_aws():
        sqs = boto3.client("sqs", region_name="eu-west-1")
        queue_url = sqs.create_queue(QueueName="lesson0-queue")["QueueUrl"]
        assert sqs.list_queues()["QueueUrls"] == [queue_url]
