"""Generated moto<5 test modules: --fix output parses, keeps every comment, leaves no removed mock
in code, and a second --fix changes nothing."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scopecheck.cli import cli
from scopecheck.fixes import scp401_lookup
from tests.helpers import cli_runner

SERVICES = ["s3", "sqs", "sns", "ec2", "iam", "dynamodb"]


@st.composite
def modules(draw: st.DrawFn) -> str:
    imported = draw(st.lists(st.sampled_from(SERVICES), min_size=1, max_size=4, unique=True))
    aliased = {s: f"{s}_mock" for s in imported if draw(st.booleans())}
    refs = [aliased.get(s, f"mock_{s}") for s in imported] + [f"moto.mock_{s}" for s in SERVICES[:2]]
    names = ", ".join(f"mock_{s} as {aliased[s]}" if s in aliased else f"mock_{s}" for s in imported)
    counter = iter(range(1000))

    def comment() -> str:
        return f"  # c{next(counter)}" if draw(st.booleans()) else ""

    lines = ["import moto", "import pytest"]
    if draw(st.booleans()):
        lines.append("from moto import mock_aws" + comment())
    lines.append(f"from moto import {names}{comment()}")
    for i in range(draw(st.integers(1, 3))):
        lines += ["", ""]
        for ref in draw(st.lists(st.sampled_from(refs), max_size=3)):
            call = "()" if draw(st.booleans()) else ""
            lines.append(f"@{ref}{call}{comment()}")
        lines.append(f"def test_{i}():{comment()}")
        items = draw(st.lists(st.sampled_from(refs), max_size=3))
        if items:
            lines.append(f"    with {', '.join(f'{r}()' for r in items)}:{comment()}")
            lines.append("        pass")
        else:
            lines.append(f"    pass{comment()}")
    if draw(st.booleans()):
        ref = draw(st.sampled_from(refs))
        lines += ["", "", "@pytest.fixture", f"def started():{comment()}", f"    m = {ref}()", "    m.start()"]
        lines += ["    yield m", "    m.stop()"]
    return "\n".join(lines) + "\n"


def _fix(path: Path) -> str:
    result = cli_runner().invoke(
        cli, ["--no-cache", "--no-config", "--fix", "--select", "SCP401", str(path)], standalone_mode=False
    )
    if result.exception is not None:
        raise result.exception
    return result.stderr


def _removed_mocks(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("moto"):
            found += [a.name for a in node.names if a.name != "mock_aws"]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("mock_") and node.attr != "mock_aws":
            found.append(node.attr)
        elif isinstance(node, ast.Name) and node.id.startswith("mock_") and node.id != "mock_aws":
            found.append(node.id)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=modules())
def test_generated_legacy_modules_fix_cleanly(tmp_path: Path, source: str) -> None:
    path = tmp_path / "test_generated.py"
    path.write_text(source)
    _fix(path)
    fixed = path.read_text()
    tree = ast.parse(fixed)
    assert _removed_mocks(tree) == [], fixed
    comments = [part.split("#", 1)[1] for part in source.splitlines() if "#" in part]
    assert all(c in fixed for c in comments), fixed
    err = _fix(path)
    assert path.read_text() == fixed
    assert "fixed 0 findings" in err


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    source=modules(), rebind=st.sampled_from(["", "mock_aws = None\n", "def helper(mock_s3):\n    return mock_s3\n"])
)
def test_the_quick_binding_check_agrees_with_libcst_scope_analysis(tmp_path: Path, source: str, rebind: str) -> None:
    source = source + "\n\n" + rebind if rebind else source
    results = []
    for quick in (True, False):
        path = tmp_path / f"test_{quick}.py"
        path.write_text(source)
        scp401_lookup.QUICK_BINDINGS = quick
        try:
            _fix(path)
        finally:
            scp401_lookup.QUICK_BINDINGS = True
        results.append(path.read_text())
    assert results[0] == results[1]
