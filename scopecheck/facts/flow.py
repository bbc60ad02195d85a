"""The flow walker: one function body in source order, recording what it does with its own
mocks and clients as a list of events (see events.py), plus the plain facts of the body.

It keeps only the state a fact needs: which of the function's mocks is active (a client made
then is ``mocked_locally``), which names hold a mock object or a client. What the events mean
(a late client use, a double stop, what a return ends) is for facts/interpret.py and the rules.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from scopecheck.facts.async_clients import async_client_call, is_async_session_call
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
from scopecheck.facts.events import (
    BlockEnd,
    Bound,
    Branch,
    FlowEvent,
    MockOn,
    NameUse,
    Return,
    StopCall,
    StopRegistered,
    WriteCall,
    Yield,
)
from scopecheck.facts.interpret import ActiveMocks
from scopecheck.facts.model import ClientCall, FileFacts, FunctionFacts, MockActivation
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


class BodyWalker:
    """Walks one function body in source order, appending to ``fn.events``."""

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
        self.events: list[FlowEvent] = fn.events
        self.decorated = decorated
        self.active = ActiveMocks()
        self.local_mocks: dict[str, str] = {}
        self.sessions = dict(names.sessions)
        self.aio_sessions = set(names.aio_sessions)
        # Names that hold a client made here with no mock on and no credentials of its own (assigned
        # one, or, with no mock on, a value reading such a name: a Bucket of it), and every name a
        # client was assigned to: only these get NameUse events, and Bound ones when rebound.
        self.holders: set[str] = set()
        self.targets: set[str] = set()
        # A second read of a name, or a second write call, adds nothing to the events until a
        # binding or a mock changes: only the first since then is recorded (moto's suite reads
        # its clients ~70,000 times).
        self.read_since_change: set[str] = set()
        self.wrote_since_change = False
        self.nested_stop_keys: dict[str, set[str]] = {}
        self.branch: Branch = ()
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
            self.events.append(Return(self.pos.of(stmt), stmt.value is not None))
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
        self.branch = (*saved, ((stmt.lineno, stmt.col_offset), label))
        self.walk(body)
        self.branch = saved

    def _with(self, stmt: ast.With | ast.AsyncWith) -> None:
        opened: list[MockActivation] = []
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
                opened.append(activation)
                if item.optional_vars is not None:
                    for name in stored_names(item.optional_vars):
                        self.local_mocks[name] = factory
                        self._bind_mock_local(item.optional_vars, name)
            elif item.optional_vars is not None:
                self._assign_targets([item.optional_vars], expr)
        self.walk(stmt.body)
        for activation in reversed(opened):
            self.active.end_block()
            self._changed(BlockEnd(activation))

    def _activate(self, activation: MockActivation) -> None:
        self.fn.activations.append(activation)
        self.active.on(activation)
        self._changed(MockOn(activation))

    def _assign_targets(self, targets: Sequence[ast.expr], value: ast.expr | None) -> None:
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(value, ast.Call):
                client = self._client_of(value)
                if client and isinstance(target.value, ast.Name) and target.value.id in ("self", "cls"):
                    self.fn.client_attrs.append(target.attr)
            for name in stored_names(target):
                self._bind(name, value, target)

    def _bind(self, name: str, value: ast.expr | None, target: ast.expr) -> None:
        if isinstance(value, ast.Call):
            factory = mock_factory_name(qualified_name(value.func, self.scope))
            if factory:
                self.local_mocks[name] = factory
                self._bind_mock_local(target, name)
                value = None  # a mock object, not a client
            elif qualified_name(value.func, self.scope) in SESSION_FACTORIES:
                self.sessions[name] = has_region(value, self.scope)
                value = None
            elif self.names.aio and is_async_session_call(value, self.scope):
                self.aio_sessions.add(name)
                value = None
        client = self._client_of(value) if isinstance(value, ast.Call) else None
        if client is not None:
            client.target = name
            self.targets.add(name)
            # Only a client made with no mock on and no credentials of its own is unmocked later.
            if client.mocked_locally or client.explicit_credentials:
                self.holders.discard(name)
            else:
                self.holders.add(name)
            self._changed(Bound(name, client))
            return
        sources: list[str] = []
        if value is not None and self.holders and not self.active.stack:
            sources = [n.id for n in iter_expr_nodes(value) if isinstance(n, ast.Name) and n.id in self.holders]
        if sources:
            self.holders.add(name)
            self._changed(Bound(name, None, tuple(sources)))
        elif name in self.holders:
            self.holders.discard(name)
            self._changed(Bound(name))

    def _changed(self, event: FlowEvent) -> None:
        """Record an event that changes what a read or a write call means."""
        self.events.append(event)
        self.read_since_change.clear()
        self.wrote_since_change = False

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
                name = sub.id
                if (name in self.holders or name in self.targets) and isinstance(sub.ctx, ast.Load):
                    if name not in self.read_since_change:
                        self.read_since_change.add(name)
                        self.events.append(NameUse(name, self.pos.of(sub)))
            elif isinstance(sub, ast.Subscript):
                self._note_env(sub)
            else:
                self.seen_yield = True
                self.events.append(Yield(self.pos.of(sub)))

    def _note_env(self, node: ast.AST) -> None:
        names = env_of_node(node, self.module_scope)
        if names:
            self.fn.sets_region |= bool(names & REGION_VARS)
            self.fn.sets_credentials |= bool(names & CREDENTIAL_VARS)

    def _call(self, call: ast.Call) -> None:
        if self.names.aio:
            mocked = bool(self.active.stack) or self.decorated
            made = async_client_call(call, self.scope, self.aio_sessions, self.pos.of(call), mocked=mocked)
            if made is not None:
                self.fn.async_clients.append(made)
                return
        client = client_call(call, self.scope, self.sessions, bool(self.active.stack) or self.decorated, self.pos)
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
                self._registered_stop(call, call.args[0])
            if not self.wrote_since_change and WRITE_CALL.match(func.attr):
                self.wrote_since_change = True
                self.events.append(WriteCall(self.pos.of(call)))
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
        self._activate(MockActivation("start", self.pos.of(call), self._factory_of_key(key, obj), key=key or None))

    def _stop(self, call: ast.Call, key: str, obj: ast.expr) -> None:
        loc = self.pos.of(call)
        if key:
            self.fn.stop_keys.append(key)
        else:
            self.fn.anonymous_stops.append(loc)
        self.active.stop(key)
        self._changed(StopCall(loc, key, self.branch))

    def _registered_stop(self, call: ast.Call, arg: ast.expr) -> None:
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
        for key in sorted(keys - {""}):
            self.events.append(StopRegistered(self.pos.of(call), key))
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
