"""SCP201 fix: ``return x`` closing a ``with mock_aws():`` block of a fixture becomes ``yield x``.

Safe when the ``return`` is the last statement of the ``with`` block, that block ends the
function (directly or through enclosing ``with`` blocks only), and the function has no other
``return``: then the only change is that the function pauses inside the mock while the test runs.
The same shape under ``if``/``try``/``for``, or in an ``async def``, is offered as unsafe: code
after the block, which used to be unreachable, would now run at teardown. Any other ``return``
in the fixture means no fix (a generator that returns early without yielding breaks pytest).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import libcst as cst

from scopecheck.findings import Finding
from scopecheck.fixes.base import (
    FixContext,
    ParsedFile,
    PositionalFixer,
    Safety,
    Verdict,
    decide,
    no_fix,
    returns_of,
    start_key,
    yield_statement,
)

CODE = "SCP201"


def _last_statement(block: cst.BaseSuite) -> cst.CSTNode | None:
    body = block.body
    return body[-1] if body else None


def _classify(
    ret: cst.Return, parents: Mapping[cst.CSTNode, cst.CSTNode]
) -> tuple[Safety | None, str, cst.FunctionDef | None]:
    line = parents.get(ret)
    if not isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) or line.body[-1] is not ret:
        return None, "the return is not the last statement of the with block", None
    suite = parents.get(line)
    if isinstance(suite, cst.IndentedBlock) and _last_statement(suite) is not line:
        return None, "the return is not the last statement of the with block", None
    owner = parents.get(suite) if isinstance(suite, cst.IndentedBlock) else suite
    if not isinstance(owner, cst.With):
        return None, "the return is not directly inside a with block", None
    # Walk up to the function: only trailing with-blocks keep the rewrite certain.
    certain = True
    node: cst.CSTNode = owner
    while True:
        parent = parents.get(node)
        if isinstance(parent, cst.IndentedBlock):
            if _last_statement(parent) is not node:
                certain = False
            node = parent
            continue
        if isinstance(parent, cst.FunctionDef):
            fn = parent
            break
        if parent is None or isinstance(parent, (cst.ClassDef, cst.Module, cst.Lambda)):
            return None, "no enclosing function", None
        if not isinstance(parent, cst.With):
            certain = False
        node = parent
    others = [r for r in returns_of(fn) if r is not ret]
    if others:
        return None, "the fixture has another return; a generator fixture must yield on every path", fn
    if fn.asynchronous is not None:
        certain = False
    return (Safety.SAFE if certain else Safety.UNSAFE), "", fn


class _Rewrite(cst.CSTTransformer):
    def __init__(self, targets: set[cst.Return]) -> None:
        self.targets = targets

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.BaseSmallStatement:
        if original_node in self.targets:
            return yield_statement(updated_node.value, like=updated_node)
        return updated_node


class ReturnToYield(PositionalFixer):
    code = CODE
    description = "`return` inside the fixture's mock becomes `yield`"

    def plan(
        self, parsed: ParsedFile, findings: Sequence[Finding], ctx: FixContext
    ) -> tuple[list[Verdict], cst.CSTTransformer | None]:
        returns = parsed.by_start(cst.Return)
        verdicts: list[Verdict] = []
        targets: set[cst.Return] = set()
        for finding in findings:
            ret = returns.get(start_key(finding))
            if ret is None:
                verdicts.append(no_fix(finding, "no return statement at the finding"))
                continue
            safety, reason, _ = _classify(ret, parsed.parents)
            if safety is None:
                verdicts.append(no_fix(finding, reason))
                continue
            verdict = decide(finding, safety, ctx)
            verdicts.append(verdict)
            if verdict.applied:
                targets.add(ret)
        return verdicts, (_Rewrite(targets) if targets else None)
