"""Where each name of a module is bound, from ``ast`` (fast), to skip libcst's scope analysis.

libcst's ScopeProvider is the costliest step of the SCP401 fix (about half of it on moto's own
test files). In the usual module every name involved is bound exactly once, by an import, in the
whole file: then every reference to the name means that import, whatever the scope, and a plain
name match is exact. When a name is bound any other way (assigned, a parameter, ``del``,
``global``, bound twice...), the fixer falls back to the scope analysis.
"""

from __future__ import annotations

import ast
from collections import defaultdict

OTHER = None  # a binding that is not an import


class Bindings:
    def __init__(self, tree: ast.AST) -> None:
        # name -> what each binding binds it to: a qualified import target, or OTHER
        self.of: dict[str, list[str | None]] = defaultdict(list)
        for node in ast.walk(tree):
            self._note(node)

    def _note(self, node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.of[alias.asname].append(alias.name)
                else:
                    head = alias.name.split(".")[0]
                    self.of[head].append(head)
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                target = OTHER if node.level else f"{node.module}.{alias.name}"
                self.of[alias.asname or alias.name].append(target)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.of[node.name].append(OTHER)
        elif isinstance(node, ast.arg):
            self.of[node.arg].append(OTHER)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            self.of[node.id].append(OTHER)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            self.of[node.name].append(OTHER)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                self.of[name].append(OTHER)
        else:
            # match-statement captures and type parameters (newer Pythons), by attribute name.
            for attr in ("name", "rest"):
                value = getattr(node, attr, None)
                if isinstance(value, str) and type(node).__name__.startswith(("Match", "Type", "Param")):
                    self.of[value].append(OTHER)

    def only_import(self, name: str) -> str | None:
        """The import target when *name* is bound exactly once in the file, by an import."""
        found = self.of.get(name, [])
        return found[0] if len(found) == 1 else None

    def unbound(self, name: str) -> bool:
        return not self.of.get(name)

    def always(self, name: str) -> str | None:
        """The import target when every binding of *name* imports the same thing."""
        found = self.of.get(name, [])
        if found and found[0] is not OTHER and all(t == found[0] for t in found):
            return found[0]
        return None
