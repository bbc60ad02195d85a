"""Lesson 00: `scopecheck --fix` turns the article's moto 4 test into the moto 5 one.

The article's test imports `mock_transcribe`, which moto 5 no longer has: collecting the file
fails with ImportError and no test runs (pitfalls/SCP401). scopecheck reports it as SCP401 and
its safe fix renames the import and the decorator to `mock_aws`; nothing else changes. The
`response.TranscriptionJob` line stays: it is a bug on every moto version, not a moto 5 change,
and test_a_the_article.py shows the line that works.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# The article's test, in its shape (job name ours).
ARTICLE = """\
import boto3
from moto import mock_transcribe


@mock_transcribe
def test_transcription_job():
    region_name = "eu-central-1"
    client = boto3.client("transcribe", region_name=region_name)
    job_name = "lesson00-article-job"
    args = {
        "TranscriptionJobName": job_name,
        "LanguageCode": "en-US",
        "Media": {"MediaFileUri": "s3://my-bucket/my-media-file.wav",},
    }
    client.start_transcription_job(**args)
    response = client.get_transcription_job(TranscriptionJobName=job_name)

    job = response.TranscriptionJob
    assert job["TranscriptionJobName"] == job_name
"""

FIXED = ARTICLE.replace("from moto import mock_transcribe", "from moto import mock_aws").replace(
    "@mock_transcribe", "@mock_aws"
)


def scopecheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # The installed scopecheck, in a child process (your venv has this worktree installed).
    command = [sys.executable, "-m", "scopecheck", "--no-cache", "--no-color", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def test_scopecheck_reports_the_removed_mock(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "test_article.py").write_text(ARTICLE, encoding="utf-8")
    run = scopecheck("--target-moto-version", "5", ".", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines() == [
        "test_article.py:2:1: SCP401 mock_transcribe: moto<5 API, `ImportError` at collection on moto 5; use mock_aws"
    ]


def test_scopecheck_fix_writes_the_moto_5_form(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    path = tmp_path / "test_article.py"
    path.write_text(ARTICLE, encoding="utf-8")
    run = scopecheck("--target-moto-version", "5", "--fix", ".", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == ""
    # The whole file: two lines changed, every other byte as the article wrote it.
    assert path.read_text(encoding="utf-8") == FIXED
    assert [line for line in FIXED.splitlines() if "mock_" in line] == ["from moto import mock_aws", "@mock_aws"]
    # And a second run finds nothing left to fix.
    again = scopecheck("--target-moto-version", "5", "--fix", ".", cwd=tmp_path)
    assert (again.returncode, again.stdout, path.read_text(encoding="utf-8")) == (0, "", FIXED)
