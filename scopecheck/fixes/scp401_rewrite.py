"""SCP401 fix, second half: apply a :class:`Plan` and collapse the mocks that now read mock_aws."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import libcst as cst
from libcst.helpers import get_full_name_for_node

from scopecheck.fixes.base import comment_lines, comments_in
from scopecheck.fixes.scp401_imports import DropAliases, module_key, place
from scopecheck.fixes.scp401_lookup import AWS_QUALIFIED
from scopecheck.fixes.scp401_plan import SIMPLE, Planner

_Def = TypeVar("_Def", cst.FunctionDef, cst.ClassDef)


def _without(decorators: Sequence[cst.Decorator], drop: set[int]) -> tuple[list[cst.Decorator], list[cst.EmptyLine]]:
    """The decorators not in *drop*; a dropped one's comments move above the next one kept (or,
    with none left, are returned to go below the decorators)."""
    kept: list[cst.Decorator] = []
    moved: list[cst.EmptyLine] = []
    for i, dec in enumerate(decorators):
        if i in drop:
            moved += comment_lines(comments_in(dec))
            continue
        if moved:
            dec = dec.with_changes(leading_lines=[*moved, *dec.leading_lines])
            moved = []
        kept.append(dec)
    return kept, moved


def _config_dict(expr: cst.BaseExpression) -> cst.Dict | None:
    """The literal ``config=`` dict of ``mock_aws(config={...})`` with string keys, else None."""
    if not isinstance(expr, cst.Call) or len(expr.args) != 1:
        return None
    arg = expr.args[0]
    if arg.keyword is None or arg.keyword.value != "config" or not isinstance(arg.value, cst.Dict):
        return None
    if not all(isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString) for e in arg.value.elements):
        return None
    return arg.value


def merged_config(exprs: Sequence[cst.BaseExpression]) -> cst.Call | None:
    """One ``mock_aws(config=...)`` for stacked configured mocks, or None when that is not certain.

    moto 5 copies the whole default config into each mock when it is made and applies it on
    start, so of two stacked ``mock_aws(config=...)`` only the inner one's config holds: moto 4's
    ``@mock_batch_simple @mock_lambda_simple`` must become one mock with both keys. Merged only
    when every config is a dict literal and no top-level key appears twice."""
    dicts = [_config_dict(e) for e in exprs]
    if len(exprs) < 2 or any(d is None for d in dicts):
        return None
    elements: list[cst.BaseDictElement] = []
    keys: set[str] = set()
    for found in dicts:
        assert found is not None
        for element in found.elements:
            assert isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString)
            key = element.key.evaluated_value
            if key in keys:
                return None
            keys.add(str(key))
            elements.append(element.with_changes(comma=cst.MaybeSentinel.DEFAULT))
    first = exprs[0]
    assert isinstance(first, cst.Call) and dicts[0] is not None
    config = dicts[0].with_changes(elements=elements)
    return first.with_changes(args=[first.args[0].with_changes(value=config)])


def _import_line(module: str, names: list[tuple[str, str | None]]) -> cst.SimpleStatementLine:
    text = ", ".join(f"{n} as {a}" if a else n for n, a in names)
    line = cst.parse_statement(f"from {module} import {text}\n")
    assert isinstance(line, cst.SimpleStatementLine)
    return line


class Rewrite(cst.CSTTransformer):
    def __init__(self, planner: Planner) -> None:
        self.plan = planner.plan
        self.planner = planner
        # ids of import lines made or changed -> their sort key before the fix (None: added);
        # they go to their sorted place if the block was sorted
        self.placed: dict[int, tuple[int, str] | None] = {}
        self.dropped: set[cst.CSTNode] = set()  # original mock expressions the collapse removed
        self.new_alias: dict[cst.ImportAlias, cst.ImportAlias] = {}  # original -> rewritten
        # id of a rewritten ``with`` of plain service mocks only -> their original expressions
        self.plain_with: dict[int, list[cst.CSTNode]] = {}

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        module = place(updated_node, self.placed)
        unused = {
            id(self.new_alias[alias])
            for alias, uses in self.plan.alias_uses.items()
            if uses and alias in self.new_alias and all(u in self.dropped for u in uses)
        }
        return module.visit(DropAliases(unused)) if unused else module

    # names and calls --------------------------------------------------------------------------
    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self.plan.names.get(original_node, updated_node)

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        return self.plan.names.get(original_node, updated_node)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        replacement = self.plan.calls.get(original_node)
        if replacement is not None:
            return replacement.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
        return updated_node

    # imports ----------------------------------------------------------------------------------
    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        if isinstance(original_node.names, cst.ImportStar) or isinstance(updated_node.names, cst.ImportStar):
            return updated_node
        if not any(a in self.plan.aliases for a in original_node.names):
            return updated_node
        kept: list[cst.ImportAlias] = []
        kept_from: list[cst.ImportAlias] = []
        seen: set[tuple[str, str | None]] = set()
        salvaged: list[str] = []
        for original, alias in zip(original_node.names, updated_node.names):
            if original in self.plan.aliases:
                new = self.plan.aliases[original]
                if new is None:
                    salvaged += comments_in(alias)
                    continue
                name = get_full_name_for_node(original.name) or ""
                # A *_simple mock's alias would now name plain mock_aws: its uses became calls.
                alias = alias.with_changes(name=cst.Name(new), asname=None if name in SIMPLE else alias.asname)
            key = (get_full_name_for_node(alias.name) or "", alias.evaluated_alias)
            if key in seen:
                salvaged += comments_in(alias)
                continue
            seen.add(key)
            kept.append(alias)
            kept_from.append(original)
        self._salvaged = salvaged
        if not kept:
            return cst.RemovalSentinel.REMOVE
        last_comma = updated_node.names[-1].comma
        own = kept[-1].comma
        if not isinstance(updated_node.lpar, cst.LeftParen):
            last_comma = cst.MaybeSentinel.DEFAULT
        elif isinstance(own, cst.Comma) and isinstance(own.whitespace_after, cst.ParenthesizedWhitespace):
            last_comma = own  # one name per line: it keeps its own comma and comment
        kept[-1] = kept[-1].with_changes(comma=last_comma)
        for original, alias in zip(kept_from, kept):
            if original in self.plan.alias_uses:
                self.new_alias[original] = alias
        changes: dict = {"names": kept}
        if original_node in self.plan.module_to_moto:
            changes["module"] = cst.Name("moto")
        return updated_node.with_changes(**changes)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._salvaged = []

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        salvaged = getattr(self, "_salvaged", [])
        self._salvaged = []
        extra: list[cst.BaseStatement] = []
        for small in original_node.body:
            if isinstance(small, cst.ImportFrom):
                for module, names in self.plan.extra.get(small, []):
                    extra.append(_import_line(module, names))
        if not updated_node.body:
            keep = [*updated_node.leading_lines, *comment_lines(salvaged)]
            if updated_node.trailing_whitespace.comment is not None:
                keep += comment_lines([updated_node.trailing_whitespace.comment.value])
            if extra:
                extra[0] = extra[0].with_changes(leading_lines=keep)
                self.placed.update((id(line), None) for line in extra)
                return cst.FlattenSentinel(extra)
            if any(line.comment is not None for line in keep):
                # Nothing to put them on: keep the comments as a ``pass`` line's.
                return cst.SimpleStatementLine([cst.Pass()], leading_lines=keep)
            return cst.RemovalSentinel.REMOVE
        if salvaged:
            updated_node = updated_node.with_changes(
                leading_lines=[*updated_node.leading_lines, *comment_lines(salvaged)]
            )
        if len(original_node.body) == 1 and original_node.body[0] in self.plan.module_to_moto:
            # ``from moto.s3 import`` now reads ``from moto import``
            self.placed[id(updated_node)] = module_key(original_node)
        if extra:
            self.placed.update((id(line), None) for line in extra)
            return cst.FlattenSentinel([updated_node, *extra])
        return updated_node

    # collapsing -------------------------------------------------------------------------------
    def _was_legacy(self, expr: cst.BaseExpression) -> bool:
        target = expr.func if isinstance(expr, cst.Call) else expr
        return target in self.plan.legacy or expr in self.plan.legacy

    def _is_aws(self, expr: cst.BaseExpression) -> tuple[bool, bool, bool]:
        """(refers to mock_aws after the fix, was a service mock, has arguments)."""
        target = expr.func if isinstance(expr, cst.Call) else expr
        was_legacy = target in self.plan.legacy or expr in self.plan.legacy
        aws = was_legacy or bool(self._qualified(target) & AWS_QUALIFIED)
        has_args = isinstance(expr, cst.Call) and bool(expr.args)
        if was_legacy and target in self.plan.names and isinstance(self.plan.names[target], cst.Call):
            has_args = True  # a *_simple mock that became mock_aws(config=...)
        if isinstance(expr, cst.Call) and expr in self.plan.calls:
            has_args = True
        return aws, was_legacy, has_args

    def _qualified(self, node: cst.CSTNode) -> set[str]:
        return self.planner.qualified(node)

    def _collapse(self, entries: list[tuple[bool, bool, bool]]) -> set[int]:
        """Indices to drop: service mocks without arguments once another mock_aws stays."""
        aws = [i for i, (is_aws, _, _) in enumerate(entries) if is_aws]
        if len(aws) < 2 or not any(entries[i][1] for i in aws):
            return set()
        with_args = [i for i in aws if entries[i][2]]
        # A configured mock stays (its config matters); plain service mocks go once one remains.
        keep = with_args[0] if with_args else aws[0]
        return {i for i in aws if i != keep and entries[i][1] and not entries[i][2]}

    def _decorated(self, original: cst.FunctionDef | cst.ClassDef, updated: _Def) -> _Def:
        if not any(self._was_legacy(d.decorator) for d in original.decorators):
            return updated
        entries = [self._is_aws(d.decorator) for d in original.decorators]
        drop = self._collapse(entries)
        configured = [i for i, (aws, _, args) in enumerate(entries) if aws and args and i not in drop]
        merged = merged_config([updated.decorators[i].decorator for i in configured])
        if merged is not None:
            updated = updated.with_changes(
                decorators=[
                    d.with_changes(decorator=merged) if i == configured[0] else d
                    for i, d in enumerate(updated.decorators)
                ]
            )
            drop |= set(configured[1:])
        if not drop:
            return updated
        for i in drop:
            expr = original.decorators[i].decorator
            self.dropped.add(expr.func if isinstance(expr, cst.Call) else expr)
        kept: list[cst.Decorator]
        moved: list[cst.EmptyLine]
        kept, moved = _without(updated.decorators, drop)
        updated = updated.with_changes(decorators=kept)
        if moved:
            updated = updated.with_changes(lines_after_decorators=[*moved, *updated.lines_after_decorators])
        return updated

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        return self._decorated(original_node, updated_node)

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        return self._decorated(original_node, updated_node)

    def leave_With(self, original_node: cst.With, updated_node: cst.With) -> cst.With:
        if not any(self._was_legacy(item.item) for item in original_node.items):
            return updated_node
        entries = []
        for item in original_node.items:
            is_aws, legacy, has_args = self._is_aws(item.item)
            plain_call = isinstance(item.item, cst.Call)
            entries.append((is_aws and plain_call, legacy, has_args or item.asname is not None))
        result = self._unnest(original_node, self._collapse_items(original_node, updated_node, entries))
        if original_node.asynchronous is None and all(aws and legacy and not args for aws, legacy, args in entries):
            # only plain service mocks: redundant inside another mock_aws block on moto 5
            exprs = [item.item for item in original_node.items]
            self.plain_with[id(result)] = [e.func if isinstance(e, cst.Call) else e for e in exprs]
        return result

    def _unnest(self, original: cst.With, updated: cst.With) -> cst.With:
        """``with mock_aws() as e:`` whose whole body is ``with mock_aws():`` (both once service
        mocks) keeps the outer one: moto 5 counts nested starts, so the inner one does nothing."""
        block = updated.body
        if original.asynchronous is not None or not isinstance(block, cst.IndentedBlock) or len(block.body) != 1:
            return updated
        inner = block.body[0]
        if not isinstance(inner, cst.With) or id(inner) not in self.plain_with or inner.leading_lines:
            return updated
        if not any(self._is_aws(item.item)[0] for item in original.items):
            return updated
        own = inner.body
        if not isinstance(own, cst.IndentedBlock) or own.header.comment is not None:
            return updated
        if any(comments_in(item) for item in inner.items):
            return updated
        self.dropped.update(self.plain_with[id(inner)])
        return updated.with_changes(body=own.with_changes(header=block.header))

    def _collapse_items(
        self, original_node: cst.With, updated_node: cst.With, entries: list[tuple[bool, bool, bool]]
    ) -> cst.With:
        drop = self._collapse(entries)
        configured = [
            i
            for i, (aws, _, args) in enumerate(entries)
            if aws and args and i not in drop and original_node.items[i].asname is None
        ]
        merged = merged_config([updated_node.items[i].item for i in configured])
        items = list(updated_node.items)
        if merged is not None:
            items[configured[0]] = items[configured[0]].with_changes(item=merged)
            drop |= set(configured[1:])
        if not drop:
            return updated_node
        for i in drop:
            expr = original_node.items[i].item
            self.dropped.add(expr.func if isinstance(expr, cst.Call) else expr)
        items = [item for i, item in enumerate(items) if i not in drop]
        salvaged = [c for i, item in enumerate(updated_node.items) if i in drop for c in comments_in(item)]
        last_comma = updated_node.items[-1].comma
        if not isinstance(updated_node.lpar, cst.LeftParen):
            last_comma = cst.MaybeSentinel.DEFAULT
        items[-1] = items[-1].with_changes(comma=last_comma)
        updated_node = updated_node.with_changes(items=items)
        if salvaged:
            updated_node = updated_node.with_changes(
                leading_lines=[*updated_node.leading_lines, *comment_lines(salvaged)]
            )
        return updated_node
