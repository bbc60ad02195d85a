"""The article's claims on moto 4.2.14: each test passes when the claim's moto 4 verdict holds.

Run: `python -m fixtures_demo.moto4` (throwaway virtualenv, both CI environments).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError
from conftest import REGION, job_names, start_job
from moto import mock_transcribe  # noqa: SCP401 - the moto 4 counterpart, run on moto 4.2.14


@mock_transcribe
def test_the_articles_test_as_written_stops_at_the_attribute() -> None:
    client = boto3.client("transcribe", region_name=REGION)
    start_job(client, "article-job")
    response = client.get_transcription_job(TranscriptionJobName="article-job")
    with pytest.raises(AttributeError, match="'dict' object has no attribute 'TranscriptionJob'"):
        response.TranscriptionJob  # noqa: B018 - the article's line
    assert response["TranscriptionJob"]["TranscriptionJobName"] == "article-job"


def test_claim_1_a_client_created_before_the_mock(ci_env: str, offline_network: list[str]) -> None:
    client = boto3.client("transcribe", region_name=REGION)  # noqa: SCP102 - on purpose: the article's claim 1
    with mock_transcribe():
        if ci_env == "noenv":
            with pytest.raises(NoCredentialsError):
                client.list_transcription_jobs()
            assert set(offline_network) == {"169.254.169.254"}
        else:
            assert client.list_transcription_jobs()["TranscriptionJobSummaries"] == []
            assert offline_network == []


@pytest.fixture
def mocked_transcribe(ci_env: str) -> Iterator[Any]:
    with mock_transcribe():
        client = boto3.client("transcribe", region_name=REGION)
        start_job(client, "fixture-job")
        yield client


def test_claim_2_mocking_again_inside_the_test_wipes_the_fixtures_job(mocked_transcribe: Any) -> None:
    assert job_names(mocked_transcribe) == ["fixture-job"]
    with mock_transcribe():  # moto 4: this start resets every backend
        with pytest.raises(ClientError, match="BadRequestException"):
            mocked_transcribe.get_transcription_job(TranscriptionJobName="fixture-job")
        assert job_names(mocked_transcribe) == []


def test_claim_4_a_call_outside_any_mock(ci_env: str, offline_network: list[str]) -> None:
    client = boto3.client("transcribe", region_name=REGION)
    if ci_env == "noenv":
        with pytest.raises(NoCredentialsError):
            client.list_transcription_jobs()
        assert set(offline_network) == {"169.254.169.254"}
    else:
        with pytest.raises(EndpointConnectionError, match="transcribe.eu-central-1.amazonaws.com"):
            client.list_transcription_jobs()
        assert set(offline_network) == {"transcribe.eu-central-1.amazonaws.com"}
