"""Lesson 00: the article, line by line ("Mocks with moto", arrrrrmin.netlify.app/posts/moto_mocks/).

The article mocks AWS Transcribe for a pytest suite: a test decorated with moto 4's
`@mock_transcribe` starts a transcription job and reads it back with `get_transcription_job`;
then it moves the mock into conftest.py fixtures with a scope, and warns about clients created
outside the mock. This file is its test in moto 5 form, then one test per claim; the claims
table in fixtures_demo/README.md gives each verdict on moto 4 and on moto 5.

What changed for moto 5 (`scopecheck --fix` makes the first change: test_d_the_fix.py):
* `from moto import mock_transcribe` -> `from moto import mock_aws`; moto 5 has one mock for
  every service, and the old name is an ImportError at collection (pitfalls/SCP401).
* `response.TranscriptionJob` -> `response["TranscriptionJob"]`: boto3 answers with a dict,
  so the attribute form raises AttributeError on every moto version (moto4/ shows it).

Watch in the timeline: the article's test has no fixture row, only its own short
"moto active" bar; the package-scoped `transcribe` mock of test_b and test_c comes later.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError
from moto import mock_aws

from fixtures_demo.test_00_the_article.conftest import start_job

JOB = "lesson00-article-job"


@mock_aws
def test_the_articles_job_is_started_and_read_back() -> None:
    # The client is built inside the mock (the decorator is on while the body runs), with a region.
    client = boto3.client("transcribe", region_name="eu-central-1")
    start_job(client, JOB, "en-US")

    response = client.get_transcription_job(TranscriptionJobName=JOB)

    job = response["TranscriptionJob"]  # the article: response.TranscriptionJob
    assert job["TranscriptionJobName"] == JOB
    assert job["LanguageCode"] == "en-US"
    assert job["Media"] == {"MediaFileUri": f"s3://lesson00-media/{JOB}.wav"}


# -- claim 1: "the mock must start before the client is created" -----------------------------


def test_claim_1_a_client_created_before_the_mock(ci_env: str, offline_network: list[str]) -> None:
    """True in noenv, harmless in fakeenv, on moto 5 (moto 4: the same, see moto4/).

    boto3 looks the credentials up when the client is created. Before the mock there are none
    in noenv: botocore probes the instance-metadata address (offline here; on an EC2 runner it
    would find the machine's real role) and the client keeps no keys, so its first call inside
    the mock fails. With fake keys in the environment the client keeps those, and moto, which
    patches botocore for every client once it is imported, serves the call."""
    client = boto3.client("transcribe", region_name="eu-central-1")  # noqa: SCP102 - on purpose: the article's claim 1
    with mock_aws():
        if ci_env == "noenv":
            with pytest.raises(NoCredentialsError):
                client.list_transcription_jobs()
            assert set(offline_network) == {"169.254.169.254"}
        else:
            assert client.list_transcription_jobs()["TranscriptionJobSummaries"] == []
            assert offline_network == []


def test_claim_1_a_client_created_inside_the_mock(ci_env: str, offline_network: list[str]) -> None:
    """The fix: inside the mock, moto's own fake keys are in the environment, in both CIs."""
    with mock_aws():
        client = boto3.client("transcribe", region_name="eu-central-1")
        assert client.list_transcription_jobs()["TranscriptionJobSummaries"] == []
    assert offline_network == []


# -- claim 2: "mocking again inside a test that uses a mocked fixture starts a new mock session" --


@pytest.fixture
def mocked_transcribe(aws_credentials: None) -> Iterator[Any]:
    """The article's mocked fixture: a mock, a client inside it, and a job started."""
    with mock_aws():
        client = boto3.client("transcribe", region_name="eu-central-1")
        start_job(client, JOB, "en-US")
        yield client


def test_claim_2_mocking_again_inside_the_test_keeps_the_fixtures_job(mocked_transcribe: Any) -> None:
    """False on moto 5: a mock started while another is on resets nothing (moto counts the
    nesting and resets only when the outermost mock starts). True on moto 4.2.14, where every
    start reset the backends: moto4/test_article_moto4.py shows the job gone there."""
    with mock_aws():  # noqa: SCP301 - nested on purpose: the article's "mocking again"
        job = mocked_transcribe.get_transcription_job(TranscriptionJobName=JOB)["TranscriptionJob"]
        assert job["TranscriptionJobName"] == JOB
    # The inner mock's end ends nothing either: the fixture's mock is still on.
    job = mocked_transcribe.get_transcription_job(TranscriptionJobName=JOB)["TranscriptionJob"]
    assert job["LanguageCode"] == "en-US"


# -- claim 4: "the client created outside the mock hits the real endpoint in GitHub Actions" ----


def test_claim_4_a_call_outside_any_mock(ci_env: str, offline_network: list[str]) -> None:
    """Only a *call* made outside the mock leaves the process, and only with keys at hand.

    fakeenv: the request is signed with the fake keys and sent to the real endpoint's name
    (on GitHub Actions, with network, it reaches AWS, which refuses the fake key; here the
    offline machine ends it with EndpointConnectionError). noenv: nothing is sent to
    Transcribe; the credential probe of instance metadata is the only traffic, then
    NoCredentialsError."""
    client = boto3.client("transcribe", region_name="eu-central-1")
    if ci_env == "noenv":
        with pytest.raises(NoCredentialsError):
            client.list_transcription_jobs()
        assert set(offline_network) == {"169.254.169.254"}
    else:
        with pytest.raises(EndpointConnectionError, match="transcribe.eu-central-1.amazonaws.com"):
            client.list_transcription_jobs()
        assert set(offline_network) == {"transcribe.eu-central-1.amazonaws.com"}


def test_claim_4_a_client_created_outside_but_called_inside_stays_local(offline_network: list[str]) -> None:
    """Created outside, called inside: moto serves it (fake keys given), nothing leaves."""
    client = boto3.session.Session(  # noqa: SCP102 - on purpose: the article's claim 4
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="eu-central-1"
    ).client("transcribe")
    with mock_aws():
        with pytest.raises(ClientError, match="BadRequestException"):
            client.get_transcription_job(TranscriptionJobName="no-such-job")
    assert offline_network == []
