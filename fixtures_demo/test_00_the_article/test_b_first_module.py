"""Lesson 00, the article's conftest fixtures (claim 3: five scopes, five lifetimes), file 1 of 2.

No test here starts a mock or builds a client: they all come from conftest.py, as in the
article. What to watch: each test asserts the exact jobs moto holds, and so which fixture
instances are alive. A function job is new for every test, a class job for every class (and
for every test outside a class), a module job for every file; `transcribe`, the package's
mock, and `article_settings`, the session's value, are set up once (test_c checks).
Run the lesson whole: its tests share state on purpose.
"""

from __future__ import annotations

from typing import Any

from fixtures_demo.test_00_the_article.conftest import SETUPS, job_names


def test_the_package_mock_holds_only_this_modules_job(transcribe: Any, module_job: str) -> None:
    assert job_names(transcribe) == ["module-job-1"]
    assert SETUPS["session"] == SETUPS["package"] == SETUPS["module"] == 1


class TestFirstClass:
    def test_one_job_per_scope(self, transcribe: Any, test_job: str, class_job: str) -> None:
        assert job_names(transcribe) == ["class-job-1", "function-job-1", "module-job-1"]

    def test_a_new_function_job_the_same_class_job(self, transcribe: Any, test_job: str, class_job: str) -> None:
        # function-job-1 was deleted by its teardown after the previous test.
        assert job_names(transcribe) == ["class-job-1", "function-job-2", "module-job-1"]


class TestSecondClass:
    def test_the_next_class_gets_its_own_class_job(self, transcribe: Any, class_job: str) -> None:
        assert job_names(transcribe) == ["class-job-2", "module-job-1"]


def test_outside_a_class_a_class_fixture_lives_for_one_test(transcribe: Any, class_job: str) -> None:
    assert job_names(transcribe) == ["class-job-3", "module-job-1"]
