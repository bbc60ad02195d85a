"""Small, shared readers of ast nodes: walking an expression, keyword and string arguments."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from typing import TypeVar

_SKIP = (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def iter_expr_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Nodes of an expression or simple statement, not entering lambdas or nested definitions."""
    stack = [node]
    pop, push, AST = stack.pop, stack.append, ast.AST
    while stack:
        current = pop()
        yield current
        for name in current._fields:
            value = getattr(current, name, None)
            if isinstance(value, AST):
                if not isinstance(value, _SKIP):
                    push(value)
            elif type(value) is list:
                for item in value:
                    if isinstance(item, AST) and not isinstance(item, _SKIP):
                        push(item)


_Node = TypeVar("_Node", bound=ast.AST)


def by_position(nodes: Sequence[_Node]) -> list[_Node]:
    return sorted(nodes, key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))


def kw(call: ast.Call, name: str) -> ast.keyword | None:
    return next((k for k in call.keywords if k.arg == name), None)


def has_star_kwargs(call: ast.Call) -> bool:
    return any(k.arg is None for k in call.keywords)


def string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def strings(node: ast.AST | None) -> list[str]:
    if node is None:
        return []
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [s for s in (string(e) for e in node.elts) if s is not None]
    value = string(node)
    return [value] if value is not None else []


def is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    sides = [test.left, *test.comparators]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        isinstance(s, ast.Constant) and s.value == "__main__" for s in sides
    )
