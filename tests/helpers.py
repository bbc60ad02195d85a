"""Shared helpers for the test suite: lint a small tree of files and read expectations."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from scopecheck.config import Settings
from scopecheck.engine import LintRequest, lint
from scopecheck.findings import Finding

EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>SCP\d{3}(?:\s*,\s*SCP\d{3})*)")


def write_tree(root: Path, files: Mapping[str, str]) -> None:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")


def lint_tree(root: Path, *, moto_major: int = 5, paths: list[str] | None = None) -> list[Finding]:
    request = LintRequest(
        paths=paths or [str(root)],
        settings=Settings(base_dir=str(root)),
        select=["SCP"],
        ignore=[],
        moto_major=moto_major,
        project_root=str(root),
    )
    return lint(request).findings


def expected_markers(files: Mapping[str, str]) -> set[tuple[str, int, str]]:
    found = set()
    for name, source in files.items():
        for number, line in enumerate(source.splitlines(), start=1):
            match = EXPECT.search(line)
            if match:
                for code in re.split(r"\s*,\s*", match.group("codes")):
                    found.add((name, number, code))
    return found


def as_markers(root: Path, findings: list[Finding]) -> set[tuple[str, int, str]]:
    return {(Path(f.path).resolve().relative_to(root.resolve()).as_posix(), f.line, f.code) for f in findings}
