"""Fixture definitions and the layers they are registered on, as pytest's ``parsefactories`` does.

A :class:`FixtureDef` is a fixture function, or an xunit ``setup_*`` hook that pytest runs as an
autouse fixture. A :class:`Layer` is one node fixtures are defined on (a class, a module, a
conftest.py, a plugin module). Which layers code in a file sees is model/layers.py's job.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from scopecheck.facts.interpret import held_mock
from scopecheck.facts.model import FileFacts, FunctionFacts, MockActivation

# xunit hooks pytest runs as autouse fixtures: (hook names, first found wins) -> (kind, scope).
Hooks = tuple[tuple[tuple[str, ...], str, str], ...]
MODULE_HOOKS: Hooks = (
    (("setUpModule", "setup_module"), "module", "module"),
    (("setup_function",), "function", "function"),
)
CLASS_HOOKS: Hooks = ((("setup_class",), "class", "class"), (("setup_method",), "method", "function"))
UNITTEST_HOOKS: Hooks = (
    (("setup_method",), "unittest_setup_method", "function"),
    (("setUpClass",), "unittest_setUpClass", "class"),
    (("setup_class",), "class", "class"),
)


@dataclass(frozen=True, eq=False)
class FixtureDef:
    """A fixture definition, or an xunit ``setup_*`` hook that pytest runs as an autouse fixture."""

    file: FileFacts
    fn: FunctionFacts
    hook: str | None = None  # "module", "function", "class", "method", "unittest_setUpClass", ...
    owner: str = ""  # the module or class name pytest puts into the hook fixture's name
    hook_scope: str = "function"

    @property
    def name(self) -> str:
        if self.hook is not None:
            if self.hook.startswith("unittest_"):
                return f"_{self.hook}_fixture_{self.owner}"
            return f"_xunit_setup_{self.hook}_fixture_{self.owner}"
        assert self.fn.fixture is not None
        return self.fn.fixture.name

    @property
    def scope(self) -> str:
        if self.hook is not None:
            return self.hook_scope
        assert self.fn.fixture is not None
        return self.fn.fixture.scope

    @property
    def autouse(self) -> bool:
        return self.hook is not None or bool(self.fn.fixture and self.fn.fixture.autouse)

    @property
    def deps(self) -> list[str]:
        """The fixtures it requests by argument (an xunit hook requests none)."""
        return [] if self.hook is not None else list(self.fn.args)

    @property
    def holds_mock(self) -> MockActivation | None:
        """The mock it keeps active for what is set up after it (and the test), if any."""
        return held_mock(self.fn)

    def describe(self) -> str:
        where = f"{os.path.basename(self.file.path)}:{self.fn.loc.line}"
        if self.hook is not None:
            owner = f" of {self.owner}" if self.fn.class_name else ""
            return f"{self.fn.name}(){owner} ({where})"
        return f"fixture '{self.name}' ({self.scope} scope, {where})"


@dataclass
class Layer:
    """One place fixtures are defined and visible from: a class, a module, a conftest, a plugin."""

    file: FileFacts
    fixtures: dict[str, FixtureDef]  # by name, in registration order
    autouse: list[FixtureDef]
    unknown: list[str] = field(default_factory=list)  # what this layer could not resolve


def hooks(
    facts: FileFacts,
    plain: dict[str, FunctionFacts],
    table: Hooks,
    owner: str,
    files_of: dict[int, FileFacts] | None = None,
) -> list[FixtureDef]:
    """The xunit hooks a module or class defines, as the autouse fixtures pytest makes of them."""
    found: list[FixtureDef] = []
    for names, kind, scope in table:
        fn = next((plain[n] for n in names if n in plain), None)
        if fn is not None:
            where = (files_of or {}).get(id(fn), facts)
            found.append(FixtureDef(where, fn, hook=kind, owner=owner, hook_scope=scope))
    return found


def fill(
    layer: Layer,
    facts: FileFacts,
    fixtures: list[FunctionFacts],
    hook_defs: list[FixtureDef],
    files_of: dict[int, FileFacts] | None = None,
) -> None:
    """Register fixtures on a layer as parsefactories does: attributes in ``dir()`` (name) order,
    after the xunit hooks pytest registers first."""
    layer.autouse += hook_defs
    for hook in hook_defs:
        layer.fixtures[hook.name] = hook
    for fn in sorted(fixtures, key=lambda f: f.name):
        fdef = FixtureDef((files_of or {}).get(id(fn), facts), fn)
        layer.fixtures[fdef.name] = fdef
        if fdef.autouse:
            layer.autouse.append(fdef)
