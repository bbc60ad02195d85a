"""The article's conftest.py as it ran on moto 4 (`mock_transcribe`), for the moto 4 run.

Not collected by the repository's pytest (moto 5 has no `mock_transcribe`). Run it with
`python -m fixtures_demo.moto4`, which copies this folder into a throwaway moto 4.2.14
virtualenv. Self-contained on purpose: nothing here imports fixtures_demo.
"""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_transcribe  # noqa: SCP401 - the moto 4 counterpart, run on moto 4.2.14

REGION = "eu-central-1"


def start_job(client: Any, name: str) -> None:
    client.start_transcription_job(
        TranscriptionJobName=name, LanguageCode="en-US", Media={"MediaFileUri": f"s3://lesson00-media/{name}.wav"}
    )


def job_names(client: Any) -> list[str]:
    return sorted(job["TranscriptionJobName"] for job in client.list_transcription_jobs()["TranscriptionJobSummaries"])


def _fake_env(mp: pytest.MonkeyPatch, nowhere: str, keys: bool) -> None:
    for name in list(os.environ):
        if name.startswith("AWS_"):
            mp.delenv(name)
    mp.setenv("AWS_CONFIG_FILE", os.path.join(nowhere, "no-such-config"))
    mp.setenv("AWS_SHARED_CREDENTIALS_FILE", os.path.join(nowhere, "no-such-credentials"))
    if keys:
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            mp.setenv(name, "testing")


@pytest.fixture(scope="package")
def transcribe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as mp:
        _fake_env(mp, str(tmp_path_factory.mktemp("no-aws-files")), keys=True)
        with mock_transcribe():
            yield boto3.client("transcribe", region_name=REGION)


@pytest.fixture(scope="module")
def module_job(transcribe: Any) -> Iterator[str]:
    start_job(transcribe, "module-job")
    yield "module-job"
    transcribe.delete_transcription_job(TranscriptionJobName="module-job")


@pytest.fixture(params=["noenv", "fakeenv"])
def ci_env(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> str:
    _fake_env(monkeypatch, str(tmp_path), keys=request.param == "fakeenv")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    return str(request.param)


@pytest.fixture
def offline_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No network, and a list of every host a test tried to reach (as in the moto 5 lesson)."""
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
