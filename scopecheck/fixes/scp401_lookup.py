"""SCP401 fix: what the names of a file refer to, asked of the original tree.

The planner (scp401_plan) needs to know which import binds a name, which nodes refer to it and
whether renaming them to ``mock_aws`` is certain. A quick look at the module's bindings answers
most of that; libcst's scope analysis and parent nodes are resolved only when it does not.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterable, Iterator, Mapping

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import (
    Assignment,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    Scope,
    ScopeProvider,
)

from scopecheck.facts.guards import import_shims
from scopecheck.fixes.base import range_key
from scopecheck.fixes.bindings import Bindings

AWS_QUALIFIED = {"moto.mock_aws", "moto.core.decorator.mock_aws"}
QUICK_BINDINGS = True  # tests turn it off to compare with libcst's scope analysis


def names_of(scopes: Mapping[cst.CSTNode, Scope | None], node: cst.CSTNode) -> set[str]:
    """Qualified names of *node*, asked of its scope only when needed (QualifiedNameProvider
    would compute them for every node of the file, which doubles the cost on large files)."""
    scope = scopes.get(node)
    if scope is None:
        return set()
    return {q.name for q in scope.get_qualified_names_for(node)}


def _reference_names(nodes: Iterable[cst.CSTNode]) -> dict[str, list[cst.Name]]:
    """Name nodes that refer to a binding, by name: not attribute names, keywords or the names
    inside import statements."""
    skip: set[int] = set()
    found: list[cst.Name] = []
    for node in nodes:
        if isinstance(node, cst.Name):
            found.append(node)
        elif isinstance(node, cst.Attribute):
            skip.add(id(node.attr))
        elif isinstance(node, cst.Arg) and node.keyword is not None:
            skip.add(id(node.keyword))
        elif isinstance(node, (cst.Import, cst.ImportFrom)):
            skip.update(id(n) for n in _all_names(node))
        elif isinstance(node, cst.MatchKeywordElement):
            skip.add(id(node.key))
    index: dict[str, list[cst.Name]] = {}
    for name in found:
        if id(name) not in skip:
            index.setdefault(name.value, []).append(name)
    return index


def _all_names(node: cst.CSTNode) -> Iterator[cst.Name]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            yield current
        stack.extend(current.children)


class NameLookup:
    """The names of one file: positions, bindings, references, qualified names."""

    def __init__(self, wrapper: MetadataWrapper, data: bytes) -> None:
        self.module = wrapper.module
        # One batched traversal for both providers (parents are resolved only when needed).
        self.wrapper = wrapper
        self.positions = wrapper.resolve(PositionProvider)
        self._scopes: Mapping[cst.CSTNode, Scope | None] | None = None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(data)
            self.bindings: Bindings | None = Bindings(tree)
            self.shims = import_shims(tree)  # the planner's, read from the same parse
        except (SyntaxError, ValueError, RecursionError):
            self.bindings = None
            self.shims = []
        self._references: dict[str, list[cst.Name]] | None = None
        self._parents: Mapping[cst.CSTNode, cst.CSTNode] | None = None
        # The line of each small statement, without the (costly) parent provider.
        self.line_of = {
            small: line for line in self.positions if isinstance(line, cst.SimpleStatementLine) for small in line.body
        }
        self.top_level = {
            stmt.body[0]
            for stmt in self.module.body
            if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1
        }

    @property
    def quick(self) -> bool:
        """Whether the quick look at the module's bindings may be used (the file parsed)."""
        return self.bindings is not None and QUICK_BINDINGS

    @property
    def parents(self) -> Mapping[cst.CSTNode, cst.CSTNode]:
        """Parent nodes, resolved only when a ``*_simple`` mock needs them: the provider costs
        as much as positions and scopes together on a large file."""
        if self._parents is None:
            self._parents = self.wrapper.resolve(ParentNodeProvider)
        return self._parents

    @property
    def scopes(self) -> Mapping[cst.CSTNode, Scope | None]:
        """libcst's scope analysis, only when the quick look at the bindings is not enough."""
        if self._scopes is None:
            self._scopes = self.wrapper.resolve(ScopeProvider)
        return self._scopes

    def references(self, name: str) -> list[cst.Name]:
        if self._references is None:
            self._references = _reference_names(self.positions)
        return self._references.get(name, [])

    def _quick_qualified(self, node: cst.CSTNode) -> str | None:
        """The qualified name of a dotted name whose head is only ever bound by one import."""
        if self.bindings is None or not QUICK_BINDINGS:
            return None
        if isinstance(node, cst.Name):
            return self.bindings.always(node.value)
        if isinstance(node, cst.Attribute):
            base = self._quick_qualified(node.value)
            return f"{base}.{node.attr.value}" if base else None
        return None

    def qualified(self, node: cst.CSTNode) -> set[str]:
        quick = self._quick_qualified(node)
        if quick is not None:
            return {quick}
        return names_of(self.scopes, node)

    def pos(self, node: cst.CSTNode) -> tuple[int, int]:
        return range_key(self.positions[node])

    def uses(
        self, node: cst.ImportFrom, bound: str, imported: str, target: str, scope: Scope | None
    ) -> tuple[list[cst.CSTNode], bool]:
        """The references to *bound* from this import, and whether renaming them to *target* is
        certain (no other binding of either name gets in the way)."""
        if scope is None:
            assert self.bindings is not None
            target_free = self.bindings.unbound(target) or self.bindings.always(target) in AWS_QUALIFIED
            if self.bindings.only_import(bound) == imported and (target == bound or target_free):
                return list(self.references(bound)), True
            scope = self.scopes.get(node)
            if scope is None:
                return [], False
        assignment = next((a for a in scope.assignments[bound] if isinstance(a, Assignment) and a.node is node), None)
        accesses = list(assignment.references) if assignment is not None else []
        certain = all(len(a.referents) == 1 for a in accesses)
        if target != bound and self._shadowed(accesses, target, scope):
            certain = False
        return [a.node for a in accesses], certain

    def _shadowed(self, accesses: list, name: str, scope: Scope) -> bool:
        """Whether *name* means something else where the accesses are (or there is a binding to
        reuse from another import of moto's mock_aws, which is fine)."""
        for access in accesses:
            for assignment in access.scope[name]:
                if not isinstance(assignment, Assignment):
                    return True
                node = assignment.node
                if not (
                    isinstance(node, cst.ImportFrom)
                    and node.module is not None
                    and get_full_name_for_node(node.module) == "moto"
                ):
                    return True
        for assignment in scope[name]:
            bound = getattr(assignment, "node", None)
            if not (
                isinstance(bound, cst.ImportFrom)
                and bound.module is not None
                and get_full_name_for_node(bound.module) == "moto"
            ):
                return True
        return False
