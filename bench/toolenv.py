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


def _fingerprint(bench_dir: Path, repo_root: Path) -> str:
    # Reinstall when the pins or scopecheck's own dependencies change.
    digest = hashlib.sha256()
    for path in (bench_dir / "requirements.txt", repo_root / "pyproject.toml"):
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


def ensure_venv(bench_dir: Path, repo_root: Path, reinstall: bool = False) -> dict[str, list[str]]:
    """Create or refresh the venv; returns {"failed": [requirements that did not install]}."""
    env = venv_dir(bench_dir)
    stamp = env / STAMP
    fingerprint = _fingerprint(bench_dir, repo_root)
    if not reinstall and stamp.exists():
        data = json.loads(stamp.read_text())
        if data.get("fingerprint") == fingerprint:
            return {"failed": list(data.get("failed", []))}
    if not python_of(env).exists():
        print(f"[bench] creating virtualenv {env}")
        venv.EnvBuilder(with_pip=True, clear=True).create(env)
    failed: list[str] = []
    requirements = bench_dir / "requirements.txt"
    if not _pip(env, "-r", str(requirements)):
        # One bad pin must not sink the others: retry one by one, note what failed.
        for line in _requirement_lines(requirements):
            if not _pip(env, line):
                failed.append(line)
    # Editable, so the bench always measures the checkout as it is now.
    if not _pip(env, "-e", str(repo_root)):
        failed.append(f"-e {repo_root}")
    stamp.write_text(json.dumps({"fingerprint": fingerprint, "failed": failed}))
    return {"failed": failed}


def in_venv(bench_dir: Path) -> bool:
    env = venv_dir(bench_dir).resolve()
    return Path(sys.prefix).resolve() == env
