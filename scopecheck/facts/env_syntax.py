"""What one expression does to ``os.environ``: the recognisers behind env_writes' facts.

Names are read through the module's imports, so ``from os import environ`` counts too. The walker
(env_writes) decides which of the mutations found here the same code puts back.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from scopecheck.facts.names import aliased_name, import_aliases

# The variables that change what boto3/botocore do in the process: credentials, region, profile,
# endpoints, and the config/credentials files (AWS_ENDPOINT_URL_<SERVICE> by prefix).
AWS_ENV = frozenset(
    {
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_ENDPOINT_URL",
    }
)
# Variables whose value SCP403 needs, however they are set (os.environ, monkeypatch, patch.dict).
WATCHED_SETTINGS = frozenset({"MOTO_S3_CUSTOM_ENDPOINTS"})
CLEAR = "*"  # the name of what os.environ.clear() deletes
_PATCH_DICT = frozenset({"unittest.mock.patch.dict", "mock.patch.dict"})


def is_aws_env(name: str) -> bool:
    return name in AWS_ENV or name.startswith("AWS_ENDPOINT_URL_")


@dataclass
class EnvEvent:
    """One mutation of os.environ; the walker says where it happens (patch.dict, moto, teardown)."""

    line: int
    names: list[str]  # variables touched; CLEAR for clear(); "" for update(<not a dict literal>)
    deletes: bool
    node: ast.AST
    protected: bool = False  # inside patch.dict(os.environ)
    moto_active: bool = False  # inside the function's own moto mock
    late: bool = False  # after a yield, in a finally: or in a nested function


class EnvSyntax:
    """Recognises os.environ, mock.patch.dict(os.environ) and moto's mocks in one module."""

    def __init__(self, tree: ast.Module) -> None:
        self.alias = import_aliases(tree)

    # -- names ----------------------------------------------------------------------------
    def dotted(self, node: ast.AST) -> str | None:
        return aliased_name(node, self.alias)

    def is_environ(self, node: ast.AST) -> bool:
        return self.dotted(node) == "os.environ"

    def is_patch_dict(self, call: ast.AST) -> bool:
        if not isinstance(call, ast.Call):
            return False
        name = self.dotted(call.func)
        if name not in _PATCH_DICT or not call.args:
            return False
        target = call.args[0]
        return self.is_environ(target) or (isinstance(target, ast.Constant) and target.value == "os.environ")

    def is_moto_mock(self, node: ast.AST) -> bool:
        target = node.func if isinstance(node, ast.Call) else node
        name = self.dotted(target) or ""
        return name.startswith("moto.") and name.rsplit(".", 1)[-1].startswith("mock_")

    # -- one expression ---------------------------------------------------------------------
    def event(self, node: ast.AST) -> EnvEvent | None:
        """The os.environ mutation *node* is, if any."""
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, (ast.Store, ast.Del))
            and self.is_environ(node.value)
        ):
            key = node.slice
            name = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else ""
            return EnvEvent(node.lineno, [name], isinstance(node.ctx, ast.Del), node)
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            return None
        if not self.is_environ(node.func.value):
            return None
        method = node.func.attr
        if method in ("pop", "setdefault", "__setitem__", "__delitem__") and node.args:
            key = node.args[0]
            name = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else ""
            return EnvEvent(node.lineno, [name], method in ("pop", "__delitem__"), node)
        if method == "clear":
            return EnvEvent(node.lineno, [CLEAR], True, node)
        if method == "update":
            names: list[str] = [k.arg for k in node.keywords if k.arg]
            literal = True
            for arg in node.args:
                if isinstance(arg, ast.Dict):
                    for k in arg.keys:
                        if isinstance(k, ast.Constant) and isinstance(k.value, str):
                            names.append(k.value)
                        else:
                            literal = False
                else:
                    literal = False
            if any(k.arg is None for k in node.keywords):
                literal = False
            return EnvEvent(node.lineno, names if literal else [*names, ""], False, node)
        return None

    def settings_in(self, node: ast.AST) -> Iterator[tuple[str, str | None, ast.AST]]:
        """Values written for WATCHED_SETTINGS (name, literal value or None, the writing node):
        os.environ, monkeypatch.setenv, patch.dict."""
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and self.is_environ(target.value):
                    yield from self._setting(target.slice, node.value, node)
        elif isinstance(node, ast.Call):
            func = node.func
            attr = func.attr if isinstance(func, ast.Attribute) else ""
            if attr in ("setenv", "setdefault") and len(node.args) >= 2:
                yield from self._setting(node.args[0], node.args[1], node)
            elif attr in ("update", "dict") or self.is_patch_dict(node):
                for arg in node.args:
                    if isinstance(arg, ast.Dict):
                        for key, value in zip(arg.keys, arg.values):
                            if key is not None:
                                yield from self._setting(key, value, node)
                for kw in node.keywords:
                    if kw.arg in WATCHED_SETTINGS:
                        yield from self._setting(ast.Constant(kw.arg), kw.value, node)

    @staticmethod
    def _setting(key: ast.AST, value: ast.AST, node: ast.AST) -> Iterator[tuple[str, str | None, ast.AST]]:
        if isinstance(key, ast.Constant) and key.value in WATCHED_SETTINGS:
            text = value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None
            yield str(key.value), text, node

    def reads_environ(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "environ" and self.is_environ(node)


_RESTORING_NAME = re.compile(r"restor|reset|cleanup|clean_env|undo", re.IGNORECASE)


def restoring_call(node: ast.AST) -> bool:
    """A call whose name says it may put the environment back (``_restore_env()``,
    ``self.reset_environment()``): unknown is not an error."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return bool(_RESTORING_NAME.search(name))
