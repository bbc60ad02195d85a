"""Lesson 4, module a: creates state that module b will see."""

from __future__ import annotations

from typing import Any

from fixtures_demo.support import bucket_names


def test_the_first_test_of_the_package_finds_no_buckets(s3_per_package: Any) -> None:
    assert bucket_names(s3_per_package) == []
    s3_per_package.create_bucket(Bucket="lesson4-from-module-a")


def test_module_a_writes_an_object_into_it(s3_per_package: Any) -> None:
    s3_per_package.put_object(Bucket="lesson4-from-module-a", Key="note.txt", Body=b"from a")
