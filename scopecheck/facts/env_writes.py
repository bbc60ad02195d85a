"""Facts about writes to ``os.environ`` (SCP303) and the settings moto reads from it (SCP403).

A write is recorded where the AWS SDK would see it: ``os.environ[K] = v``, ``del os.environ[K]``,
``os.environ.pop/setdefault/update/clear`` (also through ``from os import environ``) at import
time, in a class body or in a function of the module or of a class. For a function, the facts say
which of the written variables the same code puts back:

* inside ``with mock.patch.dict(os.environ, ...)`` or under a ``@mock.patch.dict(os.environ)``
  decorator (on the function, or on its class for ``test*`` methods): patch.dict restores the
  whole mapping;
* ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` written while the function's own moto mock is
  active: moto's ``stop()`` puts back the values they had at ``start()`` (moto 5.2.5
  ``core/models.py:194-205``);
* a later write or delete of the same variable in the function, code after its ``yield``, in a
  ``finally:`` or in a nested function (a finalizer) that touches ``os.environ``, an
  ``os.environ.update(saved)``/``clear()`` after it, or a finalizer handed to
  ``addfinalizer``/``addCleanup``, or a later call named like a restore (``restore_env()``,
  ``reset_environment()``, ``cleanup()``): the function restores it (or may: unknown is not an
  error);
* for a setup hook (``setUp``, ``setup_method``, ...), its teardown touching ``os.environ``.

``os.putenv`` does not change ``os.environ``: the process's own boto3 never sees it (only child
processes do). It is not a leak of the kind SCP303 reports, and is not recorded.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from scopecheck.facts.env_syntax import CLEAR, EnvEvent, EnvSyntax, is_aws_env, restoring_call
from scopecheck.findings import Location

# Restored by moto's own stop() when written while its mock is active (moto 5 core/models.py).
MOTO_RESTORES = frozenset({"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"})
_SETUP_TEARDOWN = {
    "setup_method": "teardown_method",
    "setup_function": "teardown_function",
    "setup_class": "teardown_class",
    "setup_module": "teardown_module",
    "setup": "teardown",
    "setUp": "tearDown",
    "asyncSetUp": "asyncTearDown",
    "setUpClass": "tearDownClass",
    "setUpModule": "tearDownModule",
}
_FINALIZERS = frozenset({"addfinalizer", "addCleanup", "addClassCleanup", "addAsyncCleanup", "callback"})


class _Positions(Protocol):
    def of(self, node: ast.AST) -> Location: ...


@dataclass
class EnvWrite:
    """One write or delete of AWS_* variables in ``os.environ`` that the code does not put back."""

    loc: Location
    names: list[str]  # the variables it leaves changed (CLEAR for os.environ.clear())
    deletes: bool  # the first of them is deleted rather than set
    where: str  # "module" | "class" | "function"
    owner: str | None = None  # the function's qualname ("Class.method"), or the class's name


@dataclass
class EnvSetting:
    """A value written for one of WATCHED_SETTINGS; None when it is not a literal string."""

    name: str
    value: str | None
    loc: Location


@dataclass
class EnvFacts:
    writes: list[EnvWrite] = field(default_factory=list)
    settings: list[EnvSetting] = field(default_factory=list)


class _Reader(EnvSyntax):
    def __init__(self, tree: ast.Module, pos: _Positions) -> None:
        super().__init__(tree)
        self.pos = pos
        self.facts = EnvFacts()

    # -- module, classes, functions ---------------------------------------------------------
    def module(self, tree: ast.Module) -> EnvFacts:
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.Call)):
                for name, value, where in self.settings_in(node):
                    self.facts.settings.append(EnvSetting(name, value, self.pos.of(where)))
        self.block(tree.body, "module", None, None)
        return self.facts

    def block(self, body: list[ast.stmt], where: str, owner: str | None, cls: ast.ClassDef | None) -> None:
        events: list[EnvEvent] = []
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.function(stmt, owner if where == "class" else None, cls, body)
            elif isinstance(stmt, ast.ClassDef):
                inner = f"{owner}.{stmt.name}" if where == "class" and owner else stmt.name
                self.block(stmt.body, "class", inner, stmt)
            elif _is_main_guard(stmt):
                continue
            else:
                events += [e for e in map(self.event, _walk_skipping_defs(stmt)) if e is not None]
        self._report(events, where, owner)

    def function(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        class_name: str | None,
        cls: ast.ClassDef | None,
        siblings: list[ast.stmt],
    ) -> None:
        decorators = node.decorator_list
        protected = any(self.is_patch_dict(d) for d in decorators)
        if cls is not None and node.name.startswith("test"):
            protected |= any(self.is_patch_dict(d) for d in cls.decorator_list)
        moto = any(self.is_moto_mock(d) for d in decorators)
        if cls is not None:
            moto |= any(self.is_moto_mock(d) for d in cls.decorator_list) and node.name.startswith("test")
        walker = _FunctionWalker(self, protected, moto)
        walker.body(node.body)
        qual = f"{class_name}.{node.name}" if class_name else node.name
        events = walker.events
        if walker.finalizer or self._teardown_touches_environ(node.name, siblings):
            events = []
        self._report(events, "function", qual)

    def _teardown_touches_environ(self, name: str, siblings: list[ast.stmt]) -> bool:
        teardown = _SETUP_TEARDOWN.get(name)
        if teardown is None:
            return False
        for stmt in siblings:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == teardown:
                return any(
                    self.event(n) is not None or self.reads_environ(n) or restoring_call(n) for n in ast.walk(stmt)
                )
        return False

    def _report(self, events: list[EnvEvent], where: str, owner: str | None) -> None:
        """One record per write that leaves AWS variables changed."""
        writes = [
            e for e in events if not e.late and not e.protected and any(is_aws_env(n) or n == CLEAR for n in e.names)
        ]
        for index, event in enumerate(writes):
            earlier = {n for e in writes[:index] if not e.deletes for n in e.names}
            if event.deletes and set(event.names) <= earlier:
                continue  # deletes what the same code set: that is its restore
            left = [n for n in event.names if (is_aws_env(n) or n == CLEAR) and not self._restored(n, event, events)]
            if event.moto_active:
                left = [n for n in left if n not in MOTO_RESTORES]
            if left:
                self.facts.writes.append(EnvWrite(self.pos.of(event.node), left, event.deletes, where, owner))

    @staticmethod
    def _restored(name: str, write: EnvEvent, events: list[EnvEvent]) -> bool:
        for other in events:
            if other is write:
                continue
            after = other.line > write.line or other.late
            if not after:
                continue
            if other.late or CLEAR in other.names or "" in other.names or name in other.names:
                return True
        return False


class _FunctionWalker:
    """A function body in source order: which mutations are under patch.dict or moto, which come
    after a yield or in a finally/nested function (the teardown side)."""

    def __init__(self, reader: _Reader, protected: bool, moto: bool) -> None:
        self.reader = reader
        self.protected = protected
        self.moto = moto
        self.late = False
        self.finalizer = False
        self.events: list[EnvEvent] = []

    def body(self, stmts: list[ast.stmt]) -> None:
        for stmt in stmts:
            self.stmt(stmt)

    def stmt(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            self._late_block(stmt)
            return
        if isinstance(stmt, ast.ClassDef):
            return
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            saved = (self.protected, self.moto)
            for item in stmt.items:
                self.expr(item.context_expr)
                self.protected |= self.reader.is_patch_dict(item.context_expr)
                self.moto |= self.reader.is_moto_mock(item.context_expr) and isinstance(item.context_expr, ast.Call)
            self.body(stmt.body)
            self.protected, self.moto = saved
            return
        if isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            self.body(getattr(stmt, "body", []))
            for handler in getattr(stmt, "handlers", []):
                self.body(handler.body)
            self.body(getattr(stmt, "orelse", []))
            self._late_block(getattr(stmt, "finalbody", []))
            return
        if isinstance(stmt, (ast.If, ast.For, ast.AsyncFor, ast.While)):
            self.expr(stmt.test if isinstance(stmt, (ast.If, ast.While)) else stmt.iter)
            self.body(stmt.body)
            self.body(stmt.orelse)
            return
        if type(stmt).__name__ == "Match":
            for case in getattr(stmt, "cases", []):
                self.body(case.body)
            return
        self.expr(stmt)

    def _late_block(self, node: ast.AST | list[ast.stmt]) -> None:
        nodes = node if isinstance(node, list) else [node]
        for sub in (n for root in nodes for n in ast.walk(root)):
            event = self.reader.event(sub)
            if event is not None:
                event.late = True
                self.events.append(event)
            elif self.reader.reads_environ(sub) or restoring_call(sub):
                self.events.append(EnvEvent(getattr(sub, "lineno", 0), [""], False, sub, late=True))

    def expr(self, node: ast.AST) -> None:
        for sub in _walk_skipping_defs(node):
            if isinstance(sub, (ast.Yield, ast.YieldFrom, ast.Await)) and isinstance(sub, (ast.Yield, ast.YieldFrom)):
                self.late = True
            elif isinstance(sub, ast.Lambda):
                self._late_block(sub)
            elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in _FINALIZERS:
                self.finalizer = True
            event = self.reader.event(sub)
            if event is not None:
                event.protected, event.moto_active, event.late = self.protected, self.moto, self.late
                self.events.append(event)
            elif (self.late and self.reader.reads_environ(sub)) or restoring_call(sub):
                self.events.append(EnvEvent(getattr(sub, "lineno", 0), [""], False, sub, late=self.late))


def _walk_skipping_defs(node: ast.AST) -> Iterator[ast.AST]:
    """ast.walk in source order that does not enter nested functions, lambdas or classes."""
    todo = [node]
    while todo:
        current = todo.pop()
        yield current
        if (
            isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
            and current is not node
        ):
            continue
        todo.extend(reversed(list(ast.iter_child_nodes(current))))


def _is_main_guard(stmt: ast.stmt) -> bool:
    if not isinstance(stmt, ast.If) or not isinstance(stmt.test, ast.Compare):
        return False
    left = stmt.test.left
    return isinstance(left, ast.Name) and left.id == "__name__"


def env_facts(tree: ast.Module, pos: _Positions) -> EnvFacts:
    return _Reader(tree, pos).module(tree)
