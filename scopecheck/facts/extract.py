"""Extract :class:`FileFacts` from one file's source with Python's ``ast``: parse, then hand the
module to the recognisers (module level, pytest shapes, AWS calls) and each function to the flow
walker.

Why ``ast`` and not libcst here: extraction runs on every file of every commit, and ``ast.parse``
is about 8x faster than ``libcst.parse_module`` and gives positions for free (libcst needs a
second, even slower, metadata pass). libcst is used where its lossless tree matters: ``--fix``.
"""

from __future__ import annotations

import ast
import re
import warnings

from scopecheck.facts.async_clients import mentions_async_sdk, mentions_moto_server, patches_aiobotocore
from scopecheck.facts.aws_calls import (
    CREDENTIAL_VARS,
    MOCK_ATTRIBUTE_HINT,
    REGION_VARS,
    ModuleNames,
    env_writes,
    mock_attributes,
)
from scopecheck.facts.env_writes import env_facts
from scopecheck.facts.flow import BodyWalker
from scopecheck.facts.guards import import_guards, import_shims, region_guards
from scopecheck.facts.interpret import decorated as interpret_decorated
from scopecheck.facts.model import ClassFacts, FileFacts, FunctionFacts
from scopecheck.facts.module_level import FunctionNode, ModuleWalker, note_imports
from scopecheck.facts.names import Scope, local_bindings
from scopecheck.facts.positions import Positions
from scopecheck.facts.pytest_shapes import function_decorator, is_test_function, requested_args
from scopecheck.facts.reads import module_global_reads
from scopecheck.facts.servers import server_facts
from scopecheck.findings import Location

SERVER_HINTS = ("endpoint_url", "ThreadedMotoServer", "moto_server", "TEST_SERVER_MODE")


class FileExtractor:
    def __init__(self, path: str, text: str, *, is_test_module: bool, is_conftest: bool) -> None:
        self.facts = FileFacts(path=path, is_test_module=is_test_module, is_conftest=is_conftest)
        self.text = text
        self.pos = Positions(text)
        self.module_scope = Scope()
        self.names = ModuleNames(aio=mentions_async_sdk(text))  # only such files make async clients (SCP105)
        self._rebind_hint: re.Pattern[str] | None = None

    def run(self) -> FileFacts:
        tree = self._parse()
        if tree is None:
            return self.facts
        module = ModuleWalker(self.facts, self.pos, self.module_scope, self.names)
        module.block(tree.body, main_guard=False)
        if MOCK_ATTRIBUTE_HINT.search(self.text):
            mock_attributes(tree, self.module_scope, self.pos, self.names, self.facts.legacy_uses)
        # The guard and read passes walk the tree again: only when the text says they may find something.
        if "mock_aws" in self.text and ("Error" in self.text or "ersion" in self.text):
            self.facts.import_shims = import_shims(tree)
        if "mock_" in self.text and ("Error" in self.text or "Exception" in self.text or "except:" in self.text):
            self.facts.import_guards = import_guards(tree)
        if "NoRegionError" in self.text or "BotoCoreError" in self.text:
            self.facts.region_guards = region_guards(tree)
        if self.names.aio:
            self.facts.patches_aiobotocore = patches_aiobotocore(self.text)
        self.facts.moto_server = mentions_moto_server(self.text)
        if self.facts.import_time_clients and not (self.facts.is_test_module or self.facts.is_conftest):
            self.facts.global_reads = module_global_reads(tree)
        if "environ" in self.text or "MOTO_S3_CUSTOM_ENDPOINTS" in self.text:
            self.facts.env = env_facts(tree, self.pos)  # SCP303, SCP403
        if any(hint in self.text for hint in SERVER_HINTS):
            self.facts.server = server_facts(tree, self.pos, self.text)  # SCP403, SCP404
        for node, class_name, class_facts in module.functions:
            self.facts.functions.append(self._function(node, class_name, class_facts))
        return self.facts

    def _parse(self) -> ast.Module | None:
        try:
            # The parser warns about the user's code (invalid escapes, from Python 3.12 on
            # stderr by default); that is not scopecheck's output.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ast.parse(self.text, filename=self.facts.path)
        except SyntaxError as exc:
            # Kept inside the file: older parsers report offsets past the line's end (or the file's).
            lines = self.pos.lines or [""]
            line = min(max(exc.lineno or 1, 1), len(lines))
            col = min(max((exc.offset or 1) if exc.lineno else 1, 1), len(lines[line - 1]) + 1)
            self.facts.parse_error = (Location(line, col, line, col), exc.msg or "invalid syntax")
        except (RecursionError, MemoryError):
            # CPython's parser reports very deep nesting as one of these, often with no message.
            self.facts.parse_error = (Location(1, 1, 1, 1), "too deeply nested for Python's parser")
        except ValueError as exc:
            self.facts.parse_error = (Location(1, 1, 1, 1), f"cannot parse: {exc}")
        return None

    def _function(self, node: FunctionNode, class_name: str | None, cls: ClassFacts | None) -> FunctionFacts:
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
            note_imports(self.facts, imp, self.pos, module_level=False)
        column = self.pos.of(node).column
        # Anchored on the ``def`` line itself, after any decorators.
        loc = Location(node.lineno, column, node.lineno, column + 3)
        fn = FunctionFacts(name=node.name, loc=loc, class_name=class_name)
        fn.is_generator = has_yield
        fn.is_async = isinstance(node, ast.AsyncFunctionDef)
        for dec in node.decorator_list:
            function_decorator(dec, scope, fn, self.pos)
            env = env_writes(dec, self.module_scope)
            fn.sets_region |= bool(env & REGION_VARS)
            fn.sets_credentials |= bool(env & CREDENTIAL_VARS)
        fn.args = requested_args(node, fn, scope)
        if self.facts.is_test_module:
            fn.is_test = is_test_function(node.name, fn, cls)
        wrapped_by_class = bool(
            cls is not None
            and cls.mock_decorators
            and fn.fixture is None
            and not fn.is_classmethod
            and not fn.is_staticmethod
        )
        fn.under_class_mock = wrapped_by_class
        decorated = interpret_decorated(fn)
        walker = BodyWalker(self.facts, self.pos, self.names, self.module_scope, scope, fn, decorated=decorated)
        walker.walk(node.body)
        walker.finish(node)
        self.facts.all_clients += fn.clients
        self.facts.sets_region |= fn.sets_region
        return fn

    def _needs_binding_pass(self, node: FunctionNode) -> bool:
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


def extract(path: str, text: str, *, is_test_module: bool, is_conftest: bool) -> FileFacts:
    return FileExtractor(path, text, is_test_module=is_test_module, is_conftest=is_conftest).run()
