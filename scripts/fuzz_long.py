"""The long fuzzing run: tests/test_fuzz.py under the ``long`` hypothesis profile.

    python scripts/fuzz_long.py                    # 3000 examples per property (about an hour here)
    python scripts/fuzz_long.py --examples 500     # a shorter soak
    python scripts/fuzz_long.py -k moto_flavoured  # one property

Prints hypothesis' statistics (examples run per property, and which rules the generated moto
programs reached) and exits with pytest's status. Failures are saved in ``.hypothesis/`` and
replayed first by the next run, also by the short CI profile.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=3000, help="examples per property [default: 3000]")
    parser.add_argument("-k", dest="keyword", help="only the properties whose name matches (pytest -k)")
    args = parser.parse_args(argv)
    env = dict(os.environ, SCOPECHECK_FUZZ_PROFILE="long", SCOPECHECK_FUZZ_EXAMPLES=str(args.examples))
    command = [sys.executable, "-m", "pytest", "tests/test_fuzz.py", "-q", "--hypothesis-show-statistics"]
    if args.keyword:
        command += ["-k", args.keyword]
    return subprocess.call(command, cwd=REPO, env=env)


if __name__ == "__main__":
    sys.exit(main())
