"""How --fix writes files: atomically, keeping mode, line endings and encoding, never over an edit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from scopecheck.cli import cli
from scopecheck.fixes import writer
from tests.helpers import cli_runner

LEGACY = b"from moto import mock_s3\n\n\n@mock_s3\ndef test_a():\n    pass\n"


def fix(*args: str) -> tuple[int, str]:
    result = cli_runner().invoke(cli, ["--no-cache", "--no-config", "--fix", *args], standalone_mode=False)
    if result.exception is not None:
        raise result.exception
    return int(result.return_value), result.stderr


def leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(".scopecheck-fix")]


def test_the_file_mode_is_preserved(tmp_path: Path) -> None:
    path = tmp_path / "test_it.py"
    path.write_bytes(LEGACY)
    path.chmod(0o640)
    fix(str(path))
    assert b"mock_aws" in path.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_crlf_line_endings_are_preserved(tmp_path: Path) -> None:
    path = tmp_path / "test_it.py"
    path.write_bytes(LEGACY.replace(b"\n", b"\r\n"))
    fix(str(path))
    data = path.read_bytes()
    assert data == LEGACY.replace(b"mock_s3", b"mock_aws").replace(b"\n", b"\r\n")


def test_a_latin_1_file_with_a_coding_cookie_stays_latin_1(tmp_path: Path) -> None:
    path = tmp_path / "test_it.py"
    source = "# -*- coding: latin-1 -*-\n# caf\xe9\n" + LEGACY.decode()
    path.write_bytes(source.encode("latin-1"))
    fix(str(path))
    assert path.read_bytes() == source.replace("mock_s3", "mock_aws").encode("latin-1")


def test_a_utf8_bom_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "test_it.py"
    path.write_bytes(b"\xef\xbb\xbf" + LEGACY)
    fix(str(path))
    assert path.read_bytes() == b"\xef\xbb\xbf" + LEGACY.replace(b"mock_s3", b"mock_aws")


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    real.write_bytes(LEGACY)
    link = tmp_path / "test_link.py"
    link.symlink_to(real)
    fix(str(link))
    assert link.is_symlink()
    assert b"mock_aws" in real.read_bytes()


def test_a_file_changed_between_read_and_write_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "test_it.py"
    path.write_bytes(LEGACY)
    edited = LEGACY + b"# someone else's edit\n"

    def concurrent_edit(target: str) -> bytes:
        # The user saves the file while the fix is being computed.
        Path(target).write_bytes(edited)
        return edited

    monkeypatch.setattr(writer, "read_bytes", concurrent_edit)
    code, err = fix(str(path))
    assert path.read_bytes() == edited
    assert "changed on disk since it was read; not overwritten" in err
    assert "fixed 0 findings in 0 files" in err
    assert code == 1
    assert leftovers(tmp_path) == []


def test_an_interrupted_write_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "test_it.py"
    path.write_bytes(LEGACY)

    def failing_replace(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "replace_file", failing_replace)
    code, err = fix(str(path))
    assert path.read_bytes() == LEGACY
    assert leftovers(tmp_path) == []
    assert "cannot write: No space left on device" in err
    assert code == 1


def test_a_keyboard_interrupt_during_the_write_also_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "test_it.py"
    path.write_bytes(LEGACY)

    def interrupted(source: str, target: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(writer, "replace_file", interrupted)
    with pytest.raises(KeyboardInterrupt):
        writer.write_atomically(str(path), b"new\n", expected=LEGACY)
    assert path.read_bytes() == LEGACY
    assert leftovers(tmp_path) == []


def test_diff_never_writes(tmp_path: Path) -> None:
    path = tmp_path / "test_it.py"
    path.write_bytes(LEGACY)
    before = os.stat(path)
    result = cli_runner().invoke(cli, ["--no-cache", "--no-config", "--diff", str(path)], standalone_mode=False)
    assert result.return_value == 1
    assert path.read_bytes() == LEGACY
    assert os.stat(path).st_mtime_ns == before.st_mtime_ns
    assert leftovers(tmp_path) == []


def test_a_fix_that_would_not_parse_is_not_applied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scopecheck.fixes import apply
    from scopecheck.fixes.base import FixOutcome, Verdict, decide

    class Broken:
        code = "SCP401"
        description = "breaks the file"

        def fix(self, data, findings, ctx):  # type: ignore[no-untyped-def]
            verdicts: list[Verdict] = [decide(f, apply.Safety.SAFE, ctx) for f in findings]
            return FixOutcome(data + b"def (:\n", verdicts)

    monkeypatch.setattr(apply, "FIXERS", {"SCP401": Broken()})
    path = tmp_path / "test_it.py"
    path.write_bytes(LEGACY)
    code, err = fix(str(path))
    assert path.read_bytes() == LEGACY
    assert "produced invalid code" in err
    assert code == 1
