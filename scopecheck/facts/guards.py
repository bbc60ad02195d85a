"""Code that copes with an error on purpose: compatibility shims and handled NoRegionError.

Line ranges of ``try``/``if`` branches, found with one walk of the module's tree, and only when
the file's text mentions what they are about (see the callers in extract.py).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from scopecheck.facts.names import dotted_text

_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "AttributeError", "Exception", "BaseException"}


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any((dotted_text(t) or "").rsplit(".", 1)[-1] in _IMPORT_ERRORS for t in types)


def _binds_mock_aws(body: list[ast.stmt]) -> bool:
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.ImportFrom) and any(a.name == "mock_aws" for a in node.names):
                return True
            if isinstance(node, ast.Attribute) and node.attr == "mock_aws":
                return True
    return False


def _tests_a_version(test: ast.expr) -> bool:
    """A condition on a version: ``moto.__version__``, ``MOTO_VERSION``, ``version("moto")``..."""
    for node in ast.walk(test):
        text = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
        if "version" in text.lower():
            return True
    return False


def _statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """Every statement, nested ones too, without visiting expressions: ``try`` and ``if`` are
    statements, and walking only those keeps this cheap on large test modules."""
    todo: list[ast.stmt] = list(reversed(tree.body))
    while todo:
        node = todo.pop()
        yield node
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, name, None)
            if not children:
                continue
            for child in reversed(children):
                if isinstance(child, ast.stmt):
                    todo.append(child)
                else:  # an except handler, or a ``case`` (Python >= 3.10): statements inside
                    todo.extend(reversed(getattr(child, "body", [])))


def _span(body: list[ast.stmt]) -> tuple[int, int]:
    return body[0].lineno, max(s.end_lineno or s.lineno for s in body)


_REGION_ERRORS = {"NoRegionError", "BotoCoreError", "Exception", "BaseException"}


def _guarded_bodies(tree: ast.Module, errors: set[str]) -> list[tuple[int, int]]:
    """Line ranges of ``try`` bodies with a handler for one of *errors* (or a bare except)."""
    spans: list[tuple[int, int]] = []
    for node in _statements(tree):
        if isinstance(node, ast.Try) and node.body:
            for handler in node.handlers:
                types = (
                    []
                    if handler.type is None
                    else (handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type])
                )
                if handler.type is None or any((dotted_text(t) or "").rsplit(".", 1)[-1] in errors for t in types):
                    spans.append(_span(node.body))
                    break
    return sorted(spans)


def import_guards(tree: ast.Module) -> list[tuple[int, int]]:
    """``try`` bodies whose handler catches a failed import (whatever the handler then does)."""
    return _guarded_bodies(tree, _IMPORT_ERRORS - {"AttributeError"})


def region_guards(tree: ast.Module) -> list[tuple[int, int]]:
    """``try`` bodies that handle a missing region: the code copes with NoRegionError."""
    return _guarded_bodies(tree, _REGION_ERRORS)


def import_shims(tree: ast.Module) -> list[tuple[int, int]]:
    """The branches of a ``try``/``except ImportError`` that pair with a branch binding
    ``mock_aws``: a moto<5 import there is a compatibility shim, not a use of the removed API."""
    shims: list[tuple[int, int]] = []
    for node in _statements(tree):
        if isinstance(node, ast.If) and node.body and node.orelse and _tests_a_version(node.test):
            # ``if moto_version >= 5: from moto import mock_aws`` / ``else: from moto import mock_s3``
            if _binds_mock_aws(node.body):
                shims.append(_span(node.orelse))
            if _binds_mock_aws(node.orelse):
                shims.append(_span(node.body))
            continue
        if not isinstance(node, ast.Try) or not node.body:
            continue
        handlers = [h for h in node.handlers if _catches_import_error(h) and h.body]
        if not handlers:
            continue
        if _binds_mock_aws(node.body):
            shims += [_span(h.body) for h in handlers]
        if any(_binds_mock_aws(h.body) for h in handlers):
            shims.append(_span(node.body))
    return sorted(shims)
