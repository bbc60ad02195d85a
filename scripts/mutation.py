"""Mutation testing of the rules and the pytest model: how much of their meaning the tests pin.

A small AST mutator (mutmut's copy-and-trampoline setup fits badly with a package whose tests run
``scopecheck`` in subprocesses). Each mutant changes one source span, so the rest of the file stays
byte-identical; it runs in a worker copy of the repository that is first on ``PYTHONPATH``, so the
tests' own subprocesses see it too. A mutant is *killed* when the tests fail (or time out).

    python scripts/mutation.py                      # every mutant of rules/ and model/
    python scripts/mutation.py --sample 200 --seed 1 --json /tmp/mutants.json
    python scripts/mutation.py --files scopecheck/rules/scp203_unbalanced_mock_start.py

Not mutated: docstrings, imports, annotations, the ``RULE = Rule(...)`` metadata (docs text and
examples: the docs-freshness and example tests pin those; also a rule's ``scpNNN_examples.py``),
``__all__`` and ``TYPE_CHECKING`` blocks.
Results and the survivors that matter are recorded in docs/testing.md.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FILES = ["scopecheck/rules/*.py", "scopecheck/model/*.py"]
# Fast tests that state what rules and the model mean (the slow, subprocess-heavy ones add little).
DEFAULT_TESTS = [
    "tests/test_rule_examples.py",
    "tests/test_rule_snapshots.py",
    "tests/test_model.py",
    "tests/test_flow_rules.py",
    "tests/test_nested_removed_regionless.py",
    "tests/test_import_time.py",
    "tests/test_rule_registry.py",
    "tests/test_model_api.py",
    "tests/test_model_modules.py",
    "tests/test_rule_fixes.py",
    "tests/test_env_and_server_rules.py",
    "tests/test_async_rules.py",
    "tests/test_model_pinned.py",
    "tests/test_rules_pinned.py",
]
DESELECT = [
    # Each takes several seconds and pins nothing the others miss.
    "tests/test_nested_removed_regionless.py::test_global_services_build_clients_without_a_region",
    "tests/test_import_time.py::test_findings_do_not_depend_on_the_working_directory",
]
COMPARE_SWAP = {
    ast.Eq: "!=",
    ast.NotEq: "==",
    ast.Lt: ">=",
    ast.GtE: "<",
    ast.Gt: "<=",
    ast.LtE: ">",
    ast.In: "not in",
    ast.NotIn: "in",
    ast.Is: "is not",
    ast.IsNot: "is",
}


@dataclass
class Mutant:
    path: str
    line: int
    start: int  # character offsets into the file's text
    end: int
    replacement: str
    operator: str
    outcome: str = ""  # killed | survived | timeout

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


class _Offsets:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def at(self, line: int, byte_col: int) -> int:
        raw = self.lines[line - 1].encode("utf-8")[:byte_col]
        return self.starts[line - 1] + len(raw.decode("utf-8", errors="replace"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (
            self.at(node.lineno, node.col_offset),  # type: ignore[attr-defined]
            self.at(node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
        )


def _skipped_ranges(tree: ast.Module) -> list[tuple[int, int]]:
    """Line ranges never mutated: rule metadata, TYPE_CHECKING blocks, docstrings."""
    ranges = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in {"RULE", "__all__"} for t in node.targets
        ):
            ranges.append((node.lineno, node.end_lineno or node.lineno))
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            ranges.append((node.lineno, node.end_lineno or node.lineno))
        elif isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ranges.append((body[0].lineno, body[0].end_lineno or body[0].lineno))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            ranges.append((node.lineno, node.end_lineno or node.lineno))
    return ranges


def _annotation_ids(tree: ast.Module) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        annotations = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            annotations = [
                a.annotation for a in (*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs) if a.annotation
            ]
            annotations += [node.returns] if node.returns else []
        elif isinstance(node, ast.AnnAssign):
            annotations = [node.annotation]
        for annotation in annotations:
            ids.update(id(sub) for sub in ast.walk(annotation))
    return ids


def _untouchable_ids(tree: ast.Module) -> set[int]:
    """Nodes whose mutants could not parse or change nothing observable: the literal parts of an
    f-string (the whole f-string is mutated instead), module-level string tags (``ARMED = "armed"``:
    compared only with each other) and type aliases."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            ids.update(id(sub) for sub in ast.walk(node) if isinstance(sub, ast.Constant))
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) and t.id.isupper() for t in stmt.targets):
            if isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
                ids.add(id(stmt.value))
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Subscript):
            ids.update(id(sub) for sub in ast.walk(stmt.value))
    return ids


def mutants_of(path: str, text: str) -> list[Mutant]:
    tree = ast.parse(text)
    offsets = _Offsets(text)
    skipped = _skipped_ranges(tree)
    in_annotation = _annotation_ids(tree) | _untouchable_ids(tree)
    found: list[Mutant] = []

    def add(node: ast.AST, replacement: str, operator: str, span: tuple[int, int] | None = None) -> None:
        line = node.lineno  # type: ignore[attr-defined]
        if any(a <= line <= b for a, b in skipped) or id(node) in in_annotation:
            return
        start, end = span or offsets.span(node)
        found.append(Mutant(path, line, start, end, replacement, operator))

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in COMPARE_SWAP:
            swapped = ast.Compare(node.left, [_op(COMPARE_SWAP[type(node.ops[0])])], node.comparators)
            add(node, ast.unparse(swapped), f"compare {_sym(node.ops[0])} -> {COMPARE_SWAP[type(node.ops[0])]}")
        elif isinstance(node, ast.BoolOp):
            other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            add(node, f"({ast.unparse(ast.BoolOp(other, node.values))})", "swap and/or")
        elif isinstance(node, (ast.If, ast.While, ast.IfExp)):
            add(node.test, f"(not ({ast.unparse(node.test)}))", "negate condition")
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            add(node, f"({ast.unparse(node.operand)})", "drop not")
        elif isinstance(node, ast.Constant) and not isinstance(node.value, bytes):
            _constant(node, add)
        elif isinstance(node, ast.JoinedStr):
            add(node, repr(""), "empty message")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"any", "all"}:
            add(node.func, "all" if node.func.id == "any" else "any", "swap any/all")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            flipped = ast.BinOp(node.left, ast.Sub() if isinstance(node.op, ast.Add) else ast.Add(), node.right)
            add(node, f"({ast.unparse(flipped)})", "swap +/-")
        elif isinstance(node, (ast.Continue, ast.Break, ast.AugAssign)) or (
            isinstance(node, ast.Expr) and not isinstance(node.value, ast.Constant)
        ):
            add(node, "pass", "delete statement")
        elif (
            isinstance(node, ast.Return) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, bool)
        ):
            add(node.value, str(not node.value.value), "negate return")
        elif isinstance(node, ast.comprehension):
            for cond in node.ifs:
                add(cond, f"(not ({ast.unparse(cond)}))", "negate comprehension filter")
    return sorted(found, key=lambda m: (m.start, m.operator))


def _constant(node: ast.Constant, add) -> None:  # type: ignore[no-untyped-def]
    value = node.value
    if isinstance(value, bool):
        add(node, str(not value), "flip bool")
    elif isinstance(value, int):
        add(node, str(value + 1), "int + 1")
    elif isinstance(value, str) and value:
        add(node, repr(""), "empty string")


SYMBOLS = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.GtE: ">=",
    ast.Gt: ">",
    ast.LtE: "<=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}


def _op(symbol: str) -> ast.cmpop:
    return {v: k for k, v in SYMBOLS.items()}[symbol]()


def _sym(op: ast.cmpop) -> str:
    return SYMBOLS[type(op)]


def _worker_copy(root: Path) -> Path:
    for name in ("scopecheck", "tests", "fixtures_demo", "docs", "bench"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(REPO / name, root / name)
    return root


def _run_tests(root: Path, tests: list[str], timeout: float) -> str:
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    for name in list(env):
        if name.startswith("AWS_"):
            del env[name]
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    command += [arg for test in DESELECT for arg in ("--deselect", test)]
    try:
        result = subprocess.run(command, cwd=root, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    return "survived" if result.returncode == 0 else "killed"


def _run_mutant(mutant: Mutant, root: Path, tests: list[str], timeout: float) -> str:
    target = root / mutant.path
    original = target.read_text(encoding="utf-8")
    target.write_text(original[: mutant.start] + mutant.replacement + original[mutant.end :], encoding="utf-8")
    try:
        return _run_tests(root, tests, timeout)
    finally:
        target.write_text(original, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", nargs="*", default=DEFAULT_FILES)
    parser.add_argument("--tests", nargs="*", default=DEFAULT_TESTS)
    parser.add_argument("--sample", type=int, default=0, help="run a random sample of this many mutants")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--json", type=Path, help="write every mutant and its outcome here")
    parser.add_argument("--list", action="store_true", help="only list the mutants")
    parser.add_argument(
        "--replay",
        type=Path,
        help="a --json file of an earlier run on the same code: run its survivors again (after new tests)",
    )
    args = parser.parse_args(argv)

    paths = sorted({p.relative_to(REPO).as_posix() for pattern in args.files for p in REPO.glob(pattern)})
    # A rule's examples module (scpNNN_examples.py) is RULE metadata that outgrew its module.
    paths = [p for p in paths if not p.endswith("_examples.py")]
    mutants = [m for path in paths for m in mutants_of(path, (REPO / path).read_text(encoding="utf-8"))]
    total = len(mutants)
    if args.sample and args.sample < total:
        mutants = random.Random(args.seed).sample(mutants, args.sample)
    earlier: list[Mutant] = []
    if args.replay:
        earlier = [Mutant(**m) for m in json.loads(args.replay.read_text(encoding="utf-8"))]
        current = {(m.path, m.start, m.end, m.replacement) for m in mutants}
        if any((m.path, m.start, m.end, m.replacement) not in current for m in earlier):
            print("--replay: the code changed since that run; run the sample again", file=sys.stderr)
            return 2
        mutants = [m for m in earlier if m.outcome == "survived"]
    if args.list:
        for m in mutants:
            print(f"{m.where}: {m.operator}: {m.replacement[:60]}")
        print(f"{len(mutants)} of {total} mutants")
        return 0
    tests = [t for t in args.tests if (REPO / t).exists()]

    with tempfile.TemporaryDirectory(prefix="scopecheck-mutation-") as tmp:
        workers = [_worker_copy(Path(tmp) / f"w{i}") for i in range(args.jobs)]
        if _run_tests(workers[0], tests, args.timeout) != "survived":
            print("the unmutated tests fail in the worker copy: fix that first", file=sys.stderr)
            return 2
        started = time.monotonic()
        free = list(workers)

        def run(mutant: Mutant) -> Mutant:
            root = free.pop()
            try:
                mutant.outcome = _run_mutant(mutant, root, tests, args.timeout)
            finally:
                free.append(root)
            return mutant

        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for done, mutant in enumerate(pool.map(run, mutants), start=1):
                if mutant.outcome == "survived":
                    print(
                        f"[{done}] survived {mutant.where}: {mutant.operator}: {mutant.replacement[:40]}",
                        flush=True,
                    )
        elapsed = time.monotonic() - started

    if earlier:  # the earlier run's kills stand: only tests were added
        rerun = {(m.path, m.start, m.end, m.replacement): m for m in mutants}
        mutants = [rerun.get((m.path, m.start, m.end, m.replacement), m) for m in earlier]
    by_file: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mutants:
        by_file[m.path][m.outcome] += 1
    killed = sum(1 for m in mutants if m.outcome != "survived")
    print(f"\n{'file':58} mutants killed rate")
    for path, counts in sorted(by_file.items()):
        n = sum(counts.values())
        k = n - counts["survived"]
        print(f"{path:58} {n:7} {k:6} {k / n:5.1%}")
    label = "total" + (f" (sample of {total})" if len(mutants) < total else "")
    print(f"{label:58} {len(mutants):7} {killed:6} {killed / len(mutants):5.1%}")
    print(f"{elapsed:.0f} s, {args.jobs} jobs, tests: {' '.join(tests)}")
    if args.json:
        args.json.write_text(json.dumps([asdict(m) for m in mutants], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
