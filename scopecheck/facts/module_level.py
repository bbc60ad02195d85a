"""Module-level code: what runs at import (clients, mock starts, environment writes), the imports
and marks of the module, and its classes. Function bodies are left to the flow walker."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Union

from scopecheck.facts.async_clients import is_async_session_call
from scopecheck.facts.aws_calls import (
    CREDENTIAL_VARS,
    REGION_VARS,
    ModuleNames,
    client_call,
    env_writes,
    has_region,
    legacy_import,
    mock_object_key,
)
from scopecheck.facts.model import ClassFacts, ClientCall, FileFacts, ImportRef, MockStart
from scopecheck.facts.names import SESSION_FACTORIES, Scope, mock_factory_name, qualified_name, stored_names
from scopecheck.facts.positions import Positions
from scopecheck.facts.pytest_shapes import class_shape, usefixtures_of_marks
from scopecheck.facts.syntax import by_position, is_main_guard, iter_expr_nodes, strings

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]
_BLOCKS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.With, ast.AsyncWith)


def note_imports(facts: FileFacts, node: ast.Import | ast.ImportFrom, pos: Positions, *, module_level: bool) -> None:
    """Whether the file imports moto, its moto<5 imports, and (at module level) every import."""
    if isinstance(node, ast.Import):
        mods = [a.name for a in node.names]
        if any(m == "moto" or m.startswith("moto.") for m in mods):
            facts.imports_moto = True
        if module_level:
            for mod in mods:
                facts.imports.append(ImportRef(mod, 0, [], pos.of(node)))
        return
    module = node.module or ""
    if not node.level and (module == "moto" or module.startswith("moto.")):
        facts.imports_moto = True
    legacy = legacy_import(node, pos)
    if legacy is not None:
        facts.legacy_uses.append(legacy)
    if module_level:
        names = [a.name for a in node.names]
        facts.imports.append(ImportRef(module, node.level, names, pos.of(node)))


class ModuleWalker:
    """Walks module-level statements (and class bodies) in order, binding the module's names."""

    def __init__(self, facts: FileFacts, pos: Positions, scope: Scope, names: ModuleNames) -> None:
        self.facts = facts
        self.pos = pos
        self.scope = scope
        self.names = names
        # Functions to extract once every module-level name is bound: (def, class qualname, class).
        self.functions: list[tuple[FunctionNode, str | None, ClassFacts | None]] = []

    def block(self, body: list[ast.stmt], *, main_guard: bool) -> None:
        for stmt in body:
            self._stmt(stmt, main_guard=main_guard)

    def _stmt(self, stmt: ast.stmt, *, main_guard: bool) -> None:
        scope = self.scope
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            scope.bind_import(stmt)
            note_imports(self.facts, stmt, self.pos, module_level=not main_guard)
            return
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            scope.shadow([stmt.name])
            if not main_guard:
                self._def_header(stmt)
            self.functions.append((stmt, None, None))
            return
        if isinstance(stmt, ast.ClassDef):
            scope.shadow([stmt.name])
            self._class(stmt, main_guard=main_guard)
            return
        if is_main_guard(stmt):
            assert isinstance(stmt, ast.If)
            self.block(stmt.body, main_guard=True)
            self.block(stmt.orelse, main_guard=main_guard)
            return
        if isinstance(stmt, _BLOCKS) or type(stmt).__name__ in ("Match", "TryStar"):
            header = [getattr(stmt, n) for n in ("test", "iter", "subject") if hasattr(stmt, n)]
            if isinstance(stmt, (ast.With, ast.AsyncWith)):
                header += [item.context_expr for item in stmt.items]
            if not main_guard:
                self.import_time(header)
            for name in ("body", "orelse", "finalbody"):
                self.block(getattr(stmt, name, []) or [], main_guard=main_guard)
            for handler in getattr(stmt, "handlers", []) or []:
                self.block(handler.body, main_guard=main_guard)
            for case in getattr(stmt, "cases", []) or []:
                self.block(case.body, main_guard=main_guard)
            return
        if main_guard:
            return
        self._simple(stmt)

    def _def_header(self, stmt: FunctionNode) -> None:
        """Decorators and defaults run when the ``def`` does."""
        self.import_time(stmt.decorator_list)
        self.import_time(stmt.args.defaults + [d for d in stmt.args.kw_defaults if d])

    def _simple(self, stmt: ast.stmt) -> None:
        scope = self.scope
        env = env_writes(stmt, scope)
        self.facts.sets_region |= bool(env & REGION_VARS)
        self.facts.sets_region_at_import |= bool(env & REGION_VARS)
        self.facts.sets_credentials_at_import |= bool(env & CREDENTIAL_VARS)
        if isinstance(stmt, ast.Assign):
            names = [n for t in stmt.targets for n in stored_names(t)]
            if "pytestmark" in names:
                self.facts.module_usefixtures += usefixtures_of_marks(stmt.value, scope)
            if "pytest_plugins" in names:
                self.facts.pytest_plugins += strings(stmt.value)
        clients = self.import_time([stmt])
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            value = stmt.value
            for target in targets:
                for name in stored_names(target):
                    scope.shadow([name])
                    if isinstance(value, ast.Call):
                        factory = mock_factory_name(qualified_name(value.func, scope))
                        if factory:
                            self.names.mock_keys[name] = factory
                        elif qualified_name(value.func, scope) in SESSION_FACTORIES:
                            self.names.sessions[name] = has_region(value, scope)
                        elif self.names.aio and is_async_session_call(value, scope):
                            self.names.aio_sessions.add(name)
                    for client in clients:
                        if client.loc == self.pos.of(value):
                            client.target = name
        self._mock_calls(stmt)

    def _mock_calls(self, stmt: ast.stmt) -> None:
        for node in iter_expr_nodes(stmt):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            key = mock_object_key(node.func.value, self.scope, {}, self.names.mock_keys)
            if key is None:
                continue
            if node.func.attr == "start":
                self.facts.module_starts.append(MockStart(self.pos.of(node), key or None))
            elif node.func.attr == "stop" and key:
                self.facts.module_stop_keys.append(key)
            elif node.func.attr == "stop":
                self.facts.module_anonymous_stops.append(self.pos.of(node))

    def import_time(self, nodes: Sequence[ast.AST]) -> list[ClientCall]:
        """Record client calls that run when the module is imported."""
        found: list[ClientCall] = []
        walked = [n for node in nodes for n in iter_expr_nodes(node)]
        calls = [n for n in walked if isinstance(n, ast.Call)]
        # ``Session().region_name``: the object is read once and dropped, nothing keeps it.
        dropped = {id(n.value) for n in walked if isinstance(n, ast.Attribute)}
        for call in by_position(calls):
            assert isinstance(call, ast.Call)
            client = client_call(call, self.scope, self.names.sessions, False, self.pos)
            if client:
                client.throwaway = id(call) in dropped
                found.append(client)
        self.facts.import_time_clients += [c for c in found if not c.deferred]
        self.facts.all_clients += found
        return [c for c in found if not c.deferred]

    def _class(
        self, node: ast.ClassDef, *, main_guard: bool, outer: str | None = None, outer_collected: bool = True
    ) -> None:
        scope = self.scope
        qual = f"{outer}.{node.name}" if outer else node.name
        facts = class_shape(node, qual, scope, self.pos, outer_collected=outer_collected)
        if not main_guard:
            self.import_time(node.decorator_list + node.bases + [k.value for k in node.keywords])
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if not main_guard:
                    self._def_header(stmt)
                self.functions.append((stmt, qual, facts))
            elif isinstance(stmt, ast.ClassDef):
                self._class(stmt, main_guard=main_guard, outer=qual, outer_collected=facts.is_test_class)
            elif not main_guard:
                if isinstance(stmt, ast.Assign) and any(
                    n == "pytestmark" for t in stmt.targets for n in stored_names(t)
                ):
                    facts.usefixtures += usefixtures_of_marks(stmt.value, scope)
                self.import_time([stmt])
                if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                    note_imports(self.facts, stmt, self.pos, module_level=False)
        self.facts.classes.append(facts)
