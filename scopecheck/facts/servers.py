"""Facts about moto's server mode (SCP404) and the endpoints clients are sent to (SCP403).

* every ``ThreadedMotoServer(...)`` (``moto.server`` or ``moto.moto_server.threaded_moto_server``,
  through aliases), with its port when the code fixes it (moto's default is 5000) and whether the
  code that builds it also stops it;
* every ``endpoint_url=`` argument whose value can be read: a string, an f-string (its computed
  parts become ``{}``) or a module-level string constant.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from scopecheck.facts.names import aliased_name, dotted_text, import_aliases
from scopecheck.findings import Location

DEFAULT_PORT = 5000  # ThreadedMotoServer.__init__(ip_address="0.0.0.0", port=5000, verbose=True)
_SERVER_CLASS = "ThreadedMotoServer"
_FINALIZERS = frozenset({"addfinalizer", "addCleanup", "addClassCleanup", "callback", "register", "enter_context"})


class _Positions(Protocol):
    def of(self, node: ast.AST) -> Location: ...


@dataclass
class ServerUse:
    """One ``ThreadedMotoServer(...)``."""

    loc: Location
    port: int | None  # the fixed port (DEFAULT_PORT when none is given); None: computed, or 0
    fixed: bool  # the port is a literal other than 0 (or moto's default)
    function: str | None  # qualname of the function that builds it; None at module level
    started: bool  # ``.start()`` on it is seen, or it is handed elsewhere (unknown: may start)
    stopped: bool  # ``.stop()`` on it is seen, or it is handed elsewhere (unknown: may stop)


@dataclass
class EndpointUse:
    """A call's ``endpoint_url=`` whose value is known (``{}`` for the computed parts)."""

    loc: Location
    url: str


@dataclass
class ServerFacts:
    servers: list[ServerUse] = field(default_factory=list)
    endpoints: list[EndpointUse] = field(default_factory=list)
    mentions_server: bool = False  # the file refers to moto's server mode (ThreadedMotoServer, TEST_SERVER_MODE)


def _module_constants(tree: ast.Module) -> dict[str, object]:
    """Module-level names bound once to a str or int literal."""
    seen: dict[str, list[object]] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            value = stmt.value.value if isinstance(stmt.value, ast.Constant) else None
            seen.setdefault(stmt.targets[0].id, []).append(value)
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            value = stmt.value.value if isinstance(stmt.value, ast.Constant) else None
            seen.setdefault(stmt.target.id, []).append(value)
    return {
        name: values[0]
        for name, values in seen.items()
        if len(values) == 1 and isinstance(values[0], (str, int)) and not isinstance(values[0], bool)
    }


class _Reader:
    def __init__(self, tree: ast.Module, pos: _Positions, text: str) -> None:
        self.pos = pos
        self.alias = import_aliases(tree)
        self.constants = _module_constants(tree)
        self.names_server = _SERVER_CLASS in text
        hints = ("moto_server", _SERVER_CLASS, "moto.server", "TEST_SERVER_MODE")
        self.facts = ServerFacts(mentions_server=any(hint in text for hint in hints))

    def dotted(self, node: ast.AST) -> str | None:
        return aliased_name(node, self.alias)

    def is_server(self, call: ast.Call) -> bool:
        name = self.dotted(call.func) or ""
        return name.startswith("moto.") and name.endswith(f".{_SERVER_CLASS}")

    def value(self, node: ast.AST) -> object:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.constants.get(node.id)
        return None

    def url(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.JoinedStr):
            parts = []
            for part in node.values:
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    parts.append(part.value)
                else:
                    parts.append("{}")
            return "".join(parts)
        value = self.value(node)
        return value if isinstance(value, str) else None

    def port(self, call: ast.Call) -> tuple[int | None, bool]:
        node: ast.AST | None = call.args[1] if len(call.args) >= 2 else None
        for kw in call.keywords:
            if kw.arg == "port":
                node = kw.value
            elif kw.arg is None:
                return None, False
        if node is None:
            return (None, False) if any(isinstance(a, ast.Starred) for a in call.args) else (DEFAULT_PORT, True)
        value = self.value(node)
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return (value, True) if value else (None, False)
        return None, False

    # -- the file ---------------------------------------------------------------------------
    def module(self, tree: ast.Module) -> ServerFacts:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for kw in node.keywords:
                    if kw.arg == "endpoint_url":
                        url = self.url(kw.value)
                        if url is not None:
                            self.facts.endpoints.append(EndpointUse(self.pos.of(node), url))
        if self.names_server:
            self.block(tree.body, None, tree.body)
        return self.facts

    def block(self, body: list[ast.stmt], class_name: str | None, siblings: list[ast.stmt]) -> None:
        plain: list[ast.stmt] = []
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                qual = f"{class_name}.{stmt.name}" if class_name else stmt.name
                self.scope([stmt], qual, body if class_name else None)
            elif isinstance(stmt, ast.ClassDef):
                self.block(stmt.body, f"{class_name}.{stmt.name}" if class_name else stmt.name, stmt.body)
            else:
                plain.append(stmt)
        if class_name is None and plain:
            self.scope(plain, None, None)

    def scope(self, nodes: list[ast.stmt], qual: str | None, class_body: list[ast.stmt] | None) -> None:
        """The servers one function (or the module's own statements) builds."""
        calls = [n for root in nodes for n in _walk(root, enter_defs=qual is not None) if isinstance(n, ast.Call)]
        servers = [c for c in calls if self.is_server(c)]
        if not servers:
            return
        everywhere = [n for root in (class_body or nodes) for n in ast.walk(root)]
        for call in servers:
            key = self._stored_in(call, nodes)
            port, fixed = self.port(call)
            if key is None:
                # Used in place (``ThreadedMotoServer().start()``) or handed on: only a chained start is known.
                chained = self._chained(call, nodes)
                started, stopped = (chained == "start", False) if chained else (True, True)
            else:
                pool = everywhere if key.startswith(("self.", "cls.")) else [n for r in nodes for n in ast.walk(r)]
                started = self._method_on(key, "start", pool) or self._escapes(key, pool)
                stopped = self._method_on(key, "stop", pool) or self._escapes(key, pool) or self._finalized(key, pool)
            self.facts.servers.append(ServerUse(self.pos.of(call), port, fixed, qual, started, stopped))

    @staticmethod
    def _stored_in(call: ast.Call, nodes: list[ast.stmt]) -> str | None:
        for root in nodes:
            for node in ast.walk(root):
                if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is call:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    if len(targets) == 1:
                        return dotted_text(targets[0])
                if isinstance(node, ast.withitem) and node.context_expr is call and node.optional_vars is not None:
                    return dotted_text(node.optional_vars)
        return None

    @staticmethod
    def _chained(call: ast.Call, nodes: list[ast.stmt]) -> str | None:
        """``start``/``stop`` when the new server is used in place; None when it is handed on."""
        for root in nodes:
            for node in ast.walk(root):
                if isinstance(node, ast.Attribute) and node.value is call:
                    return node.attr
        return None

    @staticmethod
    def _method_on(key: str, method: str, pool: list[ast.AST]) -> bool:
        return any(
            isinstance(n, ast.Attribute) and n.attr == method and dotted_text(n.value) in (key, _swap(key))
            for n in pool
        )

    @staticmethod
    def _escapes(key: str, pool: list[ast.AST]) -> bool:
        """The object is returned, yielded, passed to a call or stored elsewhere: others may start or
        stop it (unknown is not an error)."""
        for node in pool:
            values: list[ast.AST] = []
            if isinstance(node, (ast.Return, ast.Yield, ast.YieldFrom)) and node.value is not None:
                values = [node.value]
            elif isinstance(node, ast.Call):
                values = [*node.args, *(k.value for k in node.keywords)]
            elif isinstance(node, ast.Assign):
                values = [node.value]
            for value in values:
                items = value.elts if isinstance(value, (ast.Tuple, ast.List)) else [value]
                if any(dotted_text(item) in (key, _swap(key)) for item in items):
                    return True
        return False

    @staticmethod
    def _finalized(key: str, pool: list[ast.AST]) -> bool:
        return any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _FINALIZERS for n in pool
        )


def _swap(key: str) -> str:
    """``self.server`` and ``cls.server`` name the same class attribute."""
    if key.startswith("self."):
        return "cls." + key[5:]
    if key.startswith("cls."):
        return "self." + key[4:]
    return key


def _walk(node: ast.AST, *, enter_defs: bool) -> Iterator[ast.AST]:
    todo = [node]
    while todo:
        current = todo.pop()
        yield current
        if (
            current is not node
            and not enter_defs
            and isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        ):
            continue
        todo.extend(ast.iter_child_nodes(current))


def server_facts(tree: ast.Module, pos: _Positions, text: str) -> ServerFacts:
    return _Reader(tree, pos, text).module(tree)
