"""The moto 4 run of lesson 00: `python -m fixtures_demo.moto4`.

Makes (or reuses) a throwaway virtualenv with moto==4.2.14 from the package registry, copies
fixtures_demo/test_00_the_article/moto4/ (the article's test and conftest in `mock_transcribe`
form) into a scratch folder and runs it there with pytest twice: with no AWS variable at all,
and with fake ones, both behind the loopback-only network guard. Each test passes when the
claim's moto 4 verdict holds, so exit status 0 proves the moto 4 column of the claims table.

    python -m fixtures_demo.moto4              # venv under the temp dir, reused next time
    python -m fixtures_demo.moto4 --venv DIR   # or one of your own
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

MOTO4 = "4.2.14"
EXAMPLE = Path(__file__).resolve().parent / "test_00_the_article" / "moto4"
AWS_VARIABLES = re.compile(r"^AWS_")


def _python(home: Path) -> Path:
    return home / ("Scripts" if os.name == "nt" else "bin") / "python"


def ensure_venv(home: Path) -> Path:
    """A virtualenv at `home` with moto 4.2.14, pytest and pytest-socket (installed once)."""
    python = _python(home)
    if python.exists():
        probe = subprocess.run(
            [str(python), "-c", "import moto, pytest, pytest_socket; print(moto.__version__)"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode == 0 and probe.stdout.strip() == MOTO4:
            return python
    print(f"moto4: creating {home} with moto=={MOTO4} (pip, once)", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(home)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", f"moto=={MOTO4}", "pytest", "pytest-socket"],
        check=True,
        timeout=900,
    )
    return python


def ci_environment(kind: str, scratch: Path) -> dict[str, str]:
    """This process's environment without any AWS variable and with an empty HOME; `fakeenv`
    adds the usual fake keys and region."""
    env = {k: v for k, v in os.environ.items() if not AWS_VARIABLES.match(k) and k != "PYTHONPATH"}
    home = scratch / f"home-{kind}"
    home.mkdir()
    env["HOME"] = str(home)
    if kind == "fakeenv":
        env.update(
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_SESSION_TOKEN="testing",
            AWS_DEFAULT_REGION="us-east-1",
        )
    return env


def run(python: Path, kind: str, scratch: Path) -> int:
    project = scratch / f"project-{kind}"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    ini = scratch / f"{kind}.ini"  # empty: the repository's pytest settings must not apply
    ini.write_text("[pytest]\n", encoding="utf-8")
    command = [
        str(python), "-m", "pytest", "-c", str(ini), "--rootdir", str(project),
        "-p", "no:cacheprovider", "--allow-hosts=127.0.0.1,::1",
        "-q", "-rA", str(project),
    ]  # fmt: skip
    print(f"moto4: moto {MOTO4}, {kind}: {' '.join(command[1:])}", flush=True)
    return subprocess.run(command, cwd=project, env=ci_environment(kind, scratch), check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fixtures_demo.moto4", description=__doc__.split("\n\n")[0])
    default = Path(tempfile.gettempdir()) / f"scopecheck-moto{MOTO4}-venv"
    parser.add_argument("--venv", type=Path, default=default, help=f"virtualenv to use or create [{default}]")
    args = parser.parse_args(argv)
    python = ensure_venv(args.venv)
    with tempfile.TemporaryDirectory(prefix="moto4-lesson00-") as tmp:
        codes = {kind: run(python, kind, Path(tmp)) for kind in ("noenv", "fakeenv")}
    verdict = "holds" if not any(codes.values()) else "FAILS"
    print(f"moto4: the moto {MOTO4} column of the claims table {verdict}: " + ", ".join(
        f"{kind} exit {code}" for kind, code in codes.items()))  # fmt: skip
    return 0 if verdict == "holds" else 1


if __name__ == "__main__":
    sys.exit(main())
