"""What the renderers need beyond the recorder's rows: lanes (one per xdist worker), column
groups (one per test module), and where each fixture was defined (its conftest.py, by path).

The recorder keeps only a short `file:line` per fixture row; `FixtureSources` is a second,
read-only observer that maps that same `file:line` to the file's path under the rootdir, so a
row label can say *which* conftest.py its fixture comes from.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scopecheck.timeline.model import FixtureRow, RanTest, Timeline

MAX_SOURCE = 40


@dataclass
class Lane:
    """The records of one process: the whole run, or one pytest-xdist worker."""

    worker: str | None  # "gw0"..., None: the run had one process
    timeline: Timeline
    sources: dict[str, str] = field(default_factory=dict)  # source_key(row) -> path under the rootdir
    lost: str | None = None  # why this worker's fixture records are missing (it crashed)


@dataclass(frozen=True)
class Group:
    """Consecutive tests of one module: a labelled band of columns."""

    label: str
    first: int
    last: int


def source_key(argname: str, where: str) -> str:
    return f"{argname} {where}"


class FixtureSources:
    """pytest plugin: remembers the defining file of every fixture that gets set up."""

    def __init__(self, rootpath: Path) -> None:
        self.rootpath = rootpath
        self.paths: dict[str, str] = {}

    def pytest_fixture_setup(self, fixturedef: Any, request: Any) -> None:
        code = getattr(getattr(fixturedef, "func", None), "__code__", None)
        if code is None:
            return
        # The recorder's `where`: file name and first line of the fixture function.
        key = source_key(fixturedef.argname, f"{os.path.basename(code.co_filename)}:{code.co_firstlineno}")
        if key in self.paths:
            return
        try:
            path = Path(code.co_filename).resolve().relative_to(self.rootpath.resolve()).as_posix()
        except ValueError:
            path = os.path.basename(code.co_filename)
        self.paths[key] = path


def test_path(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def common_dir(lanes: list[Lane]) -> str:
    """The folder every test file lies in ('' when they share none), with a trailing '/'."""
    dirs = {posixpath.dirname(test_path(t.nodeid)) for lane in lanes for t in lane.timeline.tests}
    if not dirs:
        return ""
    common = posixpath.commonpath(sorted(dirs)) if all(dirs) else ""
    return f"{common}/" if common else ""


def _strip(path: str, prefix: str) -> str:
    return path[len(prefix) :] if prefix and path.startswith(prefix) else path


def groups(tests: list[RanTest], prefix: str = "") -> list[Group]:
    out: list[Group] = []
    for t in tests:
        label = _strip(test_path(t.nodeid), prefix)
        if out and out[-1].label == label and out[-1].last == t.index - 1:
            out[-1] = Group(label, out[-1].first, t.index)
        else:
            out.append(Group(label, t.index, t.index))
    return out


def lessons(module_groups: list[Group]) -> list[Group]:
    """Consecutive modules under one first folder (a lesson package), or one module alone."""
    out: list[Group] = []
    for group in module_groups:
        head = group.label.split("/", 1)[0] if "/" in group.label else group.label
        if out and out[-1].label == head and out[-1].last == group.first - 1:
            out[-1] = Group(head, out[-1].first, group.last)
        else:
            out.append(Group(head, group.first, group.last))
    return out


def module_name(group: Group) -> str:
    """A module's label under its lesson: the path below the lesson's folder."""
    return group.label.split("/", 1)[1] if "/" in group.label else ""


def shorten_left(text: str, limit: int, ellipsis: str = "…") -> str:
    return text if len(text) <= limit else ellipsis + text[len(text) - limit + 1 :]


def row_labels(lane: Lane, prefix: str = "") -> dict[int, tuple[str, str]]:
    """(label, source) per fixture row id. The label is `name [scope]` (with the line of the
    definition added when one file defines two fixtures of that name); the source is the file
    that defined it, relative to the folder all tests share."""
    rows = lane.timeline.ordered_fixtures()
    source = {id(row): _display(lane.sources.get(source_key(row.argname, row.where), ""), prefix) for row in rows}
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        seen[(row.label, source[id(row)])] = seen.get((row.label, source[id(row)]), 0) + 1
    out: dict[int, tuple[str, str]] = {}
    for row in rows:
        label = row.label
        if seen[(label, source[id(row)])] > 1 or not source[id(row)]:
            same_label = sum(1 for other in rows if other.label == label)
            if same_label > 1:
                label = f"{label} @{row.where}" if not source[id(row)] else f"{label} :{_line(row)}"
        out[id(row)] = (label, source[id(row)])
    return out


def _display(path: str, prefix: str) -> str:
    """A conftest.py by its folder (which one is the question); a test module by its name (the
    column groups already say where it lives)."""
    if posixpath.basename(path).startswith("conftest"):
        return _strip(path, prefix)
    return posixpath.basename(path)


def _line(row: FixtureRow) -> str:
    return row.where.rsplit(":", 1)[-1]
