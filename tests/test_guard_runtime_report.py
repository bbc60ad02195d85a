"""`scopecheck --runtime-report`: static findings against a guard report (no pytest run here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scopecheck.cli import main

SOURCE = """\
import boto3
from moto import mock_aws

s3 = boto3.client("s3", region_name="us-east-1")


def test_before_mock():
    c = boto3.client("s3", region_name="us-east-1")
    with mock_aws():
        c.list_buckets()


def test_leak():
    mock_aws().start()
"""


def report(tmp_path: Path, events: list[dict], clients: list[dict]) -> str:
    path = tmp_path / "guard.json"
    path.write_text(json.dumps({"version": 1, "rootdir": str(tmp_path), "events": events, "clients": clients}))
    return str(path)


def event(kind: str, code: str | None, line: int, path: str = "test_a.py") -> dict:
    return {"kind": kind, "code": code, "nodeid": f"{path}::t", "path": path, "line": line, "message": "m"}


def test_confirmed_refuted_unexercised_and_unpredicted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "test_a.py").write_text(SOURCE)
    (tmp_path / "pyproject.toml").write_text("")
    monkeypatch.chdir(tmp_path)
    events = [event("request-escaped", "SCP101", 4), event("env-leak", "SCP303", 20, "conftest.py")]
    clients = [{"path": "test_a.py", "line": 4, "chain": ["test_a.py:4"]}, {"path": "test_a.py", "line": 8}]
    with pytest.raises(SystemExit) as stop:
        main(["--no-cache", "--runtime-report", report(tmp_path, events, clients), "test_a.py"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == (
        "runtime cross-check: 1 confirmed, 1 refuted, 1 not exercised, 1 runtime causes unpredicted\n"
        "confirmed:\n"
        "  test_a.py:4 SCP101 (request-escaped in 1 test)\n"
        "refuted:\n"
        "  test_a.py:8 SCP102 (ran, no hazard)\n"
        "not exercised:\n"
        "  test_a.py:14 SCP203\n"
        "unpredicted:\n"
        "  conftest.py:20 SCP303 env-leak\n"
    )


def test_a_file_that_is_not_a_guard_report_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"version": 2}')
    (tmp_path / "test_a.py").write_text("")
    with pytest.raises(SystemExit) as stop:
        main(["--no-cache", "--runtime-report", str(bad), str(tmp_path)])
    assert stop.value.code == 2
    assert "is not a scopecheck guard report (version 1)" in capsys.readouterr().err
