"""What a fixer is, what it reports back, and the libcst helpers the fixers share.

A fixer receives one file's bytes and the findings of its rule in that file (already selected,
not suppressed), and returns new bytes plus a verdict per finding. Findings are matched to nodes
by their start position: the extractor (``ast``) and libcst both count 1-based lines and
character columns, libcst from 0.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar, cast

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, ParentNodeProvider, PositionProvider

from scopecheck.findings import Finding


class Safety(enum.Enum):
    """SAFE: the rewrite keeps what the code means (bar the bug). UNSAFE: it may change
    behaviour in ways the linter cannot see; applied only with ``--unsafe-fixes``."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True)
class FixContext:
    moto_major: int
    allow_unsafe: bool


@dataclass
class Verdict:
    """What happened to one finding."""

    finding: Finding
    applied: bool
    safety: Safety | None = None  # None when there is no fix at all
    reason: str = ""  # why not applied

    @property
    def needs_unsafe(self) -> bool:
        return not self.applied and self.safety is Safety.UNSAFE


@dataclass
class FixOutcome:
    data: bytes  # the new file content (the input when nothing changed)
    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def applied(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.applied]


class Fixer(Protocol):
    code: str
    description: str  # short, for --show-fixes and the docs

    def fix(self, data: bytes, findings: Sequence[Finding], ctx: FixContext) -> FixOutcome: ...


N = TypeVar("N", bound=cst.CSTNode)


class ParsedFile:
    """One file as a fixer sees it: the libcst module with node positions and parents (resolved
    in one traversal), and nodes found by a finding's start."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.wrapper = MetadataWrapper(cst.parse_module(data), unsafe_skip_copy=True)
        meta = self.wrapper.resolve_many([PositionProvider, ParentNodeProvider])
        # resolve_many's values are typed `object`; these two providers give ranges and parents.
        self.positions = cast("Mapping[cst.CSTNode, CodeRange]", meta[PositionProvider])
        self.parents = cast("Mapping[cst.CSTNode, cst.CSTNode]", meta[ParentNodeProvider])

    def by_start(self, kind: type[N], anchor: Callable[[N], cst.CSTNode] | None = None) -> dict[tuple[int, int], N]:
        """Nodes of *kind* by the start of *anchor(node)* (the node itself by default), in the
        coordinates of ``start_key(finding)``."""
        return {
            range_key(self.positions[anchor(n) if anchor is not None else n]): n
            for n in self.positions
            if isinstance(n, kind)
        }


class PositionalFixer:
    """What every fixer of findings-at-a-node shares: parse the file, let ``plan`` judge each
    finding (a verdict per finding, and the transformer for those applied), rewrite."""

    code: str
    description: str

    def plan(
        self, parsed: ParsedFile, findings: Sequence[Finding], ctx: FixContext
    ) -> tuple[list[Verdict], cst.CSTTransformer | None]:
        raise NotImplementedError

    def fix(self, data: bytes, findings: Sequence[Finding], ctx: FixContext) -> FixOutcome:
        parsed = ParsedFile(data)
        verdicts, transformer = self.plan(parsed, findings, ctx)
        if transformer is None:
            return FixOutcome(data, verdicts)
        return FixOutcome(parsed.wrapper.module.visit(transformer).bytes, verdicts)


def decide(finding: Finding, safety: Safety, ctx: FixContext) -> Verdict:
    """The verdict for a finding whose fix is possible at *safety*."""
    if safety is Safety.UNSAFE and not ctx.allow_unsafe:
        return Verdict(finding, applied=False, safety=safety, reason="unsafe fix; use --unsafe-fixes")
    return Verdict(finding, applied=True, safety=safety)


def no_fix(finding: Finding, reason: str) -> Verdict:
    return Verdict(finding, applied=False, safety=None, reason=reason)


def start_key(finding: Finding) -> tuple[int, int]:
    """A finding's start in libcst's coordinates (1-based line, 0-based column)."""
    return (finding.location.line, finding.location.column - 1)


def range_key(code_range: CodeRange) -> tuple[int, int]:
    return (code_range.start.line, code_range.start.column)


def comments_in(node: cst.CSTNode) -> list[str]:
    """Every comment inside *node*, in source order, so a removed node's comments can move."""
    found: list[str] = []

    class _Collect(cst.CSTVisitor):
        def visit_Comment(self, comment: cst.Comment) -> None:
            found.append(comment.value)

    node.visit(_Collect())
    return found


def comment_lines(comments: Iterable[str]) -> list[cst.EmptyLine]:
    return [cst.EmptyLine(comment=cst.Comment(text)) for text in comments]


def small_statements_of(node: cst.CSTNode) -> Iterator[cst.BaseSmallStatement]:
    """Small statements of a function body, not entering nested functions, classes or lambdas."""
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.BaseSmallStatement):
            yield current
        for child in reversed(current.children):
            if isinstance(child, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                continue
            stack.append(child)


def returns_of(fn: cst.FunctionDef) -> list[cst.Return]:
    return [s for s in small_statements_of(fn.body) if isinstance(s, cst.Return)]


def yields_in(fn: cst.FunctionDef) -> bool:
    stack: list[cst.CSTNode] = [fn.body]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.Yield,)):
            return True
        for child in current.children:
            if isinstance(child, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                continue
            stack.append(child)
    return False


def yield_statement(value: cst.BaseExpression | None, like: cst.Return | None = None) -> cst.Expr:
    """``yield value`` in place of ``return value``, keeping the spacing and semicolon."""
    whitespace = cst.SimpleWhitespace(" ")
    semicolon: cst.Semicolon | cst.MaybeSentinel = cst.MaybeSentinel.DEFAULT
    if like is not None:
        if isinstance(like.whitespace_after_return, cst.SimpleWhitespace):
            whitespace = like.whitespace_after_return
        semicolon = like.semicolon
    if value is None:
        return cst.Expr(cst.Yield(), semicolon=semicolon)
    return cst.Expr(cst.Yield(value=value, whitespace_after_yield=whitespace), semicolon=semicolon)
