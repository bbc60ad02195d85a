"""SCP202 fix: a fixture's mock decorator moves inside it as ``with <factory>():`` around the body.

The ``with`` uses the decorator's own expression (``@mock_aws`` -> ``mock_aws()``,
``@moto.mock_aws(config=...)`` -> the same call), so aliases and ``config=`` are kept. The body
(after a docstring) goes inside the ``with``, so the mock stays active while the test runs:

* generator fixture: wrapped as it is. Safe.
* plain fixture with no ``return``: wrapped, and a bare ``yield`` ends the block. Safe.
* plain fixture whose only ``return`` is its last statement: that ``return x`` becomes ``yield x``.
  Safe.
* plain fixture with other returns, or an ``async def``: every ``return x`` becomes
  ``yield x; return`` (a bare ``yield`` closes the block when it does not end in a return).
  Unsafe: ``finally`` blocks and context managers around those returns now close after the test.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from scopecheck.findings import Finding
from scopecheck.fixes.base import (
    FixContext,
    ParsedFile,
    PositionalFixer,
    Safety,
    Verdict,
    comment_lines,
    comments_in,
    decide,
    no_fix,
    returns_of,
    start_key,
    yield_statement,
    yields_in,
)

CODE = "SCP202"


def _is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _with_item(decorator: cst.Decorator) -> cst.WithItem:
    expr = decorator.decorator
    call = expr if isinstance(expr, cst.Call) else cst.Call(func=expr)
    return cst.WithItem(item=call)


class _ReturnsToYields(cst.CSTTransformer):
    """``return x`` -> ``yield x; return`` (the final one -> ``yield x``), outside nested scopes."""

    def __init__(self, final: cst.Return | None) -> None:
        self.final = final
        self.depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def leave_Return(
        self, original_node: cst.Return, updated_node: cst.Return
    ) -> cst.BaseSmallStatement | cst.FlattenSentinel[cst.BaseSmallStatement]:
        if original_node is self.final:
            return yield_statement(updated_node.value, like=updated_node)
        first = yield_statement(updated_node.value).with_changes(
            semicolon=cst.Semicolon(whitespace_after=cst.SimpleWhitespace(" "))
        )
        return cst.FlattenSentinel([first, cst.Return(semicolon=updated_node.semicolon)])


def _plan(fn: cst.FunctionDef) -> tuple[Safety | None, str]:
    if not isinstance(fn.body, cst.IndentedBlock):
        return None, "one-line function body"
    if yields_in(fn):
        return (Safety.SAFE if fn.asynchronous is None else Safety.UNSAFE), ""
    returns = returns_of(fn)
    last = fn.body.body[-1] if fn.body.body else None
    final = (
        last.body[-1] if isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], cst.Return) else None
    )
    others = [r for r in returns if r is not final]
    if others or fn.asynchronous is not None:
        return Safety.UNSAFE, ""
    return Safety.SAFE, ""


def _rewrite(fn: cst.FunctionDef, mocks: list[cst.Decorator]) -> cst.FunctionDef:
    """The function without *mocks* decorators, its body inside ``with <mocks>():``."""
    block = fn.body
    assert isinstance(block, cst.IndentedBlock)
    statements = list(block.body)
    head = [statements.pop(0)] if statements and _is_docstring(statements[0]) else []
    generator = yields_in(fn)
    if not generator:
        last = statements[-1] if statements else None
        final = (
            last.body[-1]
            if isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], cst.Return)
            else None
        )
        rewritten = [s.visit(_ReturnsToYields(final)) for s in statements]
        statements = [s for s in rewritten if isinstance(s, cst.BaseStatement)]
        if final is None:
            statements.append(cst.SimpleStatementLine([cst.Expr(cst.Yield())]))
    if not statements:
        statements = [cst.SimpleStatementLine([cst.Expr(cst.Yield())])]
    # Comments and blank lines above the first wrapped statement go above the with.
    first = statements[0]
    lead = list(first.leading_lines)  # type: ignore[attr-defined]  # every concrete statement has it
    statements[0] = first.with_changes(leading_lines=())
    inner = cst.IndentedBlock(body=statements, indent=block.indent)
    wrapped = cst.With(items=[_with_item(d) for d in mocks], body=inner, leading_lines=lead)
    # Fix the commas of the with items.
    items = list(wrapped.items)
    items = [item.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for item in items[:-1]] + [
        items[-1]
    ]
    wrapped = wrapped.with_changes(items=items)

    decorators = list(fn.decorators)
    kept: list[cst.Decorator] = []
    moved: list[cst.EmptyLine] = []
    for dec in decorators:
        if any(dec is m for m in mocks):
            moved += comment_lines(comments_in(dec))
            continue
        if moved:
            dec = dec.with_changes(leading_lines=[*moved, *dec.leading_lines])
            moved = []
        kept.append(dec)
    new_fn = fn.with_changes(decorators=kept, body=block.with_changes(body=[*head, wrapped]))
    if moved:
        new_fn = new_fn.with_changes(lines_after_decorators=[*moved, *fn.lines_after_decorators])
    return new_fn


class _Apply(cst.CSTTransformer):
    def __init__(self, plans: dict[cst.FunctionDef, list[cst.Decorator]]) -> None:
        self.plans = plans

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        mocks = self.plans.get(original_node)
        if mocks is None:
            return updated_node
        # Children may have been rebuilt: find the same decorators by index.
        indices = [i for i, d in enumerate(original_node.decorators) if any(d is m for m in mocks)]
        return _rewrite(updated_node, [updated_node.decorators[i] for i in indices])


class UnwrapFixtureMock(PositionalFixer):
    code = CODE
    description = "mock decorator moved into the fixture as `with ...():` around a `yield`"

    def plan(
        self, parsed: ParsedFile, findings: Sequence[Finding], ctx: FixContext
    ) -> tuple[list[Verdict], cst.CSTTransformer | None]:
        decorators = parsed.by_start(cst.Decorator, anchor=lambda d: d.decorator)
        by_fn: dict[cst.FunctionDef, list[tuple[Finding, cst.Decorator]]] = {}
        verdicts: list[Verdict] = []
        for finding in findings:
            dec = decorators.get(start_key(finding))
            fn = parsed.parents.get(dec) if dec is not None else None
            if dec is None or not isinstance(fn, cst.FunctionDef):
                verdicts.append(no_fix(finding, "no decorated function at the finding"))
                continue
            by_fn.setdefault(fn, []).append((finding, dec))
        plans: dict[cst.FunctionDef, list[cst.Decorator]] = {}
        for fn, pairs in by_fn.items():
            found = [d for _, d in pairs]
            others = [d for d in fn.decorators if not any(d is f for f in found)]
            if any("noqa" in c.lower() for d in others for c in comments_in(d)):
                # Another mock decorator may be kept by a noqa comment: half a rewrite helps no one.
                verdicts += [no_fix(f, "another decorator of the fixture has a noqa comment") for f, _ in pairs]
                continue
            safety, reason = _plan(fn)
            if safety is None:
                verdicts += [no_fix(f, reason) for f, _ in pairs]
                continue
            fn_verdicts = [decide(f, safety, ctx) for f, _ in pairs]
            verdicts += fn_verdicts
            if all(v.applied for v in fn_verdicts):
                plans[fn] = [d for _, d in pairs]
        return verdicts, (_Apply(plans) if plans else None)
