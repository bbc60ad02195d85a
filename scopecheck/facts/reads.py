"""Which module globals each module-level function or class reads (SCP104: can an importer that
takes only some names of a module reach its import-time client?).

Over-approximate on purpose: a read too many only keeps a finding, a read too few loses a hazard.
"""

from __future__ import annotations

import ast

from scopecheck.facts.names import local_bindings

_BLOCKS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.With, ast.AsyncWith)
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _loads(nodes: list[ast.AST]) -> set[str]:
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _function_reads(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = node.args
    every = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
    # Evaluated at import, in the module's scope: every name counts, parameters or not.
    outer: list[ast.AST] = [*node.decorator_list, *args.defaults, *(d for d in args.kw_defaults if d)]
    outer += [a.annotation for a in every if a.annotation] + ([node.returns] if node.returns else [])
    imports, assigned, _ = local_bindings(node.body)
    bound = {a.arg for a in every} | assigned
    for imp in imports:
        bound |= {(a.asname or a.name).split(".")[0] for a in imp.names}
    declared = {name for n in ast.walk(node) if isinstance(n, (ast.Global, ast.Nonlocal)) for name in n.names}
    return _loads(outer) | (_loads(list(node.body)) - (bound - declared))


def _stored(stmt: ast.stmt) -> set[str]:
    """Names a non-def module-level statement binds (its own, not those of nested blocks)."""
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in stmt.names}
    targets: list[ast.AST] = []
    if isinstance(stmt, ast.Assign):
        targets = list(stmt.targets)
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
        targets = [stmt.target]
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        targets = [i.optional_vars for i in stmt.items if i.optional_vars]
    elif hasattr(stmt, "handlers"):  # try / try*
        return {h.name for h in stmt.handlers if h.name}
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def module_global_reads(tree: ast.Module) -> dict[str, list[str]]:
    """Each module-level def and class name -> the names it may read from the module's globals.

    A name the module also binds otherwise (assigned, imported, wrapped: ``f = wrap(f, client)``)
    is left out: what it holds is unknown."""
    reads: dict[str, set[str]] = {}
    rebound: set[str] = set()
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            reads.setdefault(stmt.name, set()).update(_function_reads(stmt))
            continue
        if isinstance(stmt, ast.ClassDef):
            # Bases, decorators, class body and methods: every name loaded anywhere in it.
            reads.setdefault(stmt.name, set()).update(_loads([stmt]))
            continue
        rebound |= _stored(stmt)
        if isinstance(stmt, _BLOCKS) or type(stmt).__name__ in ("Match", "TryStar"):
            for name in ("body", "orelse", "finalbody"):
                stack += getattr(stmt, name, []) or []
            for handler in getattr(stmt, "handlers", []) or []:
                stack += handler.body
            for case in getattr(stmt, "cases", []) or []:
                stack += case.body
    return {name: sorted(names) for name, names in reads.items() if name not in rebound}
