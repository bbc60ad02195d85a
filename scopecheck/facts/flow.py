"""The flow walker: one function body in source order, tracking which of its own mocks is active
at each point, which clients it made before one started, and how it starts and stops them."""

from __future__ import annotations

import ast
from collections.abc import Sequence

from scopecheck.facts.aws_calls import (
    CREDENTIAL_VARS,
    FINALIZER_REGISTRARS,
    REGION_VARS,
    WRITE_CALL,
    ModuleNames,
    client_call,
    env_of_node,
    has_region,
    mock_object_key,
)
from scopecheck.facts.model import (
    ClientCall,
    FileFacts,
    FunctionFacts,
    LateClientUse,
    MockActivation,
    MockReturn,
    MockStart,
)
from scopecheck.facts.names import (
    SESSION_FACTORIES,
    Scope,
    dotted_text,
    mock_factory_name,
    qualified_name,
    stored_names,
)
from scopecheck.facts.positions import Positions
from scopecheck.facts.syntax import by_position, iter_expr_nodes, kw, string
from scopecheck.findings import Location


class BodyWalker:
    """Walks one function body in source order, tracking which local mock is active."""

    def __init__(
        self,
        file: FileFacts,
        pos: Positions,
        names: ModuleNames,
        module_scope: Scope,
        scope: Scope,
        fn: FunctionFacts,
        *,
        decorated: bool,
    ) -> None:
        self.file = file
        self.pos = pos
        self.names = names
        self.module_scope = module_scope
        self.scope = scope
        self.fn = fn
        self.decorated = decorated
        self.active: list[MockActivation] = []
        self.local_mocks: dict[str, str] = {}
        self.sessions = dict(names.sessions)
        self.unmocked_clients: dict[str, ClientCall] = {}
        self.reported_late: set[int] = set()
        self.stopped_own: Location | None = None  # the last stop of a mock this function started
        self.started_keys: dict[str, list[MockStart]] = {}
        self.stop_history: dict[str, list[tuple[Location, tuple]]] = {}
        self.nested_stop_keys: dict[str, set[str]] = {}
        self.registered: set[str] = set()
        self.branch: tuple = ()
        self.seen_yield = False

    # statements
    def walk(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            self.stmt(stmt)

    def stmt(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            keys = {
                dotted_text(n.func.value) or ""
                for n in ast.walk(stmt)
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "stop"
            }
            self.nested_stop_keys[stmt.name] = keys
            return
        if isinstance(stmt, ast.ClassDef):
            return
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            self._with(stmt)
            return
        if isinstance(stmt, ast.Return):
            if stmt.value is not None:
                self.expr(stmt.value)
                self.fn.returned_names += [n.id for n in iter_expr_nodes(stmt.value) if isinstance(n, ast.Name)]
            # What the return does to each mock is for the rules: a `with` block ends here, a
            # started mock runs on (until its stop, registered or not).
            ends = [a for a in self.active if a.kind == "with"]
            running = [a for a in self.active if a.kind == "start"]
            if ends or running or self.stopped_own is not None:
                self.fn.mock_returns.append(
                    MockReturn(self.pos.of(stmt), ends, running, self.stopped_own, stmt.value is not None)
                )
            return
        if isinstance(stmt, ast.If):
            self.expr(stmt.test)
            self._branch(stmt, "if-body", stmt.body)
            self._branch(stmt, "if-else", stmt.orelse)
            return
        if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            self.expr(stmt.iter if not isinstance(stmt, ast.While) else stmt.test)
            if not isinstance(stmt, ast.While):
                self._assign_targets([stmt.target], None)
            self.walk(stmt.body)
            self.walk(stmt.orelse)
            return
        # ast.TryStar (3.11) and ast.Match (3.10) are not in Python 3.9's ast: matched by name, so
        # mypy cannot narrow them (the type: ignores below).
        if isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            self._branch(stmt, "try-body", stmt.body)  # type: ignore[attr-defined]
            for i, handler in enumerate(stmt.handlers):  # type: ignore[attr-defined]
                self._branch(stmt, f"handler{i}", handler.body)
            self._branch(stmt, "try-else", stmt.orelse)  # type: ignore[attr-defined]
            self.walk(stmt.finalbody)  # type: ignore[attr-defined]
            return
        if type(stmt).__name__ == "Match":
            self.expr(stmt.subject)  # type: ignore[attr-defined]
            for i, case in enumerate(stmt.cases):  # type: ignore[attr-defined]
                self._branch(stmt, f"case{i}", case.body)
            return
        self.expr(stmt)
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            self._assign_targets(targets, stmt.value)

    def _branch(self, stmt: ast.stmt, label: str, body: list[ast.stmt]) -> None:
        saved = self.branch
        self.branch = (*saved, (id(stmt), label))
        self.walk(body)
        self.branch = saved

    def _with(self, stmt: ast.With | ast.AsyncWith) -> None:
        pushed = 0
        for item in stmt.items:
            expr = item.context_expr
            factory = None
            if isinstance(expr, ast.Call):
                factory = mock_factory_name(qualified_name(expr.func, self.scope))
                if factory:
                    for arg in [*expr.args, *(k.value for k in expr.keywords)]:
                        self.expr(arg)
                else:
                    self.expr(expr)
            else:
                key = mock_object_key(expr, self.scope, self.local_mocks, self.names.mock_keys)
                known = self.local_mocks.get(key or "") or self.names.mock_keys.get(key or "")
                factory = known if key else None
                self.expr(expr)
            if factory:
                has_config = isinstance(expr, ast.Call) and kw(expr, "config") is not None
                activation = MockActivation("with", self.pos.span(stmt, expr), factory, has_config)
                self._activate(activation)
                pushed += 1
                if item.optional_vars is not None:
                    for name in stored_names(item.optional_vars):
                        self.local_mocks[name] = factory
                        self._bind_mock_local(item.optional_vars, name)
            elif item.optional_vars is not None:
                self._assign_targets([item.optional_vars], expr)
        self.walk(stmt.body)
        for _ in range(pushed):
            self.active.pop()

    def _activate(self, activation: MockActivation) -> None:
        if self.active or self.decorated:
            self.fn.nested_activations.append(activation)
            # moto<5 mocks nest per service; mock_aws (service None) nests with every mock.
            activation.nested_in = next(
                (
                    a.loc
                    for a in self.active
                    if None in (a.service, activation.service) or a.service == activation.service
                ),
                None,
            )
        self.fn.activations.append(activation)
        self.active.append(activation)

    def _assign_targets(self, targets: Sequence[ast.expr], value: ast.expr | None) -> None:
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(value, ast.Call):
                client = self._client_of(value)
                if client and isinstance(target.value, ast.Name) and target.value.id in ("self", "cls"):
                    self.fn.client_attrs.append(target.attr)
            for name in stored_names(target):
                self.unmocked_clients.pop(name, None)
                if value is None:
                    continue
                if isinstance(value, ast.Call):
                    factory = mock_factory_name(qualified_name(value.func, self.scope))
                    if factory:
                        self.local_mocks[name] = factory
                        self._bind_mock_local(target, name)
                        continue
                    if qualified_name(value.func, self.scope) in SESSION_FACTORIES:
                        self.sessions[name] = has_region(value, self.scope)
                        continue
                client = self._client_of(value) if isinstance(value, ast.Call) else None
                if client is not None:
                    client.target = name
                    if not client.mocked_locally and not client.explicit_credentials:
                        self.unmocked_clients[name] = client
                    continue
                # Derived objects (a Bucket of an unmocked resource) share its credentials.
                for sub in iter_expr_nodes(value):
                    if isinstance(sub, ast.Name) and sub.id in self.unmocked_clients and not self.active:
                        self.unmocked_clients[name] = self.unmocked_clients[sub.id]
                        break

    def _bind_mock_local(self, target: ast.expr, name: str) -> None:
        if isinstance(target, (ast.Name, ast.Tuple, ast.List, ast.Starred)) and name not in self.fn.mock_locals:
            self.fn.mock_locals.append(name)

    def _client_of(self, call: ast.Call) -> ClientCall | None:
        loc = self.pos.of(call)
        return next((c for c in self.fn.clients if c.loc == loc), None)

    # expressions
    def expr(self, node: ast.AST) -> None:
        kinds = (ast.Call, ast.Name, ast.Yield, ast.YieldFrom, ast.Subscript)
        nodes = [n for n in iter_expr_nodes(node) if isinstance(n, kinds)]
        if len(nodes) > 1:
            nodes = by_position(nodes)
        for sub in nodes:
            if isinstance(sub, ast.Call):
                self._call(sub)
                self._note_env(sub)
            elif isinstance(sub, ast.Name):
                if isinstance(sub.ctx, ast.Load):
                    self._name_use(sub)
            elif isinstance(sub, ast.Subscript):
                self._note_env(sub)
            else:
                self._yield()

    def _note_env(self, node: ast.AST) -> None:
        names = env_of_node(node, self.module_scope)
        if names:
            self.fn.sets_region |= bool(names & REGION_VARS)
            self.fn.sets_credentials |= bool(names & CREDENTIAL_VARS)

    def _yield(self) -> None:
        if not self.seen_yield:
            self.seen_yield = True
            if self.active:
                self.fn.yield_under_mock = self.active[-1]

    def _name_use(self, name: ast.Name) -> None:
        client = self.unmocked_clients.get(name.id)
        if client is not None:
            self.fn.uses_client_var = True
            if self.active and id(client) not in self.reported_late:
                self.reported_late.add(id(client))
                self.fn.late_client_uses.append(LateClientUse(client, self.pos.of(name), self.active[0]))
        elif any(c.target == name.id for c in self.fn.clients):
            self.fn.uses_client_var = True

    def _call(self, call: ast.Call) -> None:
        client = client_call(call, self.scope, self.sessions, bool(self.active) or self.decorated, self.pos)
        if client is not None and client.deferred:
            self.file.all_clients.append(client)  # a factory: only the region matters (SCP402)
        elif client is not None:
            self.fn.clients.append(client)
            return
        func = call.func
        if isinstance(func, ast.Attribute):
            if func.attr in ("start", "stop"):
                key = mock_object_key(func.value, self.scope, self.local_mocks, self.names.mock_keys)
                if key is not None:
                    (self._start if func.attr == "start" else self._stop)(call, key, func.value)
                    return
            if func.attr == "getfixturevalue" and call.args:
                value = string(call.args[0])
                if value:
                    self.fn.dynamic_fixtures.append(value)
                    self.fn.dynamic_fixture_lines.append(call.lineno)
                else:
                    self.fn.dynamic_unknown = True
            if func.attr in FINALIZER_REGISTRARS and call.args:
                self._registered_stop(call.args[0])
            if (self.active or self.decorated) and not self.seen_yield and WRITE_CALL.match(func.attr):
                self.fn.writes_under_mock = True
            owner = func.value
            if (
                isinstance(owner, ast.Attribute)
                and isinstance(owner.value, ast.Name)
                and owner.value.id in ("self", "cls")
            ):
                self.fn.calls_client_attrs.append(owner.attr)

    def _factory_of_key(self, key: str, obj: ast.expr) -> str:
        if not key and isinstance(obj, ast.Call):
            return mock_factory_name(qualified_name(obj.func, self.scope)) or "mock_aws"
        return self.local_mocks.get(key) or self.names.mock_keys.get(key) or "mock_aws"

    def _start(self, call: ast.Call, key: str, obj: ast.expr) -> None:
        loc = self.pos.of(call)
        activation = MockActivation("start", loc, self._factory_of_key(key, obj), key=key or None)
        self._activate(activation)
        start = MockStart(loc, key or None, stopped_later=False, registered_stop=False)
        self.fn.starts.append(start)
        if key:
            self.started_keys.setdefault(key, []).append(start)
            self.stop_history.pop(key, None)

    def _stop(self, call: ast.Call, key: str, obj: ast.expr) -> None:
        if not key:
            # moto's nesting counter is class-wide: this stop balances any earlier start.
            self.fn.anonymous_stops.append(self.pos.of(call))
            for i in range(len(self.active) - 1, -1, -1):
                if self.active[i].kind == "start" and self.active[i].key is None:
                    del self.active[i]
                    self.stopped_own = self.pos.of(call)
                    break
            start = next((s for s in reversed(self.fn.starts) if s.key is None and not s.stopped_later), None)
            if start is not None:
                start.stopped_later = True
            return
        loc = self.pos.of(call)
        self.fn.stop_keys.append(key)
        for start in self.started_keys.get(key, []):
            start.stopped_later = True
        for i in range(len(self.active) - 1, -1, -1):
            if self.active[i].key == key:
                del self.active[i]
                self.stopped_own = loc
                break
        history = self.stop_history.setdefault(key, [])
        if any(not _exclusive(branch, self.branch) for _, branch in history):
            self.fn.double_stops.append(loc)
        history.append((loc, self.branch))

    def _registered_stop(self, arg: ast.expr) -> None:
        keys: set[str] = set()
        if isinstance(arg, ast.Attribute) and arg.attr == "stop":
            keys.add(dotted_text(arg.value) or "")
        elif isinstance(arg, ast.Name):
            keys |= self.nested_stop_keys.get(arg.id, set())
        elif isinstance(arg, ast.Lambda):
            keys |= {
                dotted_text(n.func.value) or ""
                for n in ast.walk(arg.body)
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "stop"
            }
        for key in keys - {""}:
            self.registered.add(key)
            for start in self.started_keys.get(key, []):
                start.registered_stop = True
            self.fn.stop_keys.append(key)

    def finish(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.fn.is_generator = self.fn.is_generator or self.seen_yield
        if self.fn.mock_locals:
            self.fn.shared_mock_locals = _shared_names(node, self.fn.mock_locals)


def _shared_names(node: ast.FunctionDef | ast.AsyncFunctionDef, names: list[str]) -> list[str]:
    """Those of *names* that code outside the function may reach: declared global/nonlocal, or
    loaded other than as the receiver of ``.start()``/``.stop()`` (returned, stored, passed on)."""
    wanted = set(names)
    receivers: set[int] = set()
    shared: set[str] = set()
    nodes = list(ast.walk(node))
    for sub in nodes:
        if isinstance(sub, (ast.Global, ast.Nonlocal)):
            shared |= wanted & set(sub.names)
        elif isinstance(sub, ast.Attribute) and sub.attr in ("start", "stop") and isinstance(sub.value, ast.Name):
            receivers.add(id(sub.value))
    for sub in nodes:
        if isinstance(sub, ast.Name) and sub.id in wanted and isinstance(sub.ctx, ast.Load):
            if id(sub) not in receivers:
                shared.add(sub.id)
    return [name for name in names if name in shared]


def _exclusive(a: tuple, b: tuple) -> bool:
    """Whether two code paths are alternatives (if/else, try body/handler) and never both run."""
    for (id_a, label_a), (id_b, label_b) in zip(a, b):
        if id_a != id_b:
            return False
        if label_a != label_b:
            return {label_a, label_b} != {"try-body", "try-else"}
    return False
