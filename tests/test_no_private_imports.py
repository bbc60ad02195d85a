"""No module imports a private name (leading underscore) from another package: what a package
offers the others is its public API (rules ask the model through ``Suite``, not its helpers).
Read with ast, so aliases, relative and multi-line imports count."""

from __future__ import annotations

import ast
from pathlib import Path

import scopecheck

PACKAGE = Path(scopecheck.__file__).parent
ROOT = PACKAGE.parent


def _package_of(module: str) -> str:
    """A module's package: ``scopecheck.model`` for ``scopecheck.model.suite`` and for the
    package ``scopecheck.model`` itself."""
    return module if (ROOT / module.replace(".", "/")).is_dir() else module.rsplit(".", 1)[0]


def private_imports(source: str, module: str) -> list[str]:
    """``line: module.name`` for each private name *module* imports from another package."""
    package = _package_of(module)
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            parts = package.split(".")
            origin = ".".join([*parts[: len(parts) - node.level + 1], *([node.module] if node.module else [])])
        else:
            origin = node.module or ""
        if origin.split(".")[0] != "scopecheck" or _package_of(origin) == package:
            continue
        found += [
            f"{node.lineno}: {origin}.{alias.name}"
            for alias in node.names
            if alias.name.startswith("_") and not alias.name.startswith("__")
        ]
    return found


def test_no_module_imports_a_private_name_from_another_package() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        found += [f"{path.relative_to(ROOT)}:{hit}" for hit in private_imports(path.read_text("utf-8"), module)]
    assert found == []


def test_the_check_finds_private_imports_across_packages_only() -> None:
    source = (
        "from scopecheck.model.suite import Suite, _overlaps\n"
        "from scopecheck.rules.base import _NOT_AN_END\n"  # same package: allowed
        "from ..model import suite as _suite\n"  # a public module under a private alias
        "from ..model.runs import (\n    overlaps,\n    _activate as act,\n)\n"
        "from scopecheck.facts.model import __all__\n"
        "from os import _exit\n"
    )
    assert private_imports(source, "scopecheck.rules.scp999_demo") == [
        "1: scopecheck.model.suite._overlaps",
        "4: scopecheck.model.runs._activate",
    ]
