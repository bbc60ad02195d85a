"""Shared helpers for the test suite: lint a small tree of files and read expectations."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from scopecheck.cli import main
from scopecheck.config import Settings, apply_table, load_settings
from scopecheck.engine import LintRequest, lint
from scopecheck.findings import Finding
from scopecheck.rules.base import Example
from scopecheck.run_config import resolve

EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>SCP\d{3}(?:\s*,\s*SCP\d{3})*)")


def write_tree(root: Path, files: Mapping[str, str]) -> None:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")


def lint_tree(
    root: Path,
    *,
    moto_major: int = 5,
    paths: list[str] | None = None,
    select: list[str] | None = None,
    settings: Settings | None = None,
) -> list[Finding]:
    """The findings of linting *root* (the default selection unless *select* says otherwise). A rule
    that raised is isolated by the engine and would just look clean: that fails here."""
    settings = settings if settings is not None else Settings(base_dir=str(root))
    config = resolve(settings, str(root), select=select or ["SCP"], target_moto=moto_major, root=str(root))
    return _lint(LintRequest(paths=paths or [str(root)], config=config))


def _lint(request: LintRequest) -> list[Finding]:
    result = lint(request)
    assert result.internal_errors == []
    return result.findings


def example_settings(root: Path, example: Example) -> Settings:
    """An example's [tool.scopecheck] settings: its pyproject.toml's, then its ``settings`` on top."""
    pyproject = example.files.get("pyproject.toml", "")
    if "[tool.scopecheck" in pyproject:
        settings = load_settings(str(root), config_path=str(root / "pyproject.toml"))
    else:  # not the settings of whatever pyproject.toml is above the temporary directory
        settings = Settings(base_dir=str(root))
    apply_table(settings, dict(example.settings))
    return settings


def expected_markers(files: Mapping[str, str]) -> set[tuple[str, int, str]]:
    found = set()
    for name, source in files.items():
        for number, line in enumerate(source.splitlines(), start=1):
            match = EXPECT.search(line)
            if match:
                for code in re.split(r"\s*,\s*", match.group("codes")):
                    found.add((name, number, code))
    return found


def as_markers(root: Path, findings: list[Finding]) -> set[tuple[str, int, str]]:
    return {(Path(f.path).resolve().relative_to(root.resolve()).as_posix(), f.line, f.code) for f in findings}


@dataclass
class Run:
    """What one in-process ``scopecheck`` invocation printed and returned."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


def invoke_cli(
    args: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *,
    cwd: Path | None = None,
    stdin: bytes | None = None,
) -> Run:
    """Run the real command line in this process, as a user would type it."""
    if cwd is not None:
        monkeypatch.chdir(cwd)
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    with pytest.raises(SystemExit) as exc:
        main(args)
    captured = capsys.readouterr()
    return Run(int(exc.value.code or 0), captured.out, captured.err)


def cli_runner() -> CliRunner:
    """click's test runner with stderr kept apart (click < 8.2, the last for Python 3.9, mixes it
    in unless told not to; click >= 8.2 always keeps it apart and has no such switch)."""
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()
