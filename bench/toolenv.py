"""The bench virtualenv (``bench/.corpus/venv``): pinned peers plus scopecheck from the repo."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

STAMP = "bench-stamp.json"


def venv_dir(bench_dir: Path) -> Path:
    return bench_dir / ".corpus" / "venv"


def bin_dir(env: Path) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin")


def python_of(env: Path) -> Path:
    return bin_dir(env) / ("python.exe" if os.name == "nt" else "python")


def executable(env: Path, name: str) -> Path | None:
    """The venv's entry point ``name``, or None when it is not installed."""
    for candidate in (bin_dir(env) / name, bin_dir(env) / f"{name}.exe"):
        if candidate.exists():
            return candidate
    return None


def flake8_venv_dir(bench_dir: Path) -> Path:
    # flake8 gets a venv of its own: scopecheck registers a flake8 plugin, and flake8 runs
    # every installed plugin whatever --select says, so in the main venv flake8 would also
    # run scopecheck (or fail to load it).
    return bench_dir / ".corpus" / "venv-flake8"


def _fingerprint(files: list[Path]) -> str:
    # Reinstall when the pins (or scopecheck's own dependencies) change.
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def _requirement_lines(requirements: Path) -> list[str]:
    lines = []
    for raw in requirements.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def _pip(env: Path, *args: str) -> bool:
    cmd = [str(python_of(env)), "-m", "pip", "install", "--disable-pip-version-check", "-q", *args]
    print("[bench] " + " ".join(cmd[1:]))
    return subprocess.run(cmd).returncode == 0


def _ensure_one(env: Path, requirements: Path, editable: Path | None, reinstall: bool) -> list[str]:
    """Create or refresh one venv; returns the requirements that did not install."""
    stamp = env / STAMP
    fingerprint = _fingerprint([requirements, *([editable / "pyproject.toml"] if editable else [])])
    if not reinstall and stamp.exists():
        data = json.loads(stamp.read_text())
        if data.get("fingerprint") == fingerprint:
            return list(data.get("failed", []))
    if not python_of(env).exists():
        print(f"[bench] creating virtualenv {env}")
        venv.EnvBuilder(with_pip=True, clear=True).create(env)
    failed: list[str] = []
    if not _pip(env, "-r", str(requirements)):
        # One bad pin must not sink the others: retry one by one, note what failed.
        for line in _requirement_lines(requirements):
            if not _pip(env, line):
                failed.append(line)
    # Editable, so the bench always measures the checkout as it is now.
    if editable is not None and not _pip(env, "-e", str(editable)):
        failed.append(f"-e {editable}")
    stamp.write_text(json.dumps({"fingerprint": fingerprint, "failed": failed}))
    return failed


def ensure_venv(bench_dir: Path, repo_root: Path, reinstall: bool = False) -> dict[str, list[str]]:
    """Both bench venvs; returns {"failed": [requirements that did not install]}."""
    failed = _ensure_one(venv_dir(bench_dir), bench_dir / "requirements.txt", repo_root, reinstall)
    failed += _ensure_one(flake8_venv_dir(bench_dir), bench_dir / "requirements-flake8.txt", None, reinstall)
    return {"failed": failed}


def in_venv(bench_dir: Path) -> bool:
    env = venv_dir(bench_dir).resolve()
    return Path(sys.prefix).resolve() == env
