"""Lesson 8, module b: the session's instance is still the same, and so is its moto state."""

from __future__ import annotations

from typing import Any

from fixtures_demo.support import bucket_names


def test_another_module_sees_everything_module_a_made(s3_per_session: Any) -> None:
    assert bucket_names(s3_per_session) == ["lesson8-from-inner-mock", "lesson8-from-module-a"]


def test_objects_written_here_would_be_seen_by_every_later_test(s3_per_session: Any) -> None:
    s3_per_session.put_object(Bucket="lesson8-from-module-a", Key="last.txt", Body=b"b")
    keys = s3_per_session.list_objects_v2(Bucket="lesson8-from-module-a")["Contents"]
    assert [key["Key"] for key in keys] == ["last.txt"]
