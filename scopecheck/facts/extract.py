"""Extract :class:`FileFacts` from one file's source with Python's ``ast``.

Why ``ast`` and not libcst here: extraction runs on every file of every commit, and ``ast.parse``
is about 8x faster than ``libcst.parse_module`` and gives positions for free (libcst needs a
second, even slower, metadata pass). libcst is used where its lossless tree matters: ``--fix``.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from scopecheck.facts.async_clients import (
    async_client_call,
    is_async_session_call,
    mentions_async_sdk,
    mentions_moto_server,
    patches_aiobotocore,
)
from scopecheck.facts.guards import import_guards, import_shims, region_guards
from scopecheck.facts.model import (
    ClassFacts,
    ClientCall,
    FileFacts,
    FixtureInfo,
    FunctionFacts,
    ImportRef,
    LateClientUse,
    LegacyApiUse,
    MockActivation,
    MockReturn,
    MockStart,
)
from scopecheck.facts.names import (
    CLIENT_FACTORIES,
    CONFIG_FACTORIES,
    FIXTURE_DECORATORS,
    PARAMETRIZE,
    SESSION_FACTORIES,
    USEFIXTURES,
    Scope,
    dotted_text,
    is_removed_mock_name,
    local_bindings,
    mock_factory_name,
    qualified_name,
    stored_names,
)
from scopecheck.facts.reads import module_global_reads
from scopecheck.findings import Location
from scopecheck.source import split_lines

CREDENTIAL_VARS = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"}
REGION_VARS = {"AWS_DEFAULT_REGION"}  # botocore never reads AWS_REGION for a client's region
# boto3.client / Session.client keyword arguments; any other keyword is a TypeError.
_CLIENT_KWARGS = {
    "service_name",
    "region_name",
    "api_version",
    "use_ssl",
    "verify",
    "endpoint_url",
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "config",
    "aws_account_id",
}
# AWS operations that create data (SCP301: what a nested moto<5 mock would wipe).
_WRITE_CALL = re.compile(r"(create|put|upload|send|publish|register|attach|subscribe|run_instances)(_|$)")
FINALIZER_REGISTRARS = {"addfinalizer", "addCleanup", "addClassCleanup", "register", "callback"}
SETUP_TEARDOWN = {
    "setup_method": "teardown_method",
    "setup_function": "teardown_function",
    "setup_class": "teardown_class",
    "setup_module": "teardown_module",
    "setup": "teardown",
    "setUp": "tearDown",
    "setUpClass": "tearDownClass",
    "setUpModule": "tearDownModule",
}


class Positions:
    """Turns ast's UTF-8 byte columns into 1-based character columns."""

    def __init__(self, text: str) -> None:
        self.lines = split_lines(text)

    def _col(self, line: int, byte_col: int) -> int:
        if 0 < line <= len(self.lines):
            raw = self.lines[line - 1]
            if not raw.isascii():
                return len(raw.encode("utf-8")[:byte_col].decode("utf-8", "replace")) + 1
        return byte_col + 1

    def of(self, node: ast.AST) -> Location:
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0)
        end_line = getattr(node, "end_lineno", None) or line
        end_col = getattr(node, "end_col_offset", None)
        end_col = col if end_col is None else end_col
        return Location(line, self._col(line, col), end_line, self._col(end_line, end_col))


def is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    sides = [test.left, *test.comparators]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        isinstance(s, ast.Constant) and s.value == "__main__" for s in sides
    )


# Only files whose text could hold ``x.attr = mock_...(`` or ``.mock_s3`` need the attribute pass.
_MOCK_ATTRIBUTE_HINT = re.compile(r"\.\w+\s*=\s*[\w.]*mock_\w+\s*\(|\.mock_(?!aws\b)\w")
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


def _by_position(nodes: Sequence[_Node]) -> list[_Node]:
    return sorted(nodes, key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))


def _kw(call: ast.Call, name: str) -> ast.keyword | None:
    return next((k for k in call.keywords if k.arg == name), None)


def _has_star_kwargs(call: ast.Call) -> bool:
    return any(k.arg is None for k in call.keywords)


def _string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _strings(node: ast.AST | None) -> list[str]:
    if node is None:
        return []
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [s for s in (_string(e) for e in node.elts) if s is not None]
    value = _string(node)
    return [value] if value is not None else []


_PATCHERS = {"unittest.mock.patch": 1, "mock.patch": 1, "unittest.mock.patch.object": 2, "mock.patch.object": 2}


def _injects_mock(dec: ast.expr, scope: Scope) -> bool:
    """A ``@patch(...)`` / ``@patch.object(...)`` without ``new``: it passes a mock argument."""
    if not isinstance(dec, ast.Call):
        return False
    targets = _PATCHERS.get(qualified_name(dec.func, scope) or "")
    return targets is not None and len(dec.args) <= targets and _kw(dec, "new") is None


def _direct_parametrize_args(mark: ast.Call) -> list[str]:
    """The argument names a ``parametrize`` mark gives values to directly (not ``indirect``)."""
    node = mark.args[0] if mark.args else getattr(_kw(mark, "argnames"), "value", None)
    text = _string(node)
    names = [n.strip() for n in text.split(",")] if text else _strings(node)
    indirect = _kw(mark, "indirect")
    if indirect is not None:
        value = indirect.value
        if isinstance(value, ast.Constant):
            return [] if value.value else names
        if not isinstance(value, (ast.List, ast.Tuple)):
            return []  # computed: assume indirect, so the fixture still counts
        listed = set(_strings(value))
        names = [n for n in names if n not in listed]
    return [n for n in names if n]


def _written_env_vars(call: ast.Call) -> set[str]:
    """Environment variable names a call writes: setenv/setdefault/putenv/update/patch.dict."""
    func = call.func
    attr = func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else "")
    names: set[str] = set()
    if attr in {"setenv", "setdefault", "putenv"} and call.args:
        value = _string(call.args[0])
        if value:
            names.add(value)
    if attr in {"update", "dict", "setitem"} or attr.endswith("patch_dict"):
        for arg in [*call.args, *(k.value for k in call.keywords)]:
            if isinstance(arg, ast.Dict):
                names.update(s for s in (_string(k) for k in arg.keys) if s)
            elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                names.add(arg.value)
        names.update(k.arg for k in call.keywords if k.arg)
    return names


@dataclass
class _Names:
    """What module-level code bound that functions may refer to."""

    mock_keys: dict[str, str] = field(default_factory=dict)  # object key -> factory
    sessions: dict[str, bool] = field(default_factory=dict)  # session var -> has region
    aio_sessions: set[str] = field(default_factory=set)  # aioboto3/aiobotocore session vars


class FileExtractor:
    def __init__(self, path: str, text: str, *, is_test_module: bool, is_conftest: bool) -> None:
        self.facts = FileFacts(path=path, is_test_module=is_test_module, is_conftest=is_conftest)
        self.text = text
        self.pos = Positions(text)
        self.module_scope = Scope()
        self.names = _Names()
        self._rebind_hint: re.Pattern[str] | None = None
        self.aio = mentions_async_sdk(text)  # only such files can make an async client (SCP105)
        self.deferred: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, str | None, ClassFacts | None]] = []

    # -- entry -------------------------------------------------------------------------------
    def run(self) -> FileFacts:
        try:
            # The parser warns about the user's code (invalid escapes, from Python 3.12 on
            # stderr by default); that is not scopecheck's output.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(self.text, filename=self.facts.path)
        except SyntaxError as exc:
            # Kept inside the file: older parsers report offsets past the line's end (or the file's).
            lines = self.pos.lines or [""]
            line = min(max(exc.lineno or 1, 1), len(lines))
            col = min(max((exc.offset or 1) if exc.lineno else 1, 1), len(lines[line - 1]) + 1)
            self.facts.parse_error = (Location(line, col, line, col), exc.msg or "invalid syntax")
            return self.facts
        except (RecursionError, MemoryError):
            # CPython's parser reports very deep nesting as one of these, often with no message.
            self.facts.parse_error = (Location(1, 1, 1, 1), "too deeply nested for Python's parser")
            return self.facts
        except ValueError as exc:
            self.facts.parse_error = (Location(1, 1, 1, 1), f"cannot parse: {exc}")
            return self.facts
        self._module_block(tree.body, main_guard=False)
        if _MOCK_ATTRIBUTE_HINT.search(self.text):
            self._mock_attributes(tree)
        if "mock_aws" in self.text and ("Error" in self.text or "ersion" in self.text):
            self.facts.import_shims = import_shims(tree)
        if "mock_" in self.text and ("Error" in self.text or "Exception" in self.text or "except:" in self.text):
            self.facts.import_guards = import_guards(tree)
        if "NoRegionError" in self.text or "BotoCoreError" in self.text:
            self.facts.region_guards = region_guards(tree)
        if self.aio:
            self.facts.patches_aiobotocore = patches_aiobotocore(self.text)
        self.facts.moto_server = mentions_moto_server(self.text)
        if self.facts.import_time_clients and not (self.facts.is_test_module or self.facts.is_conftest):
            self.facts.global_reads = module_global_reads(tree)
        for node, class_name, class_facts in self.deferred:
            self.facts.functions.append(self._function(node, class_name, class_facts))
        return self.facts

    def _mock_attributes(self, tree: ast.Module) -> None:
        """One pass over the tree for attribute facts: ``self.mock = mock_aws()`` makes ``self.mock``
        a mock object in every method; ``moto.mock_s3`` is a use of the moto<5 API."""
        scope = self.module_scope
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                for target in node.targets:
                    if isinstance(target, ast.Attribute):
                        key = dotted_text(target)
                        factory = mock_factory_name(qualified_name(node.value.func, scope))
                        if key and factory:
                            self.names.mock_keys[key] = factory
            elif isinstance(node, ast.Attribute) and is_removed_mock_name(node.attr):
                q = qualified_name(node.value, scope)
                if q and (q == "moto" or (q.startswith("moto.") and q.count(".") == 1)):
                    self.facts.legacy_uses.append(LegacyApiUse(self.pos.of(node), [node.attr], is_import=False))

    # -- helpers -----------------------------------------------------------------------------
    def _mock_decorator(self, dec: ast.expr, scope: Scope) -> MockActivation | None:
        target = dec.func if isinstance(dec, ast.Call) else dec
        factory = mock_factory_name(qualified_name(target, scope))
        if factory is None:
            return None
        has_config = isinstance(dec, ast.Call) and _kw(dec, "config") is not None
        return MockActivation("decorator", self.pos.of(dec), factory, has_config)

    def _client_call(self, call: ast.Call, scope: Scope, sessions: dict[str, bool], mocked: bool) -> ClientCall | None:
        q = qualified_name(call.func, scope)
        kind: str | None = None
        session_region: bool | None = None
        if q == "functools.partial" and call.args:
            # partial(boto3.client, "sqs") makes clients too: the call's own arguments follow.
            inner = qualified_name(call.args[0], scope)
            if inner in CLIENT_FACTORIES:
                bound = ast.Call(func=call.args[0], args=call.args[1:], keywords=call.keywords)
                service = _string(bound.args[0]) if bound.args else None
                if service is None:
                    service = _string(getattr(_kw(bound, "service_name"), "value", None))
                region = self._has_region(bound, scope)
                explicit = _kw(bound, "aws_access_key_id") is not None
                made = ClientCall(self.pos.of(call), CLIENT_FACTORIES[inner], service, region, explicit, mocked)
                made.deferred = True
                return made
            return None
        if q in CLIENT_FACTORIES:
            kind = CLIENT_FACTORIES[q]
        elif q in SESSION_FACTORIES:
            kind = "session"
        elif isinstance(call.func, ast.Attribute) and call.func.attr in ("client", "resource"):
            owner = call.func.value
            if isinstance(owner, ast.Name) and scope.lookup(owner.id) is None and owner.id in sessions:
                kind, session_region = call.func.attr, sessions[owner.id]
            elif isinstance(owner, ast.Call) and qualified_name(owner.func, scope) in SESSION_FACTORIES:
                kind, session_region = call.func.attr, self._has_region(owner, scope)
        if kind is None:
            return None
        service = _string(call.args[0]) if call.args else _string(getattr(_kw(call, "service_name"), "value", None))
        has_region = self._has_region(call, scope) or bool(session_region)
        if any(k.arg not in _CLIENT_KWARGS for k in call.keywords if k.arg) and kind != "session":
            has_region = True  # boto3 raises TypeError first: no region is ever looked up (SCP402)
        explicit = _kw(call, "aws_access_key_id") is not None
        found = ClientCall(self.pos.of(call), kind, service, has_region, explicit, mocked)
        found.has_endpoint = _kw(call, "endpoint_url") is not None
        return found

    def _has_region(self, call: ast.Call, scope: Scope) -> bool:
        if _has_star_kwargs(call) or _kw(call, "region_name") is not None:
            return True
        # boto3.client(service, region) passes the region positionally.
        if len(call.args) >= 2:
            return True
        config = _kw(call, "config")
        if config is None:
            return False
        value = config.value
        if isinstance(value, ast.Call) and qualified_name(value.func, scope) in CONFIG_FACTORIES:
            return _kw(value, "region_name") is not None or _has_star_kwargs(value)
        return True  # a Config built elsewhere: assume it carries a region rather than guess wrong

    def _env_of_node(self, sub: ast.AST) -> set[str] | None:
        """Environment variables one node writes (a call or a subscript assignment target)."""
        if isinstance(sub, ast.Call):
            names = _written_env_vars(sub)
            func = sub.func
            if isinstance(func, (ast.Attribute, ast.Name)) and getattr(func, "attr", getattr(func, "id", "")) == (
                "setup_default_session"
            ):
                if qualified_name(func, self.module_scope) == "boto3.setup_default_session" and _kw(sub, "region_name"):
                    names.add("AWS_DEFAULT_REGION")
            return names
        if isinstance(sub, ast.Subscript) and isinstance(sub.ctx, ast.Store):
            key = _string(sub.slice)
            return {key} if key else None
        return None

    def _env_writes(self, node: ast.AST) -> set[str]:
        names: set[str] = set()
        for sub in iter_expr_nodes(node):
            found = self._env_of_node(sub)
            if found:
                names |= found
        return names

    def _legacy_import(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        # ``moto`` itself, or a moto<5 service package such as ``moto.s3`` (not ``moto.moto_api._internal``).
        if node.level or not (module == "moto" or (module.startswith("moto.") and module.count(".") == 1)):
            return
        if module == "moto":
            # moto 5's top level exports only mock_aws: mock_xray_client moved to moto.xray.
            names = [a.name for a in node.names if a.name.startswith("mock_") and a.name != "mock_aws"]
        else:
            names = [a.name for a in node.names if is_removed_mock_name(a.name)]
        if names:
            self.facts.legacy_uses.append(LegacyApiUse(self.pos.of(node), names, is_import=True))

    def _note_imports(self, node: ast.Import | ast.ImportFrom, module_level: bool) -> None:
        if isinstance(node, ast.Import):
            mods = [a.name for a in node.names]
            if any(m == "moto" or m.startswith("moto.") for m in mods):
                self.facts.imports_moto = True
            if module_level:
                for mod in mods:
                    self.facts.imports.append(ImportRef(mod, 0, [], self.pos.of(node)))
            return
        module = node.module or ""
        if not node.level and (module == "moto" or module.startswith("moto.")):
            self.facts.imports_moto = True
        self._legacy_import(node)
        if module_level:
            names = [a.name for a in node.names]
            self.facts.imports.append(ImportRef(module, node.level, names, self.pos.of(node)))

    # -- module level ------------------------------------------------------------------------
    def _module_block(self, body: list[ast.stmt], *, main_guard: bool) -> None:
        for stmt in body:
            self._module_stmt(stmt, main_guard=main_guard)

    def _module_stmt(self, stmt: ast.stmt, *, main_guard: bool) -> None:
        scope = self.module_scope
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            scope.bind_import(stmt)
            self._note_imports(stmt, module_level=not main_guard)
            return
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            scope.shadow([stmt.name])
            if not main_guard:
                self._import_time(stmt.decorator_list)
                self._import_time(stmt.args.defaults + [d for d in stmt.args.kw_defaults if d])
            self.deferred.append((stmt, None, None))
            return
        if isinstance(stmt, ast.ClassDef):
            scope.shadow([stmt.name])
            self._class(stmt, main_guard=main_guard)
            return
        if is_main_guard(stmt):
            assert isinstance(stmt, ast.If)
            self.facts.main_guard_lines.append((stmt.lineno, stmt.end_lineno or stmt.lineno))
            self._module_block(stmt.body, main_guard=True)
            self._module_block(stmt.orelse, main_guard=main_guard)
            return
        if isinstance(stmt, (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.With, ast.AsyncWith)) or (
            type(stmt).__name__ in ("Match", "TryStar")
        ):
            header = [getattr(stmt, n) for n in ("test", "iter", "subject") if hasattr(stmt, n)]
            if isinstance(stmt, (ast.With, ast.AsyncWith)):
                header += [item.context_expr for item in stmt.items]
            if not main_guard:
                self._import_time(header)
            for name in ("body", "orelse", "finalbody"):
                self._module_block(getattr(stmt, name, []) or [], main_guard=main_guard)
            for handler in getattr(stmt, "handlers", []) or []:
                self._module_block(handler.body, main_guard=main_guard)
            for case in getattr(stmt, "cases", []) or []:
                self._module_block(case.body, main_guard=main_guard)
            return
        if main_guard:
            return
        self._module_simple(stmt)

    def _module_simple(self, stmt: ast.stmt) -> None:
        scope = self.module_scope
        env = self._env_writes(stmt)
        self.facts.sets_region |= bool(env & REGION_VARS)
        self.facts.sets_region_at_import |= bool(env & REGION_VARS)
        self.facts.sets_credentials_at_import |= bool(env & CREDENTIAL_VARS)
        if isinstance(stmt, ast.Assign):
            names = [n for t in stmt.targets for n in stored_names(t)]
            if "pytestmark" in names:
                self.facts.module_usefixtures += self._usefixtures_of_marks(stmt.value, scope)
            if "pytest_plugins" in names:
                self.facts.pytest_plugins += _strings(stmt.value)
        clients = self._import_time([stmt])
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
                            self.names.sessions[name] = self._has_region(value, scope)
                        elif self.aio and is_async_session_call(value, scope):
                            self.names.aio_sessions.add(name)
                    for client in clients:
                        if client.loc == self.pos.of(value):
                            client.target = name
        self._module_mock_calls(stmt)

    def _module_mock_calls(self, stmt: ast.stmt) -> None:
        for node in iter_expr_nodes(stmt):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            key = self._mock_object_key(node.func.value, self.module_scope, {})
            if key is None:
                continue
            if node.func.attr == "start":
                self.facts.module_starts.append(MockStart(self.pos.of(node), key or None, False, False))
            elif node.func.attr == "stop" and key:
                self.facts.module_stop_keys.append(key)
            elif node.func.attr == "stop":
                self.facts.module_anonymous_stops.append(self.pos.of(node))

    def _mock_object_key(self, obj: ast.expr, scope: Scope, local_mocks: dict[str, str]) -> str | None:
        """'' for ``mock_aws()`` itself, the key for a known mock object, None otherwise."""
        if isinstance(obj, ast.Call) and mock_factory_name(qualified_name(obj.func, scope)):
            return ""
        key = dotted_text(obj)
        if key is None:
            return None
        module_mock = key in self.names.mock_keys and scope.lookup(key) is None
        if isinstance(obj, ast.Name) and (key in local_mocks or module_mock):
            return key
        if isinstance(obj, ast.Attribute) and key in self.names.mock_keys:
            return key
        return None

    def _import_time(self, nodes: Sequence[ast.AST]) -> list[ClientCall]:
        """Record client calls that run when the module is imported."""
        found: list[ClientCall] = []
        walked = [n for node in nodes for n in iter_expr_nodes(node)]
        calls = [n for n in walked if isinstance(n, ast.Call)]
        # ``Session().region_name``: the object is read once and dropped, nothing keeps it.
        dropped = {id(n.value) for n in walked if isinstance(n, ast.Attribute)}
        for call in _by_position(calls):
            assert isinstance(call, ast.Call)
            client = self._client_call(call, self.module_scope, self.names.sessions, mocked=False)
            if client:
                client.throwaway = id(call) in dropped
                found.append(client)
        self.facts.import_time_clients += [c for c in found if not c.deferred]
        self.facts.all_clients += found
        return [c for c in found if not c.deferred]

    def _usefixtures_of_marks(self, value: ast.expr, scope: Scope) -> list[str]:
        marks = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
        names: list[str] = []
        for mark in marks:
            if isinstance(mark, ast.Call) and qualified_name(mark.func, scope) == USEFIXTURES:
                names += [s for s in (_string(a) for a in mark.args) if s]
        return names

    # -- classes -----------------------------------------------------------------------------
    def _class(
        self, node: ast.ClassDef, *, main_guard: bool, outer: str | None = None, outer_collected: bool = True
    ) -> None:
        scope = self.module_scope
        qual = f"{outer}.{node.name}" if outer else node.name
        facts = ClassFacts(name=qual, loc=self.pos.of(node))
        for dec in node.decorator_list:
            mock = self._mock_decorator(dec, scope)
            if mock:
                facts.mock_decorators.append(mock)
            elif isinstance(dec, ast.Call) and qualified_name(dec.func, scope) == USEFIXTURES:
                # pytest reads stacked marks bottom-up: the decorator nearest the def comes first.
                facts.usefixtures = [s for s in (_string(a) for a in dec.args) if s] + facts.usefixtures
            elif isinstance(dec, ast.Call) and qualified_name(dec.func, scope) == PARAMETRIZE:
                facts.parametrize_args += _direct_parametrize_args(dec)
        facts.bases = [dotted_text(b) or "" for b in node.bases]
        has_init = any(isinstance(s, ast.FunctionDef) and s.name == "__init__" for s in node.body)
        is_unittest = any(b.endswith("TestCase") for b in facts.bases)
        # pytest collects a nested Test* class inside a collected one.
        facts.is_test_class = outer_collected and (is_unittest or (node.name.startswith("Test") and not has_init))
        if not main_guard:
            self._import_time(node.decorator_list + node.bases + [k.value for k in node.keywords])
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if not main_guard:
                    self._import_time(stmt.decorator_list)
                    self._import_time(stmt.args.defaults + [d for d in stmt.args.kw_defaults if d])
                self.deferred.append((stmt, qual, facts))
            elif isinstance(stmt, ast.ClassDef):
                self._class(stmt, main_guard=main_guard, outer=qual, outer_collected=facts.is_test_class)
            elif not main_guard:
                if isinstance(stmt, ast.Assign) and any(
                    n == "pytestmark" for t in stmt.targets for n in stored_names(t)
                ):
                    facts.usefixtures += self._usefixtures_of_marks(stmt.value, scope)
                self._import_time([stmt])
                if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                    self._note_imports(stmt, module_level=False)
        self.facts.classes.append(facts)

    # -- functions ---------------------------------------------------------------------------
    def _function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, class_name: str | None, cls: ClassFacts | None
    ) -> FunctionFacts:
        scope = Scope(self.module_scope)
        if self._needs_binding_pass(node):
            imports, assigned, has_yield = local_bindings(node.body)
        else:
            imports, assigned, has_yield = [], set(), False
        params = [a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
        if node.args.vararg:
            params.append(node.args.vararg.arg)
        if node.args.kwarg:
            params.append(node.args.kwarg.arg)
        scope.shadow(params)
        scope.shadow(assigned)
        for imp in imports:
            scope.bind_import(imp)
            self._note_imports(imp, module_level=False)
        qual = f"{class_name}.{node.name}" if class_name else node.name
        fn = FunctionFacts(name=node.name, qualname=qual, loc=self.pos.of(node), class_name=class_name)
        # Anchor on the ``def`` line itself, after any decorators.
        fn.loc = Location(node.lineno, fn.loc.column, node.lineno, fn.loc.column + 3)
        fn.is_generator = has_yield
        fn.is_async = isinstance(node, ast.AsyncFunctionDef)
        for dec in node.decorator_list:
            self._function_decorator(dec, scope, fn)
            env = self._env_writes(dec)
            fn.sets_region |= bool(env & REGION_VARS)
            fn.sets_credentials |= bool(env & CREDENTIAL_VARS)
        n_defaults = len(node.args.defaults)
        positional = node.args.posonlyargs + node.args.args
        requestable = positional[: len(positional) - n_defaults] if n_defaults else positional
        kwonly = [a for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults) if d is None]
        args = [a.arg for a in requestable + kwonly]
        if class_name and args and not fn.is_staticmethod:
            args = args[1:]  # self / cls
        # mock.patch decorators fill the leading arguments: pytest does not take them as fixtures.
        fn.args = args[sum(1 for dec in node.decorator_list if _injects_mock(dec, scope)) :]
        if self.facts.is_test_module and fn.fixture is None:
            if class_name is None:
                fn.is_test = node.name.startswith("test")
            else:
                fn.is_test = bool(cls and cls.is_test_class) and node.name.startswith("test")
        wrapped_by_class = bool(
            cls is not None
            and cls.mock_decorators
            and fn.fixture is None
            and not fn.is_classmethod
            and not fn.is_staticmethod
        )
        # moto's decorator is synchronous: it has stopped before a coroutine's body runs (SCP206).
        decorated = (bool(fn.mock_decorators) or wrapped_by_class) and not fn.is_async
        walker = _BodyWalker(self, scope, fn, decorated=decorated)
        walker.walk(node.body)
        walker.finish(node)
        self.facts.all_clients += fn.clients
        self.facts.sets_region |= fn.sets_region
        return fn

    def _needs_binding_pass(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """Whether the body may import, yield, or rebind an imported name that matters, judged
        from its text: most test functions do none of that and skip a walk of their body."""
        segment = "\n".join(self.pos.lines[node.body[0].lineno - 1 : node.end_lineno or node.lineno])
        if "import" in segment or "yield" in segment:
            return True
        if self._rebind_hint is None:
            names = sorted(name for name, target in self.module_scope.bindings.items() if target)
            # An imported name used other than as `name.attr` or `name(...)` might be rebound.
            pattern = r"\b(?:" + "|".join(map(re.escape, names)) + r")\b(?!\s*[.(])" if names else r"(?!x)x"
            self._rebind_hint = re.compile(pattern)
        return bool(self._rebind_hint.search(segment))

    def _function_decorator(self, dec: ast.expr, scope: Scope, fn: FunctionFacts) -> None:
        target = dec.func if isinstance(dec, ast.Call) else dec
        q = qualified_name(target, scope)
        if q in FIXTURE_DECORATORS:
            fn.fixture_decorator_loc = self.pos.of(dec)
            fn.fixture = self._fixture_info(dec, fn.name)
            return
        if q == USEFIXTURES and isinstance(dec, ast.Call):
            # pytest reads stacked marks bottom-up: the decorator nearest the def comes first.
            fn.usefixtures = [s for s in (_string(a) for a in dec.args) if s] + fn.usefixtures
            return
        if q == PARAMETRIZE and isinstance(dec, ast.Call):
            fn.parametrize_args += _direct_parametrize_args(dec)
            return
        if isinstance(dec, ast.Name) and scope.lookup(dec.id) is None:
            if dec.id == "classmethod":
                fn.is_classmethod = True
            elif dec.id == "staticmethod":
                fn.is_staticmethod = True
        mock = self._mock_decorator(dec, scope)
        if mock:
            fn.mock_decorators.append(mock)

    def _fixture_info(self, dec: ast.expr, default_name: str) -> FixtureInfo:
        name, scope_name, autouse, params = default_name, "function", False, False
        if isinstance(dec, ast.Call):
            name = _string(getattr(_kw(dec, "name"), "value", None)) or default_name
            scope_kw = _kw(dec, "scope")
            if scope_kw is not None:
                scope_name = _string(scope_kw.value) or "unknown"
            autouse_kw = _kw(dec, "autouse")
            autouse = bool(
                autouse_kw is not None and isinstance(autouse_kw.value, ast.Constant) and autouse_kw.value.value
            )
            params = _kw(dec, "params") is not None
        return FixtureInfo(name=name, scope=scope_name, autouse=autouse, has_params=params)


class _BodyWalker:
    """Walks one function body in source order, tracking which local mock is active."""

    def __init__(self, owner: FileExtractor, scope: Scope, fn: FunctionFacts, *, decorated: bool) -> None:
        self.owner = owner
        self.pos = owner.pos
        self.scope = scope
        self.fn = fn
        self.decorated = decorated
        self.active: list[MockActivation] = []
        self.local_mocks: dict[str, str] = {}
        self.sessions = dict(owner.names.sessions)
        self.aio_sessions = set(owner.names.aio_sessions)
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
                key = self.owner._mock_object_key(expr, self.scope, self.local_mocks)
                known = self.local_mocks.get(key or "") or self.owner.names.mock_keys.get(key or "")
                factory = known if key else None
                self.expr(expr)
            if factory:
                has_config = isinstance(expr, ast.Call) and _kw(expr, "config") is not None
                start, end = self.pos.of(stmt), self.pos.of(expr)
                loc = Location(start.line, start.column, end.end_line, end.end_column)
                activation = MockActivation("with", loc, factory, has_config)
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
                        self.sessions[name] = self.owner._has_region(value, self.scope)
                        continue
                    if self.owner.aio and is_async_session_call(value, self.scope):
                        self.aio_sessions.add(name)
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
            nodes = _by_position(nodes)
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
        names = self.owner._env_of_node(node)
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
        if self.owner.aio:
            mocked = bool(self.active) or self.decorated
            made = async_client_call(call, self.scope, self.aio_sessions, self.pos.of(call), mocked=mocked)
            if made is not None:
                self.fn.async_clients.append(made)
                return
        client = self.owner._client_call(call, self.scope, self.sessions, mocked=bool(self.active) or self.decorated)
        if client is not None and client.deferred:
            self.owner.facts.all_clients.append(client)  # a factory: only the region matters (SCP402)
        elif client is not None:
            self.fn.clients.append(client)
            return
        func = call.func
        if isinstance(func, ast.Attribute):
            if func.attr in ("start", "stop"):
                key = self.owner._mock_object_key(func.value, self.scope, self.local_mocks)
                if key is not None:
                    (self._start if func.attr == "start" else self._stop)(call, key, func.value)
                    return
            if func.attr == "getfixturevalue" and call.args:
                value = _string(call.args[0])
                if value:
                    self.fn.dynamic_fixtures.append(value)
                    self.fn.dynamic_fixture_lines.append(call.lineno)
                else:
                    self.fn.dynamic_unknown = True
            if func.attr in FINALIZER_REGISTRARS and call.args:
                self._registered_stop(call.args[0])
            if (self.active or self.decorated) and not self.seen_yield and _WRITE_CALL.match(func.attr):
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
        return self.local_mocks.get(key) or self.owner.names.mock_keys.get(key) or "mock_aws"

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


def extract(path: str, text: str, *, is_test_module: bool, is_conftest: bool) -> FileFacts:
    return FileExtractor(path, text, is_test_module=is_test_module, is_conftest=is_conftest).run()
