"""Real-world check of ``--fix``: migrate moto 4.2.14's own test suite to ``mock_aws``.

Downloads the moto 4.2.14 sdist with pip (into a cache directory, never into the repository),
extracts its ``tests/`` into a temporary directory, runs ``scopecheck --fix --select SCP401`` on
it, and checks that every file still parses, that a second ``--fix`` changes nothing, and which
``mock_<name>`` identifiers are left (and whether any is still a moto<5 mock).

    python scripts/fix_roundtrip.py [--cache-dir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

VERSION = "4.2.14"
MOCK_NAME = re.compile(r"\bmock_[a-z0-9_]+")


def sdist(cache: Path) -> Path:
    found = sorted(cache.glob(f"moto-{VERSION}.tar.gz"))
    if found:
        return found[0]
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", f"moto=={VERSION}", "-d", cache],
        check=True,
    )
    return next(cache.glob(f"moto-{VERSION}.tar.gz"))


def extract_tests(archive: Path, into: Path) -> Path:
    prefix = f"moto-{VERSION}/tests/"
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith(prefix) and (m.isfile() or m.isdir())]
        for member in members:
            target = into / member.name[len(f"moto-{VERSION}/") :]
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            assert source is not None
            target.write_bytes(source.read())
    return into / "tests"


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha1(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*.py"))}


def scopecheck(*args: str) -> tuple[int, str, float]:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "scopecheck", *args], capture_output=True, text=True)
    return proc.returncode, proc.stderr, time.perf_counter() - started


# Names that moto 5 still has, where it has them: not leftovers.
STILL_VALID = {("moto.xray", "mock_xray_client"), ("moto.moto_api._internal", "mock_random")}


def moto_mocks_left(root: Path) -> list[str]:
    """moto<5 mocks still imported from moto or used as ``moto.mock_x``, per file."""
    left = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_bytes())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "moto" and not node.level:
                for alias in node.names:
                    valid = alias.name == "mock_aws" or (node.module, alias.name) in STILL_VALID
                    if alias.name.startswith("mock_") and not valid:
                        left.append(f"{path.relative_to(root)}:{node.lineno}: from {node.module} import {alias.name}")
            elif isinstance(node, ast.Attribute) and node.attr.startswith("mock_") and node.attr != "mock_aws":
                if isinstance(node.value, ast.Name) and node.value.id == "moto":
                    left.append(f"{path.relative_to(root)}:{node.lineno}: moto.{node.attr}")
    return left


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", default=os.path.join(tempfile.gettempdir(), "scopecheck-roundtrip-cache"))
    parser.add_argument("--keep", action="store_true", help="keep the fixed copy and print where it is")
    args = parser.parse_args()

    archive = sdist(Path(args.cache_dir))
    work = Path(tempfile.mkdtemp(prefix="scopecheck-roundtrip-"))
    try:
        tests = extract_tests(archive, work / "pristine")
        copy = work / "fixed" / "tests"
        shutil.copytree(tests, copy)
        before = snapshot(copy)
        code, err, elapsed = scopecheck("--fix", "--select", "SCP401", "--no-cache", str(copy))
        after = snapshot(copy)
        summary = [line for line in err.splitlines() if line.startswith("scopecheck: fixed")]
        broken = []
        for path in sorted(copy.rglob("*.py")):
            try:
                ast.parse(path.read_bytes())
            except SyntaxError as exc:
                broken.append(f"{path.relative_to(copy)}: {exc}")
        code2, err2, elapsed2 = scopecheck("--fix", "--select", "SCP401", "--no-cache", str(copy))
        unchanged = snapshot(copy) == after
        names = Counter(m for p in copy.rglob("*.py") for m in MOCK_NAME.findall(p.read_text("utf-8", "replace")))
        left = moto_mocks_left(copy)

        print(f"moto {VERSION} tests/: {len(before)} .py files")
        print(f"first --fix: exit {code}, {elapsed:.1f}s: {summary[0] if summary else err.strip()[-300:]}")
        print(f"files changed: {sum(1 for k in before if before[k] != after.get(k))}")
        print(f"files that no longer parse: {len(broken)}")
        for line in broken:
            print(f"    {line}")
        print(f"second --fix: exit {code2}, {elapsed2:.1f}s, files unchanged: {unchanged}")
        print("mock_* identifiers left:", ", ".join(f"{n} x{c}" for n, c in names.most_common()))
        print(f"moto<5 mocks still imported from moto or used as moto.mock_x: {len(left)}")
        print(
            "    (not counted: "
            + ", ".join(f"from {m} import {n}" for m, n in sorted(STILL_VALID))
            + ", valid in moto 5)"
        )
        for line in left:
            print(f"    {line}")
        if args.keep:
            print(f"fixed copy kept in {copy}")
        return 0 if not broken and unchanged else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
