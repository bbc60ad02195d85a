"""Recognisers for moto and boto3 code: clients, sessions, mock factories and objects, the
environment variables a call writes, moto<5 imports. Each is a pure ``(node, scope) -> fact``."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from scopecheck.facts.model import ClientCall, LegacyApiUse, MockActivation
from scopecheck.facts.names import (
    CLIENT_FACTORIES,
    CONFIG_FACTORIES,
    MOVED_IN_MOTO5,
    SESSION_FACTORIES,
    Scope,
    dotted_text,
    is_removed_mock_name,
    mock_factory_name,
    qualified_name,
)
from scopecheck.facts.positions import Positions
from scopecheck.facts.syntax import has_star_kwargs, iter_expr_nodes, kw, string

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
WRITE_CALL = re.compile(r"(create|put|upload|send|publish|register|attach|subscribe|run_instances)(_|$)")
# Calls that take a callable to run later: a mock's stop handed to one runs at teardown.
FINALIZER_REGISTRARS = {"addfinalizer", "addCleanup", "addClassCleanup", "register", "callback"}


@dataclass
class ModuleNames:
    """What module-level code bound that functions may refer to."""

    mock_keys: dict[str, str] = field(default_factory=dict)  # object key -> factory
    sessions: dict[str, bool] = field(default_factory=dict)  # session var -> has region
    aio: bool = False  # the file mentions aioboto3/aiobotocore: only then can it make an async client
    aio_sessions: set[str] = field(default_factory=set)  # aioboto3/aiobotocore session vars


def mock_decorator(dec: ast.expr, scope: Scope, pos: Positions) -> MockActivation | None:
    """``@mock_aws`` / ``@mock_aws(config=...)`` / ``@mock_s3``, through aliases."""
    target = dec.func if isinstance(dec, ast.Call) else dec
    factory = mock_factory_name(qualified_name(target, scope))
    if factory is None:
        return None
    has_config = isinstance(dec, ast.Call) and kw(dec, "config") is not None
    return MockActivation("decorator", pos.of(dec), factory, has_config)


def has_region(call: ast.Call, scope: Scope) -> bool:
    """Whether a client, resource or Session call is given a region (or may be: ``**kwargs``)."""
    if has_star_kwargs(call) or kw(call, "region_name") is not None:
        return True
    # boto3.client(service, region) passes the region positionally.
    if len(call.args) >= 2:
        return True
    config = kw(call, "config")
    if config is None:
        return False
    value = config.value
    if isinstance(value, ast.Call) and qualified_name(value.func, scope) in CONFIG_FACTORIES:
        return kw(value, "region_name") is not None or has_star_kwargs(value)
    return True  # a Config built elsewhere: assume it carries a region rather than guess wrong


def client_call(
    call: ast.Call, scope: Scope, sessions: dict[str, bool], mocked: bool, pos: Positions
) -> ClientCall | None:
    """The client, resource or Session *call* makes, if it makes one."""
    q = qualified_name(call.func, scope)
    kind: str | None = None
    session_region: bool | None = None
    if q == "functools.partial" and call.args:
        # partial(boto3.client, "sqs") makes clients too: the call's own arguments follow.
        inner = qualified_name(call.args[0], scope)
        if inner in CLIENT_FACTORIES:
            bound = ast.Call(func=call.args[0], args=call.args[1:], keywords=call.keywords)
            service = string(bound.args[0]) if bound.args else None
            if service is None:
                service = string(getattr(kw(bound, "service_name"), "value", None))
            region = has_region(bound, scope)
            explicit = kw(bound, "aws_access_key_id") is not None
            made = ClientCall(pos.of(call), CLIENT_FACTORIES[inner], service, region, explicit, mocked)
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
            kind, session_region = call.func.attr, has_region(owner, scope)
    if kind is None:
        return None
    service = string(call.args[0]) if call.args else string(getattr(kw(call, "service_name"), "value", None))
    region = has_region(call, scope) or bool(session_region)
    if any(k.arg not in _CLIENT_KWARGS for k in call.keywords if k.arg) and kind != "session":
        region = True  # boto3 raises TypeError first: no region is ever looked up (SCP402)
    explicit = kw(call, "aws_access_key_id") is not None
    found = ClientCall(pos.of(call), kind, service, region, explicit, mocked)
    found.has_endpoint = kw(call, "endpoint_url") is not None
    return found


def _written_env_vars(call: ast.Call) -> set[str]:
    """Environment variable names a call writes: setenv/setdefault/putenv/update/patch.dict."""
    func = call.func
    attr = func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else "")
    names: set[str] = set()
    if attr in {"setenv", "setdefault", "putenv"} and call.args:
        value = string(call.args[0])
        if value:
            names.add(value)
    if attr in {"update", "dict", "setitem"} or attr.endswith("patch_dict"):
        for arg in [*call.args, *(k.value for k in call.keywords)]:
            if isinstance(arg, ast.Dict):
                names.update(s for s in (string(k) for k in arg.keys) if s)
            elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                names.add(arg.value)
        names.update(k.arg for k in call.keywords if k.arg)
    return names


def env_of_node(sub: ast.AST, module_scope: Scope) -> set[str] | None:
    """Environment variables one node writes (a call or a subscript assignment target)."""
    if isinstance(sub, ast.Call):
        names = _written_env_vars(sub)
        func = sub.func
        if isinstance(func, (ast.Attribute, ast.Name)) and getattr(func, "attr", getattr(func, "id", "")) == (
            "setup_default_session"
        ):
            if qualified_name(func, module_scope) == "boto3.setup_default_session" and kw(sub, "region_name"):
                names.add("AWS_DEFAULT_REGION")
        return names
    if isinstance(sub, ast.Subscript) and isinstance(sub.ctx, ast.Store):
        key = string(sub.slice)
        return {key} if key else None
    return None


def env_writes(node: ast.AST, module_scope: Scope) -> set[str]:
    """Environment variables an expression or simple statement writes."""
    names: set[str] = set()
    for sub in iter_expr_nodes(node):
        found = env_of_node(sub, module_scope)
        if found:
            names |= found
    return names


def legacy_import(node: ast.ImportFrom, pos: Positions) -> LegacyApiUse | None:
    """``from moto import mock_s3``: an import of a mock moto 5 no longer has."""
    module = node.module or ""
    # ``moto`` itself, or a moto<5 service package such as ``moto.s3`` (not ``moto.moto_api._internal``).
    if node.level or not (module == "moto" or (module.startswith("moto.") and module.count(".") == 1)):
        return None
    if module == "moto":
        # moto 5's top level exports only mock_aws: mock_xray_client moved to moto.xray.
        names = [a.name for a in node.names if a.name.startswith("mock_") and a.name != "mock_aws"]
    else:
        names = [a.name for a in node.names if is_removed_mock_name(a.name)]
    # and a few names moved (moto.XRaySegment, moto.core.BaseBackend...)
    names += [a.name for a in node.names if (module, a.name) in MOVED_IN_MOTO5 and a.name not in names]
    return LegacyApiUse(pos.of(node), names, is_import=True) if names else None


def mock_object_key(obj: ast.expr, scope: Scope, local_mocks: dict[str, str], mock_keys: dict[str, str]) -> str | None:
    """'' for ``mock_aws()`` itself, the key for a known mock object, None otherwise."""
    if isinstance(obj, ast.Call) and mock_factory_name(qualified_name(obj.func, scope)):
        return ""
    key = dotted_text(obj)
    if key is None:
        return None
    module_mock = key in mock_keys and scope.lookup(key) is None
    if isinstance(obj, ast.Name) and (key in local_mocks or module_mock):
        return key
    if isinstance(obj, ast.Attribute) and key in mock_keys:
        return key
    return None


# Only files whose text could hold ``x.attr = mock_...(`` or ``.mock_s3`` need the attribute pass.
MOCK_ATTRIBUTE_HINT = re.compile(r"\.\w+\s*=\s*[\w.]*mock_\w+\s*\(|\.mock_(?!aws\b)\w")


def mock_attributes(
    tree: ast.Module, scope: Scope, pos: Positions, names: ModuleNames, legacy_uses: list[LegacyApiUse]
) -> None:
    """One pass over the tree for attribute facts: ``self.mock = mock_aws()`` makes ``self.mock``
    a mock object in every method; ``moto.mock_s3`` is a use of the moto<5 API."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            for target in node.targets:
                if isinstance(target, ast.Attribute):
                    key = dotted_text(target)
                    factory = mock_factory_name(qualified_name(node.value.func, scope))
                    if key and factory:
                        names.mock_keys[key] = factory
        elif isinstance(node, ast.Attribute) and is_removed_mock_name(node.attr):
            q = qualified_name(node.value, scope)
            if q and (q == "moto" or (q.startswith("moto.") and q.count(".") == 1)):
                legacy_uses.append(LegacyApiUse(pos.of(node), [node.attr], is_import=False))
