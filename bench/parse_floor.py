"""Parse every .py file under a directory in ONE process: the floor a libcst linter can reach.

Usage: python bench/parse_floor.py {libcst|ast} DIR

Serial on purpose: it is the cost of parsing alone, with no parallelism, no rules and no
metadata. Prints "<files> files, <bytes> bytes, <failures> parse failures" to stdout.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("libcst", "ast"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, root = argv[0], Path(argv[1])
    files = sorted(root.rglob("*.py"))
    total = 0
    failures = 0
    if kind == "libcst":
        import libcst

        for path in files:
            data = path.read_bytes()
            total += len(data)
            try:
                libcst.parse_module(data)
            except libcst.ParserSyntaxError:
                failures += 1
    else:
        for path in files:
            data = path.read_bytes()
            total += len(data)
            try:
                ast.parse(data, filename=str(path))
            except SyntaxError:
                failures += 1
    print(f"{len(files)} files, {total} bytes, {failures} parse failures")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
