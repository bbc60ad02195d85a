"""Recognisers for pytest's shapes: fixtures, tests, test classes, marks and their arguments."""

from __future__ import annotations

import ast

from scopecheck.facts.aws_calls import mock_decorator
from scopecheck.facts.model import ClassFacts, FixtureInfo, FunctionFacts
from scopecheck.facts.names import FIXTURE_DECORATORS, PARAMETRIZE, USEFIXTURES, Scope, dotted_text, qualified_name
from scopecheck.facts.positions import Positions
from scopecheck.facts.syntax import kw, string, strings

_PATCHERS = {"unittest.mock.patch": 1, "mock.patch": 1, "unittest.mock.patch.object": 2, "mock.patch.object": 2}


def injects_mock(dec: ast.expr, scope: Scope) -> bool:
    """A ``@patch(...)`` / ``@patch.object(...)`` without ``new``: it passes a mock argument."""
    if not isinstance(dec, ast.Call):
        return False
    targets = _PATCHERS.get(qualified_name(dec.func, scope) or "")
    return targets is not None and len(dec.args) <= targets and kw(dec, "new") is None


def direct_parametrize_args(mark: ast.Call) -> list[str]:
    """The argument names a ``parametrize`` mark gives values to directly (not ``indirect``)."""
    node = mark.args[0] if mark.args else getattr(kw(mark, "argnames"), "value", None)
    text = string(node)
    names = [n.strip() for n in text.split(",")] if text else strings(node)
    indirect = kw(mark, "indirect")
    if indirect is not None:
        value = indirect.value
        if isinstance(value, ast.Constant):
            return [] if value.value else names
        if not isinstance(value, (ast.List, ast.Tuple)):
            return []  # computed: assume indirect, so the fixture still counts
        listed = set(strings(value))
        names = [n for n in names if n not in listed]
    return [n for n in names if n]


def usefixtures_of_marks(value: ast.expr, scope: Scope) -> list[str]:
    """The fixture names of the ``usefixtures`` marks in a ``pytestmark = ...`` value."""
    marks = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
    names: list[str] = []
    for mark in marks:
        if isinstance(mark, ast.Call) and qualified_name(mark.func, scope) == USEFIXTURES:
            names += [s for s in (string(a) for a in mark.args) if s]
    return names


def fixture_info(dec: ast.expr, default_name: str) -> FixtureInfo:
    """Name, scope and autouse of a ``@pytest.fixture`` / ``@pytest.fixture(...)`` decorator."""
    name, scope_name, autouse = default_name, "function", False
    if isinstance(dec, ast.Call):
        name = string(getattr(kw(dec, "name"), "value", None)) or default_name
        scope_kw = kw(dec, "scope")
        if scope_kw is not None:
            scope_name = string(scope_kw.value) or "unknown"
        autouse_kw = kw(dec, "autouse")
        autouse = bool(autouse_kw is not None and isinstance(autouse_kw.value, ast.Constant) and autouse_kw.value.value)
    return FixtureInfo(name=name, scope=scope_name, autouse=autouse)


def function_decorator(dec: ast.expr, scope: Scope, fn: FunctionFacts, pos: Positions) -> None:
    """Record what one decorator of a function makes of it (fixture, marks, mock, method kind)."""
    target = dec.func if isinstance(dec, ast.Call) else dec
    q = qualified_name(target, scope)
    if q in FIXTURE_DECORATORS:
        fn.fixture = fixture_info(dec, fn.name)
        return
    if q == USEFIXTURES and isinstance(dec, ast.Call):
        # pytest reads stacked marks bottom-up: the decorator nearest the def comes first.
        fn.usefixtures = [s for s in (string(a) for a in dec.args) if s] + fn.usefixtures
        return
    if q == PARAMETRIZE and isinstance(dec, ast.Call):
        fn.parametrize_args += direct_parametrize_args(dec)
        return
    if isinstance(dec, ast.Name) and scope.lookup(dec.id) is None:
        if dec.id == "classmethod":
            fn.is_classmethod = True
        elif dec.id == "staticmethod":
            fn.is_staticmethod = True
    mock = mock_decorator(dec, scope, pos)
    if mock:
        fn.mock_decorators.append(mock)


def requested_args(node: ast.FunctionDef | ast.AsyncFunctionDef, fn: FunctionFacts, scope: Scope) -> list[str]:
    """The arguments pytest fills with fixtures: no defaults, no ``self``/``cls``, none that a
    ``mock.patch`` decorator fills."""
    n_defaults = len(node.args.defaults)
    positional = node.args.posonlyargs + node.args.args
    requestable = positional[: len(positional) - n_defaults] if n_defaults else positional
    kwonly = [a for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults) if d is None]
    args = [a.arg for a in requestable + kwonly]
    if fn.class_name and args and not fn.is_staticmethod:
        args = args[1:]  # self / cls
    # mock.patch decorators fill the leading arguments: pytest does not take them as fixtures.
    return args[sum(1 for dec in node.decorator_list if injects_mock(dec, scope)) :]


def is_test_function(name: str, fn: FunctionFacts, cls: ClassFacts | None) -> bool:
    """pytest's default collection: ``test*`` functions, and methods of collected classes."""
    if fn.fixture is not None:
        return False
    if fn.class_name is None:
        return name.startswith("test")
    return bool(cls and cls.is_test_class) and name.startswith("test")


def class_shape(node: ast.ClassDef, qual: str, scope: Scope, pos: Positions, *, outer_collected: bool) -> ClassFacts:
    """A class's decorators, marks and bases, and whether pytest collects it."""
    facts = ClassFacts(name=qual, loc=pos.of(node))
    for dec in node.decorator_list:
        mock = mock_decorator(dec, scope, pos)
        if mock:
            facts.mock_decorators.append(mock)
        elif isinstance(dec, ast.Call) and qualified_name(dec.func, scope) == USEFIXTURES:
            # pytest reads stacked marks bottom-up: the decorator nearest the def comes first.
            facts.usefixtures = [s for s in (string(a) for a in dec.args) if s] + facts.usefixtures
        elif isinstance(dec, ast.Call) and qualified_name(dec.func, scope) == PARAMETRIZE:
            facts.parametrize_args += direct_parametrize_args(dec)
    facts.bases = [dotted_text(b) or "" for b in node.bases]
    has_init = any(isinstance(s, ast.FunctionDef) and s.name == "__init__" for s in node.body)
    is_unittest = any(b.endswith("TestCase") for b in facts.bases)
    # pytest collects a nested Test* class inside a collected one.
    facts.is_test_class = outer_collected and (is_unittest or (node.name.startswith("Test") and not has_init))
    return facts
