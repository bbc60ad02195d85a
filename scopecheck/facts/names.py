"""Resolving names to what they were imported as, so aliases count and look-alikes don't.

``import moto as m; m.mock_aws`` and ``from boto3 import client as mk`` resolve to
``moto.mock_aws`` and ``boto3.client``; a parameter or local variable that shadows an import
resolves to nothing. Only imports bind qualified names; everything else shadows.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Iterator

_LEGACY_MOCK = re.compile(r"mock_[A-Za-z0-9_]+$")

CLIENT_FACTORIES = {"boto3.client": "client", "boto3.resource": "resource"}
SESSION_FACTORIES = {"boto3.Session", "boto3.session.Session"}
CONFIG_FACTORIES = {"botocore.config.Config", "botocore.client.Config"}
FIXTURE_DECORATORS = {"pytest.fixture", "pytest.yield_fixture", "pytest_asyncio.fixture"}
USEFIXTURES = "pytest.mark.usefixtures"
PARAMETRIZE = "pytest.mark.parametrize"


# ``mock_*`` names that moto 5 still has and that are not per-service mocks.
MOTO5_MOCK_NAMES = frozenset({"mock_aws", "mock_xray_client", "mock_random", "mock_credentials"})


# Names moto 5 no longer has where moto 4 had them: (module, name) -> the module with them in moto
# 5, which has them in moto 4.2.14 already (read from both wheels' sources).
MOVED_IN_MOTO5 = {
    ("moto", "mock_xray_client"): "moto.xray",
    ("moto", "XRaySegment"): "moto.xray",
    ("moto.core", "BaseBackend"): "moto.core.base_backend",
    ("moto.core", "BackendDict"): "moto.core.base_backend",
    ("moto.core", "SERVICE_BACKEND"): "moto.core.base_backend",
    ("moto.core", "BaseModel"): "moto.core.common_models",
    ("moto.core", "CloudFormationModel"): "moto.core.common_models",
    ("moto.core", "CloudWatchMetricProvider"): "moto.core.common_models",
}


# moto 1.x-2.x's boto2 mocks (``mock_s3_deprecated``), removed in moto 3.0 with boto2 support.
BOTO2_SUFFIX = "_deprecated"


def is_removed_mock_name(name: str) -> bool:
    """A moto<5 per-service mock such as ``mock_s3``."""
    return name.startswith("mock_") and name not in MOTO5_MOCK_NAMES


def mock_factory_name(qualified: str | None) -> str | None:
    """``mock_aws`` / ``mock_s3`` when *qualified* names a moto mock factory, else None."""
    if not qualified or not qualified.startswith("moto."):
        return None
    parts = qualified.split(".")
    last = parts[-1]
    if not _LEGACY_MOCK.match(last) or (last != "mock_aws" and not is_removed_mock_name(last)):
        return None
    # moto.mock_x, moto.<service>.mock_x (moto<5) and moto.core.decorator.mock_aws
    if len(parts) == 2 or (len(parts) == 3 and last != "mock_aws") or qualified == "moto.core.decorator.mock_aws":
        return last
    return None


class Scope:
    """Name bindings of one scope; ``None`` marks a name that shadows an import."""

    def __init__(self, parent: Scope | None = None) -> None:
        self.parent = parent
        self.bindings: dict[str, str | None] = {}

    def lookup(self, name: str) -> str | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.bindings:
                return scope.bindings[name]
            scope = scope.parent
        return None

    def bind_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.bindings[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    self.bindings[head] = head
            return
        if node.level:  # relative imports are first-party, never moto/boto3
            for alias in node.names:
                self.bindings[alias.asname or alias.name] = None
            return
        module = node.module or ""
        for alias in node.names:
            if alias.name == "*":
                continue
            self.bindings[alias.asname or alias.name] = f"{module}.{alias.name}"

    def shadow(self, names: Iterable[str]) -> None:
        for name in names:
            self.bindings[name] = None


def attribute_chain(expr: ast.AST, head: Callable[[str], str | None]) -> str | None:
    """``a.b.c`` for an attribute chain on a plain name, the name ``a`` replaced by ``head(a)``;
    None when the chain is not one or ``head`` gives None."""
    attrs: list[str] = []
    while isinstance(expr, ast.Attribute):
        attrs.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    base = head(expr.id)
    return ".".join([base, *reversed(attrs)]) if base else None


def qualified_name(expr: ast.expr, scope: Scope) -> str | None:
    """The dotted name *expr* refers to, through imports; None when it is not an import."""
    return attribute_chain(expr, scope.lookup)


def dotted_text(expr: ast.AST) -> str | None:
    """``self.mock`` for an attribute chain of plain names, used as an object's identity."""
    return attribute_chain(expr, lambda name: name)


def stored_names(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for elt in target.elts:
            yield from stored_names(elt)
    elif isinstance(target, ast.Starred):
        yield from stored_names(target.value)


def local_bindings(body: list[ast.stmt]) -> tuple[list[ast.Import | ast.ImportFrom], set[str], bool]:
    """Imports, other assigned names, and whether it yields, for a function body (not counting
    nested functions and classes)."""
    imports: list[ast.Import | ast.ImportFrom] = []
    assigned: set[str] = set()
    has_yield = False
    stack: list[ast.AST] = list(body)
    pop, push, AST = stack.pop, stack.append, ast.AST
    definitions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    # `kind is ast.X` (exact type, faster than isinstance on this hot path) does not narrow for
    # mypy: that is what each type: ignore below stands for.
    while stack:
        node = pop()
        kind = type(node)
        if kind is ast.Name:
            if type(node.ctx) is ast.Store:  # type: ignore[attr-defined]
                assigned.add(node.id)  # type: ignore[attr-defined]
            continue
        if kind is ast.Constant:
            continue
        if kind is ast.Yield or kind is ast.YieldFrom:
            has_yield = True
        elif kind is ast.Import or kind is ast.ImportFrom:
            imports.append(node)  # type: ignore[arg-type]
            continue
        elif kind in definitions:
            assigned.add(node.name)  # type: ignore[attr-defined]
            continue
        elif kind is ast.Lambda:
            continue
        elif kind is ast.ExceptHandler and node.name:  # type: ignore[attr-defined]
            assigned.add(node.name)  # type: ignore[attr-defined]
        for field_name in node._fields:
            value = getattr(node, field_name, None)
            if isinstance(value, AST):
                push(value)
            elif type(value) is list:
                for item in value:
                    if isinstance(item, AST):
                        push(item)
    imports.sort(key=lambda n: (n.lineno, n.col_offset))
    return imports, assigned, has_yield


def import_aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> dotted name for every import in the file (functions' own imports too)."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def aliased_name(node: ast.AST, aliases: dict[str, str]) -> str | None:
    """The dotted name an attribute chain stands for through the file's imports (*aliases*, from
    import_aliases): ``environ`` after ``from os import environ`` is ``os.environ``."""
    return attribute_chain(node, aliases.get)
