"""Lesson 4, module b: same package, same fixture instance, so module a's state is here."""

from __future__ import annotations

from typing import Any

from fixtures_demo.support import bucket_names


def test_a_bucket_from_the_other_module_is_still_here(s3_per_package: Any) -> None:
    assert bucket_names(s3_per_package) == ["lesson4-from-module-a"]


def test_so_is_the_object_module_a_wrote(s3_per_package: Any) -> None:
    body = s3_per_package.get_object(Bucket="lesson4-from-module-a", Key="note.txt")["Body"]
    assert body.read() == b"from a"
