"""Another file: the package mock from conftest.py, still without mocking again (moto 4)."""

from __future__ import annotations

from typing import Any

from conftest import job_names


def test_claim_3_another_file_shares_the_package_mock(transcribe: Any, module_job: str) -> None:
    # A new module job; the job the other file left behind is still in the package's mock.
    assert job_names(transcribe) == ["left-behind", "module-job"]
