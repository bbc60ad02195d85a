"""Every rule example's whole output, at every moto major: position, code, severity and the full
message, compared with the committed snapshot (as ruff's snapshot tests do). This pins what the
``# expect:`` markers cannot: wording, the parameters a message names (fixture, ``path:line``),
and severity and on/off by moto version.

After an intended change: ``SCOPECHECK_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_rule_snapshots.py``
and review the diff of tests/data/rule_example_findings.txt.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from scopecheck.rules import ALL_RULES
from scopecheck.rules.base import Example
from tests.helpers import example_settings, lint_tree, write_tree

SNAPSHOT = Path(__file__).parent / "data" / "rule_example_findings.txt"
MOTO_MAJORS = (1, 2, 3, 4, 5)


def _examples() -> Iterator[tuple[str, Example]]:
    for rule in ALL_RULES:
        for kind in ("bad", "good"):
            for index, example in enumerate(getattr(rule, kind)):
                yield f"{rule.code} {kind} {index}", example


def _render(root: Path, example: Example, moto_major: int) -> list[str]:
    before = os.getcwd()
    os.chdir(root)
    try:
        settings = example_settings(root, example)
        findings = lint_tree(root, moto_major=moto_major, paths=["."], select=["ALL"], settings=settings)
    finally:
        os.chdir(before)
    lines = []
    for f in sorted(findings, key=lambda f: (f.path, f.line, f.column, f.code, f.message)):
        where = f"{Path(f.path).as_posix()}:{f.line}:{f.column}-{f.location.end_line}:{f.location.end_column}"
        lines.append(f"  {where}: {f.code} {f.severity.name.lower()} {f.message}")
        lines += [f"    fix: {f.fix}"] if f.fix else []
        lines += [f"    help: {f.help}"] if f.help else []
    return lines


def _snapshot(tmp_path: Path) -> str:
    blocks = []
    for case, example in _examples():
        root = tmp_path / case.replace(" ", "-")
        write_tree(root, example.files)
        rendered: dict[int, list[str]] = {major: _render(root, example, major) for major in MOTO_MAJORS}
        # Majors with the same output share one block, so the file shows where versions differ.
        groups: dict[tuple[str, ...], list[int]] = {}
        for major, lines in rendered.items():
            groups.setdefault(tuple(lines), []).append(major)
        for lines, majors in groups.items():
            label = ",".join(str(m) for m in majors)
            blocks.append(
                "\n".join([f"== {case} (moto {label})", *lines]) if lines else f"== {case} (moto {label}): clean"
            )
    return "\n".join(blocks) + "\n"


def test_every_example_output_matches_the_snapshot(tmp_path: Path) -> None:
    actual = _snapshot(tmp_path)
    if os.environ.get("SCOPECHECK_UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(actual, encoding="utf-8")
    expected = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
    assert actual.splitlines() == expected.splitlines()
