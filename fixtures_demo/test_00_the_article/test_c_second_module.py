"""Lesson 00, file 2 of 2: another test file uses the same conftest fixtures without mocking again.

What to watch: the module job is new (module-job-1 went with test_b's teardown), but the mock
is the same one: `transcribe` is package-scoped, set up once for both files, and
`article_settings` once for the whole run. A job a test starts without a fixture to delete it
stays for every later test of the package: that is what sharing a mock costs.
"""

from __future__ import annotations

from typing import Any

from fixtures_demo.test_00_the_article.conftest import SETUPS, job_names, start_job


def test_another_file_shares_the_package_mock(transcribe: Any, module_job: str) -> None:
    assert job_names(transcribe) == ["module-job-2"]
    assert dict(SETUPS) == {"session": 1, "package": 1, "module": 2, "class": 3, "function": 2}


def test_a_job_started_in_a_test_outlives_it(transcribe: Any, article_settings: dict[str, str]) -> None:
    start_job(transcribe, "lesson00-left-behind", article_settings["language"])
    assert job_names(transcribe) == ["lesson00-left-behind", "module-job-2"]


def test_so_the_next_test_still_sees_it(transcribe: Any) -> None:
    assert job_names(transcribe) == ["lesson00-left-behind", "module-job-2"]
