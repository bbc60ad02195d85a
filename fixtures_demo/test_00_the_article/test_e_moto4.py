"""Lesson 00's moto 4 column, as a test: opt-in (`pytest fixtures_demo -m slow`), since it
installs moto 4.2.14 from the package registry into a throwaway virtualenv (once; reused).

The same run is one command: `python -m fixtures_demo.moto4`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_moto4_counterpart_proves_the_moto4_column(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "fixtures_demo.moto4", "--venv", str(tmp_path / "moto4-venv")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    last = run.stdout.strip().splitlines()[-1]
    assert last == "moto4: the moto 4.2.14 column of the claims table holds: noenv exit 0, fakeenv exit 0"
    assert run.stdout.count("10 passed") == 2
