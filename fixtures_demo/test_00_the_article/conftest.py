"""The article's conftest.py, in moto 5 form: one fixture per scope, used by two test files
that never start a mock of their own.

The article keeps its mock in a conftest fixture and lets tests in other files request it.
This file does the same, with one fixture for each of pytest's five scopes, so that
test_b_first_module.py and test_c_second_module.py can show how long each one lives:

* session  `article_settings`: the region and language; one value for the whole run. It holds
  no mock: a session-wide mock would stay on under every later lesson (lesson 8 shows why).
* package  `transcribe`: fake environment, mock and client, in that order; one for this lesson
  package, so both files see the same moto state.
* module   `module_job`, class `class_job`, function `test_job`: a transcription job each,
  started in setup and deleted in teardown, so the jobs a test sees tell which instances live.

`SETUPS` counts how often each scope's fixture was set up: the tests assert those counts.
"""

from __future__ import annotations

import errno
import socket
from collections import Counter
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from fixtures_demo.support import fake_aws_env, fake_aws_environment

# moto4/ is the moto 4 counterpart (`mock_transcribe`): it cannot import on moto 5.
# `python -m fixtures_demo.moto4` runs it in a throwaway moto 4.2.14 virtualenv.
collect_ignore = ["moto4"]

SETUPS: Counter[str] = Counter()


def start_job(client: Any, name: str, language: str) -> None:
    client.start_transcription_job(
        TranscriptionJobName=name,
        LanguageCode=language,
        Media={"MediaFileUri": f"s3://lesson00-media/{name}.wav"},
    )


def job_names(client: Any) -> list[str]:
    """The names of every transcription job the mocked Transcribe holds now, sorted."""
    return sorted(job["TranscriptionJobName"] for job in client.list_transcription_jobs()["TranscriptionJobSummaries"])


@pytest.fixture(scope="session")
def article_settings() -> dict[str, str]:
    SETUPS["session"] += 1
    return {"region": "eu-central-1", "language": "en-US"}


@pytest.fixture(scope="package")
def transcribe(article_settings: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Environment first, then the mock, then the client inside it; `yield` keeps all three."""
    SETUPS["package"] += 1
    with fake_aws_env(tmp_path_factory.mktemp("no-aws-files")), mock_aws():
        yield boto3.client("transcribe", region_name=article_settings["region"])


def _job(client: Any, scope: str, language: str) -> Iterator[str]:
    SETUPS[scope] += 1
    name = f"{scope}-job-{SETUPS[scope]}"
    start_job(client, name, language)
    yield name
    client.delete_transcription_job(TranscriptionJobName=name)


@pytest.fixture(scope="module")
def module_job(transcribe: Any, article_settings: dict[str, str]) -> Iterator[str]:
    yield from _job(transcribe, "module", article_settings["language"])


@pytest.fixture(scope="class")
def class_job(transcribe: Any, article_settings: dict[str, str]) -> Iterator[str]:
    yield from _job(transcribe, "class", article_settings["language"])


@pytest.fixture
def test_job(transcribe: Any, article_settings: dict[str, str]) -> Iterator[str]:
    yield from _job(transcribe, "function", article_settings["language"])


# -- for the claims in test_a_the_article.py ------------------------------------------------


@pytest.fixture(params=["noenv", "fakeenv"])
def ci_env(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> str:
    """The two CI environments, whatever this run's own environment is: `noenv` has no AWS
    variable at all (GitHub Actions out of the box), `fakeenv` the usual fake keys and region.

    boto3's default session caches the first credentials it finds, so it starts fresh here:
    otherwise a test that ran earlier in fakeenv would lend its keys to a noenv test."""
    fake_aws_environment(monkeypatch, tmp_path)
    if request.param == "noenv":
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION"):
            monkeypatch.delenv(name)
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    return str(request.param)


@pytest.fixture
def offline_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A CI machine without network, which also writes down every host a test tried to reach.

    Name look-ups and connections to anything but loopback fail at once with the OSError an
    offline machine gives (botocore turns it into EndpointConnectionError), so no request can
    leave, and the returned list says where requests were going."""
    tried: list[str] = []
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect
    loopback = {"localhost", "127.0.0.1", "::1"}

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host in loopback or host is None:
            return real_getaddrinfo(host, *args, **kwargs)
        tried.append(str(host))
        raise socket.gaierror(socket.EAI_NONAME, f"offline: {host}")

    def connect(sock: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else None
        if sock.family == getattr(socket, "AF_UNIX", None) or host in loopback:
            return real_connect(sock, address)
        tried.append(str(host))
        raise OSError(errno.ENETUNREACH, f"offline: {host}")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return tried
