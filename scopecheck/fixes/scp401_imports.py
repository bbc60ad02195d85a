"""SCP401 fix, last step: keep the import block as tidy as it was.

* An import line the fix made (``from moto.s3 import mock_s3`` -> ``from moto import mock_aws``) or
  added (``from moto.xray import mock_xray_client``) moves to its sorted place when the block of
  imports around it was sorted the way isort and ruff sort (``import x`` lines, then ``from x
  import`` lines, by module, case-insensitively); in a block that was not sorted it stays where it
  is. When that block already has a ``from moto import ...`` whose names are sorted, the new names
  join it instead of making a second line.
* An alias that the collapse of stacked decorators left unused (``from moto import mock_s3 as a,
  mock_sqs as b`` with ``@a @b``: ``@b`` is dropped) is removed, but only when every use of it
  was known and dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst.helpers import get_full_name_for_node

from scopecheck.fixes.base import comment_lines, comments_in


def module_key(line: cst.BaseStatement) -> tuple[int, str] | None:
    """isort's key of a one-import line: plain imports first, then from-imports, by module."""
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    stmt = line.body[0]
    if isinstance(stmt, cst.Import):
        return 0, (get_full_name_for_node(stmt.names[0].name) or "").lower()
    if isinstance(stmt, cst.ImportFrom) and not stmt.relative and stmt.module is not None:
        return 1, (get_full_name_for_node(stmt.module) or "").lower()
    return None


def _name_key(alias: cst.ImportAlias) -> tuple[int, str]:
    """isort's default ``order_by_type``: CONSTANTS, then Classes, then everything else."""
    name = get_full_name_for_node(alias.name) or ""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower()


def _runs(body: Sequence[cst.BaseStatement]) -> list[list[int]]:
    """Indices of consecutive one-import lines; a blank line or comment starts a new run."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, line in enumerate(body):
        starts_new = bool(getattr(line, "leading_lines", ()))
        if module_key(line) is None or (starts_new and current):
            if current:
                runs.append(current)
            current = []
        if module_key(line) is not None:
            current.append(i)
    if current:
        runs.append(current)
    return runs


def _join(into: cst.SimpleStatementLine, line: cst.SimpleStatementLine) -> cst.SimpleStatementLine | None:
    """*into* (a sorted ``from moto import ...``) with the names of *line* added in order."""
    target, extra = into.body[0], line.body[0]
    if not (isinstance(target, cst.ImportFrom) and isinstance(extra, cst.ImportFrom)):
        return None
    if isinstance(target.names, cst.ImportStar) or isinstance(extra.names, cst.ImportStar) or target.lpar:
        return None
    names = list(target.names)
    if [_name_key(a) for a in names] != sorted(_name_key(a) for a in names):
        return None
    have = {(get_full_name_for_node(a.name), a.evaluated_alias) for a in names}
    for alias in extra.names:
        if (get_full_name_for_node(alias.name), alias.evaluated_alias) not in have:
            names.append(alias)
    names.sort(key=_name_key)
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    names = [a.with_changes(comma=comma) for a in names[:-1]] + [
        names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    ]
    return into.with_changes(body=[target.with_changes(names=names)])


def place(module: cst.Module, placed: dict[int, tuple[int, str] | None]) -> cst.Module:
    """Move the lines whose ``id`` is in *placed* to their sorted place in their run, if the run
    was sorted before the fix (*placed* maps a line to its key then; None for an added line)."""
    if not placed:
        return module
    body = list(module.body)
    for run in reversed(_runs(body)):
        new = [i for i in run if id(body[i]) in placed]
        old = [i for i in run if id(body[i]) not in placed]
        keys = [placed[id(body[i])] if id(body[i]) in placed else module_key(body[i]) for i in run]
        before = [k for k in keys if k is not None]
        if not new or before != sorted(before):
            continue
        lines = [body[i] for i in old]
        head = body[run[0]].leading_lines if isinstance(body[run[0]], cst.SimpleStatementLine) else ()
        for i in new:
            line = body[i]
            assert isinstance(line, cst.SimpleStatementLine)
            key = module_key(line)
            assert key is not None  # a run holds one-import lines only
            same = [j for j, other in enumerate(lines) if module_key(other) == key and id(other) not in placed]
            into = lines[same[0]] if same else None
            if isinstance(into, cst.SimpleStatementLine) and not comments_in(line):
                joined = _join(into, line)
                if joined is not None:
                    lines[same[0]] = joined
                    continue
            at = next((j for j, other in enumerate(lines) if (module_key(other) or (9, "")) > key), len(lines))
            lines.insert(at, line)
        lines = [ln.with_changes(leading_lines=()) for ln in lines]
        lines[0] = lines[0].with_changes(leading_lines=head)
        body[run[0] : run[-1] + 1] = lines
    return module.with_changes(body=body)


class DropAliases(cst.CSTTransformer):
    """Remove the import aliases whose ``id`` is in *drop* (their comments stay above the line)."""

    def __init__(self, drop: set[int]) -> None:
        self.drop = drop
        self.comments: list[str] = []

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        if isinstance(original_node.names, cst.ImportStar) or not any(id(a) in self.drop for a in original_node.names):
            return updated_node
        kept = [a for a in original_node.names if id(a) not in self.drop]
        self.comments += [c for a in original_node.names if id(a) in self.drop for c in comments_in(a)]
        if not kept:
            return cst.RemovalSentinel.REMOVE
        last = original_node.names[-1].comma if original_node.lpar else cst.MaybeSentinel.DEFAULT
        kept[-1] = kept[-1].with_changes(comma=last)
        return updated_node.with_changes(names=kept)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        comments, self.comments = self.comments, []
        if not updated_node.body:
            trailing = updated_node.trailing_whitespace.comment
            if trailing is not None:
                comments.append(trailing.value)
            if comments or any(line.comment for line in updated_node.leading_lines):
                keep = [*updated_node.leading_lines, *comment_lines(comments)]
                return cst.SimpleStatementLine([cst.Pass()], leading_lines=keep)
            return cst.RemovalSentinel.REMOVE
        if comments:
            return updated_node.with_changes(leading_lines=[*updated_node.leading_lines, *comment_lines(comments)])
        return updated_node
