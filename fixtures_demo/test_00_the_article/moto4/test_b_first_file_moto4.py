"""Claim 3 on moto 4: a package mock from conftest.py, used without mocking again."""

from __future__ import annotations

from typing import Any

from conftest import job_names, start_job


def test_claim_3_a_package_mock_from_conftest_without_mocking_again(transcribe: Any, module_job: str) -> None:
    assert job_names(transcribe) == ["module-job"]


def test_claim_3_and_the_next_test_of_the_module_shares_it(transcribe: Any, module_job: str) -> None:
    start_job(transcribe, "left-behind")
    assert job_names(transcribe) == ["left-behind", "module-job"]
