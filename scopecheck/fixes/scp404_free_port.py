"""SCP404 fix (unsafe): a fixed-port ``ThreadedMotoServer(...)`` asks for a free port, ``port=0``.

Always unsafe: the literal port is often written elsewhere too (``endpoint_url="http://127.0.0.1:5000"``,
a ``PORT`` constant, another process), and that code then talks to nothing. Code that reads the port
back with ``get_host_and_port()`` keeps working. A server with no ``stop()`` keeps leaking its thread
(the hang is gone); the fix adds no ``stop()``. Findings on ``port=0`` servers have no fix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from scopecheck.findings import Finding
from scopecheck.fixes.base import FixContext, FixOutcome, Safety, Verdict, decide, no_fix, range_key, start_key

CODE = "SCP404"
_ZERO = cst.Integer("0")


def _port_zero(call: cst.Call) -> cst.Call | None:
    """The call with port 0, or None when its arguments cannot be rewritten with certainty."""
    args = list(call.args)
    if any(a.star for a in args):
        return None
    for i, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == "port":
            args[i] = arg.with_changes(value=_ZERO)
            return call.with_changes(args=args)
    positional = [i for i, a in enumerate(args) if a.keyword is None]
    if len(positional) >= 2:
        i = positional[1]
        args[i] = args[i].with_changes(value=_ZERO)
        return call.with_changes(args=args)
    port = cst.Arg(
        keyword=cst.Name("port"),
        value=_ZERO,
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
    )
    return call.with_changes(args=[*args, port])


class _Apply(cst.CSTTransformer):
    def __init__(self, targets: set[cst.Call]) -> None:
        self.targets = targets

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if original_node not in self.targets:
            return updated_node
        return _port_zero(updated_node) or updated_node


class FreePort:
    code = CODE
    description = "fixed port replaced by `port=0` (unsafe: the old port may be used elsewhere)"

    def fix(self, data: bytes, findings: Sequence[Finding], ctx: FixContext) -> FixOutcome:
        wrapper = MetadataWrapper(cst.parse_module(data), unsafe_skip_copy=True)
        positions = cast("Mapping[cst.CSTNode, CodeRange]", wrapper.resolve(PositionProvider))
        calls = {range_key(positions[n]): n for n in positions if isinstance(n, cst.Call)}
        verdicts: list[Verdict] = []
        targets: set[cst.Call] = set()
        for finding in findings:
            call = calls.get(start_key(finding))
            if finding.fix is None:
                verdicts.append(no_fix(finding, "the port is free already; add the stop() by hand"))
                continue
            if call is None:
                verdicts.append(no_fix(finding, "no ThreadedMotoServer call at the finding"))
                continue
            if _port_zero(call) is None:
                verdicts.append(no_fix(finding, "the port is passed through *args/**kwargs"))
                continue
            verdict = decide(finding, Safety.UNSAFE, ctx)
            verdicts.append(verdict)
            if verdict.applied:
                targets.add(call)
        if not targets:
            return FixOutcome(data, verdicts)
        return FixOutcome(wrapper.module.visit(_Apply(targets)).bytes, verdicts)
