"""Hostile input through the command line: every bad file is a one-line SCP000 diagnostic or a
skip with a reason on stderr, the exit status follows the contract (0 clean, 1 findings, 2 usage),
and no traceback ever reaches the user."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from scopecheck import analysis, engine
from scopecheck.analysis import analyse_path
from scopecheck.config import Settings
from scopecheck.engine import LintRequest, lint
from scopecheck.run_config import resolve

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    def json(self) -> list[dict]:
        return json.loads(self.stdout)


def scopecheck(
    *args: str, cwd: Path, stdin: bytes | None = None, timeout: float = 180, env: dict[str, str] | None = None
) -> Run:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "scopecheck", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=timeout,
        env=None if env is None else {**os.environ, **env},
    )
    run = Run(
        proc.returncode,
        proc.stdout.decode("utf-8", "surrogateescape"),
        proc.stderr.decode("utf-8", "surrogateescape"),
        time.perf_counter() - start,
    )
    assert "Traceback" not in run.stderr, run.stderr
    assert "internal error" not in run.stderr + run.stdout, run.stderr + run.stdout
    return run


def one_scp000(run: Run, path: str) -> dict:
    """The run reported exactly one finding for *path*, an SCP000 with a one-line reason."""
    mine = [f for f in run.json() if f["path"] == path]
    assert len(mine) == 1 and mine[0]["code"] == "SCP000", (path, mine, run.stderr)
    message = mine[0]["message"]
    assert "\n" not in message and message.startswith("cannot analyse this file: "), message
    assert mine[0]["line"] >= 1 and mine[0]["column"] >= 1
    return mine[0]


# -- file contents ----------------------------------------------------------------------------------

# name -> (bytes, substring of the SCP000 reason ("a|b": either, as Python versions word it
# differently), or None when the file must lint clean)
CONTENTS: dict[str, tuple[bytes, str | None]] = {
    # Syntax errors of every kind.
    "unclosed_paren.py": (b"x = (1,\n", "never closed|unexpected EOF"),
    "unopened_paren.py": (b"\n\n)\n", "unmatched"),
    "missing_block.py": (b"def f():\nreturn 1\n", "indented block"),
    "bad_unindent.py": (b"if x:\n    a = 1\n  b = 2\n", "unindent"),
    "tabs_and_spaces.py": (b"if x:\n\ta = 1\n        b = 2\n", "tabs"),
    "invalid_character.py": ("x = 1 \u20ac 2\n".encode(), "invalid character"),
    "unterminated_string.py": (b"x = 'abc\n", "unterminated string|EOL while scanning"),
    "unterminated_triple.py": (b'x = """abc\n', "unterminated triple-quoted|EOF while scanning triple-quoted"),
    "bad_fstring.py": (b"x = f'{'\n", "f-string"),
    "keyword_target.py": (b"class = 1\n", "invalid syntax"),
    "lone_decorator.py": (b"@\ndef f():\n    pass\n", "invalid syntax"),
    "eof_backslash.py": (b"x = 1 + \\\n", ""),
    "backslash_cr_bracket.py": (b"\\\r[", ""),  # Python 3.9 put the error past the line's end
    "only_colon.py": (b":\n", "invalid syntax"),
    "bad_walrus.py": (b"(a.b := 1)\n", "assignment expression"),
    # Python 2.
    "py2_print.py": (b"print 'hello'\n", "Missing parentheses"),
    "py2_exec.py": (b'exec "x = 1"\n', "Missing parentheses"),
    "py2_except.py": (b"try:\n    pass\nexcept Exception, e:\n    pass\n", "parenthes|invalid syntax"),
    "py2_backticks.py": (b"x = `1`\n", "invalid syntax"),
    "py2_octal.py": (b"x = 0777\n", "octal|leading zeros"),
    "py2_not_equal.py": (b"x = 1 <> 2\n", "invalid syntax"),
    "py2_raise.py": (b"raise ValueError, 'no'\n", "invalid syntax"),
    "py2_tuple_params.py": (b"def f((a, b)):\n    pass\n", "parameter|invalid syntax"),
    "py2_ur_string.py": (b"x = ur'abc'\n", "invalid syntax"),
    # Encodings.
    "latin1_no_cookie.py": (b"x = '\xe9'\n", "encoding"),
    "latin1_with_cookie.py": (b"# -*- coding: latin-1 -*-\nx = '\xe9'\n", None),
    "cookie_on_line_two.py": (b"#!/usr/bin/env python\n# coding: cp1252\nx = '\x80'\n", None),
    "cookie_on_line_three.py": (b"#\n#\n# coding: latin-1\nx = '\xe9'\n", "cannot decode as utf-8"),
    "wrong_cookie.py": ("# coding: ascii\nx = 'é'\n".encode(), "cannot decode as ascii"),
    "unknown_cookie.py": (b"# coding: uft-8\nx = 1\n", "unknown encoding"),
    "bom.py": (b"\xef\xbb\xbfimport os\n", None),
    "bom_only.py": (b"\xef\xbb\xbf", None),
    "bom_and_latin1_cookie.py": (b"\xef\xbb\xbf# coding: latin-1\nx = 1\n", "encoding"),
    "utf16.py": ("x = 1\n".encode("utf-16"), ""),
    "null_bytes.py": (b"x = 1\x00\n", "null bytes"),
    "lone_surrogate_escape.py": (b"x = '\xed\xa0\x80'\n", ""),
    # Line endings: all valid.
    "crlf.py": (b"import os\r\nx = 1\r\n", None),
    "cr_only.py": (b"import os\rx = 1\r", None),
    "mixed_endings.py": (b"import os\r\nx = 1\ry = 2\nz = 3\r\n", None),
    "form_feed.py": (b"import os\x0c\n\x0cx = 1\n", None),
    "no_final_newline.py": (b"x = 1", None),
    # Empty and nearly so.
    "empty.py": (b"", None),
    "whitespace_only.py": (b"   \n\t\n  \n", None),
    "comment_only.py": (b"# nothing here\n", None),
    "newlines_only.py": (b"\n" * 1000, None),
    # Too deep for Python's parser: RecursionError / MemoryError inside ast become diagnostics.
    "deep_parens.py": (b"x = " + b"(" * 100_000 + b")" * 100_000 + b"\n", "nested"),
    "deep_brackets.py": (b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "nested"),
    "deep_braces.py": (b"x = " + b"{" * 100_000 + b"}" * 100_000 + b"\n", "nested"),
    "deep_unary.py": (b"x = " + b"-" * 100_000 + b"1\n", "nested"),
    "deep_not.py": (b"x = " + b"not " * 100_000 + b"1\n", "nested"),
    "deep_attributes.py": (b"x = " + b"a." * 100_000 + b"b\n", "nested"),
    "deep_calls.py": (b"x = f" + b"()" * 100_000 + b"\n", "nested"),
    "deep_sum.py": (b"x = " + b"1+" * 100_000 + b"1\n", "nested"),
    "deep_lambdas.py": (b"x = " + b"lambda: " * 50_000 + b"1\n", "nested"),
    "deep_indentation.py": (
        b"".join(b" " * i + b"if x:\n" for i in range(120)) + b" " * 120 + b"pass\n",
        "indentation",
    ),
}


# Python 3.9's parser builds these (its compiler would fail later): clean there, and that is right.
PARSED_BEFORE_310 = {"deep_attributes.py", "deep_calls.py", "deep_sum.py"}


@pytest.fixture(scope="module")
def contents_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    root = tmp_path_factory.mktemp("contents")
    for name, (data, _) in CONTENTS.items():
        (root / name).write_bytes(data)
    run = scopecheck(".", "--format", "json", "--no-cache", "--no-config", "--jobs", "2", cwd=root)
    return root, run


def test_a_tree_of_hostile_files_exits_1_with_findings_and_no_traceback(contents_run: tuple[Path, Run]) -> None:
    _, run = contents_run
    assert run.returncode == 1, run.stderr
    assert f"in {len(CONTENTS)} files" in run.stderr


@pytest.mark.parametrize("name", sorted(CONTENTS))
def test_each_hostile_file_is_one_clear_diagnostic_or_clean(contents_run: tuple[Path, Run], name: str) -> None:
    _, run = contents_run
    expected = CONTENTS[name][1]
    mine = [f for f in run.json() if f["path"] == name]
    if expected is None or (name in PARSED_BEFORE_310 and sys.version_info < (3, 10) and not mine):
        assert mine == []
        return
    finding = one_scp000(run, name)
    assert any(part.lower() in finding["message"].lower() for part in expected.split("|")), finding["message"]
    # The position is inside the file, as Python counts lines (\n, \r\n, \r).
    lines = re.split(r"\r\n|\r|\n", CONTENTS[name][0].decode("utf-8", "replace"))
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    assert 1 <= finding["line"] <= len(lines)
    assert 1 <= finding["column"] <= len(lines[finding["line"] - 1]) + 1


def test_fix_leaves_every_hostile_file_byte_for_byte_alone(tmp_path: Path) -> None:
    for name, (data, _) in CONTENTS.items():
        (tmp_path / name).write_bytes(data)
    run = scopecheck(".", "--fix", "--unsafe-fixes", "--no-cache", "--no-config", cwd=tmp_path)
    assert run.returncode == 1
    for name, (data, _) in CONTENTS.items():
        assert (tmp_path / name).read_bytes() == data, name


@pytest.mark.parametrize(
    "name",
    ["py2_print.py", "null_bytes.py", "deep_parens.py", "wrong_cookie.py", "bad_fstring.py"],
)
def test_a_bad_file_named_alone_exits_1_in_text_format(contents_run: tuple[Path, Run], name: str) -> None:
    root, _ = contents_run
    run = scopecheck(name, "--no-cache", "--no-config", "--show-source", cwd=root)
    assert run.returncode == 1
    [line] = run.stdout.splitlines()[:1]
    assert line.startswith(f"{name}:") and " SCP000 cannot analyse this file: " in line


@pytest.mark.parametrize("name", ["empty.py", "bom.py", "crlf.py", "cr_only.py", "form_feed.py"])
def test_a_clean_odd_file_named_alone_exits_0(contents_run: tuple[Path, Run], name: str) -> None:
    root, _ = contents_run
    run = scopecheck(name, "--no-cache", "--no-config", cwd=root)
    assert (run.returncode, run.stdout) == (0, "")


LINE_ENDING_FINDING = "import boto3{eol}from moto import mock_aws{eol}{ff}{eol}x = 'éé'; s3 = boto3.client('s3'){eol}"


@pytest.mark.parametrize(
    "eol, ff",
    [("\n", ""), ("\r\n", ""), ("\r", ""), ("\n", "\x0c"), ("\r\n", "\x0c\x0c")],
    ids=["lf", "crlf", "cr", "lf-form-feed", "crlf-form-feeds"],
)
def test_line_endings_and_form_feeds_keep_lines_and_columns_exact(tmp_path: Path, eol: str, ff: str) -> None:
    (tmp_path / "test_x.py").write_bytes(LINE_ENDING_FINDING.format(eol=eol, ff=ff).encode())
    run = scopecheck("test_x.py", "--format", "json", "--no-cache", "--no-config", cwd=tmp_path)
    [finding] = run.json()
    assert (finding["code"], finding["line"], finding["column"]) == ("SCP101", 4, 16)


def test_noqa_works_in_a_file_with_lone_cr_line_endings(tmp_path: Path) -> None:
    source = "import boto3\rfrom moto import mock_aws\rs3 = boto3.client('s3')  # noqa: SCP101\r"
    (tmp_path / "test_x.py").write_bytes(source.encode())
    run = scopecheck("test_x.py", "--no-cache", "--no-config", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (0, "")


def test_a_five_megabyte_file_is_linted_in_bounded_time(tmp_path: Path) -> None:
    chunk = (
        "@pytest.fixture\ndef s3_{i}():\n    with mock_aws():\n"
        "        yield boto3.client('s3', region_name='us-east-1')\n"
        "\n\ndef test_{i}(s3_{i}):\n    assert s3_{i}.list_buckets()\n\n\n"
    )
    parts = ["import boto3\nimport pytest\nfrom moto import mock_aws\n\n\n"]
    size = 0
    i = 0
    while size < 5 * 1024 * 1024:
        parts.append(chunk.format(i=i))
        size += len(parts[-1])
        i += 1
    parts.append("s3 = boto3.client('s3')\n")  # one finding on the very last line
    (tmp_path / "test_big.py").write_text("".join(parts), encoding="utf-8")
    run = scopecheck("test_big.py", "--format", "json", "--no-cache", "--no-config", cwd=tmp_path, timeout=300)
    assert run.returncode == 1
    [finding] = run.json()
    assert finding["code"] == "SCP101" and finding["line"] == "".join(parts).count("\n")
    assert run.seconds < 240


def test_the_parsers_warnings_about_user_code_stay_off_stderr(tmp_path: Path) -> None:
    # Invalid escapes: DeprecationWarning up to 3.11, a SyntaxWarning shown by default from 3.12.
    (tmp_path / "test_w.py").write_text('x = "\\ d"\ny = "\\q"\n', encoding="utf-8")
    run = scopecheck(".", "--no-cache", "--no-config", cwd=tmp_path, env={"PYTHONWARNINGS": "default"})
    assert run.returncode == 0
    assert "Warning" not in run.stderr, run.stderr


def test_a_fixture_chain_thousands_deep_is_ordered_without_false_findings(tmp_path: Path) -> None:
    # f0 holds the mock; each later fixture requests the one before and makes a client under it.
    lines = ["import boto3", "import pytest", "from moto import mock_aws", "", "@pytest.fixture", "def f0():"]
    lines += ["    with mock_aws():", "        yield", ""]
    for i in range(1, 2000):
        lines += [
            "@pytest.fixture",
            f"def f{i}(f{i - 1}):",
            "    yield boto3.client('s3', region_name='us-east-1')",
            "",
        ]
    lines += ["def test_x(f1999):", "    f1999.list_buckets()", ""]
    (tmp_path / "test_chain.py").write_text("\n".join(lines), encoding="utf-8")
    run = scopecheck(".", "--format", "json", "--no-cache", "--no-config", cwd=tmp_path)
    assert (run.returncode, run.json()) == (0, [])


def test_stdin_with_undecodable_bytes_is_a_diagnostic(tmp_path: Path) -> None:
    run = scopecheck("-", "--format", "json", "--no-config", cwd=tmp_path, stdin=b"x = '\xff\xfe'\n")
    assert run.returncode == 1
    one_scp000(run, "-")


# -- the file system ------------------------------------------------------------------------------


def test_a_directory_named_like_a_python_file_is_walked_not_read(tmp_path: Path) -> None:
    (tmp_path / "x.py").mkdir()
    (tmp_path / "x.py" / "test_inner.py").write_text("from moto import mock_s3\n", encoding="utf-8")
    for target in (".", "x.py"):
        run = scopecheck(target, "--format", "json", "--no-cache", "--no-config", cwd=tmp_path)
        assert run.returncode == 1
        assert [f["code"] for f in run.json()] == ["SCP401"]


def test_a_directory_named_like_a_python_file_is_a_diagnostic_when_read_directly(tmp_path: Path) -> None:
    (tmp_path / "x.py").mkdir()
    analysed = analyse_path(str(tmp_path / "x.py"))
    assert analysed.facts.parse_error is not None and "directory" in analysed.facts.parse_error[1]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_broken_and_looping_symbolic_links_are_skipped_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "test_ok.py").write_text("x = 1\n", encoding="utf-8")
    os.symlink("nowhere.py", tmp_path / "test_broken.py")
    os.symlink("test_loop_b.py", tmp_path / "test_loop_a.py")
    os.symlink("test_loop_a.py", tmp_path / "test_loop_b.py")
    run = scopecheck(".", "--no-cache", "--no-config", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (0, "")
    for name in ("test_broken.py", "test_loop_a.py", "test_loop_b.py"):
        assert f"scopecheck: skipped {name}: broken symbolic link" in run.stderr
    # Named on the command line, each is a diagnostic instead.
    run = scopecheck("test_broken.py", "test_loop_a.py", "--format", "json", "--no-cache", "--no-config", cwd=tmp_path)
    assert run.returncode == 1
    assert "cannot read" in one_scp000(run, "test_broken.py")["message"]
    assert "cannot read" in one_scp000(run, "test_loop_a.py")["message"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("cache", ["--no-cache", "--cache-dir=cache"])
def test_a_fifo_named_like_a_python_file_never_blocks_the_run(tmp_path: Path, cache: str) -> None:
    os.mkfifo(tmp_path / "test_fifo.py")
    (tmp_path / "test_ok.py").write_text("x = 1\n", encoding="utf-8")
    run = scopecheck(".", cache, "--no-config", cwd=tmp_path, timeout=60)
    assert run.returncode == 0
    assert "scopecheck: skipped test_fifo.py: not a regular file" in run.stderr
    run = scopecheck("test_fifo.py", cache, "--format", "json", "--no-config", cwd=tmp_path, timeout=60)
    assert run.returncode == 1
    assert "not a regular file" in one_scp000(run, "test_fifo.py")["message"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("name", [".gitignore", "pyproject.toml", "pytest.ini", "setup.cfg", "tox.ini"])
def test_a_fifo_in_place_of_a_project_file_never_blocks_the_run(tmp_path: Path, name: str) -> None:
    (tmp_path / ".git").mkdir()  # .gitignore files are read inside a checkout only
    os.mkfifo(tmp_path / name)
    (tmp_path / "test_ok.py").write_text("from moto import mock_s3\n", encoding="utf-8")
    run = scopecheck(".", "--no-cache", cwd=tmp_path, timeout=60)
    assert run.returncode == 1 and "SCP401" in run.stdout


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_symbolic_link_to_a_device_is_never_read(tmp_path: Path) -> None:
    os.symlink("/dev/zero", tmp_path / "test_zero.py")
    run = scopecheck(".", "--no-config", cwd=tmp_path, timeout=60)
    assert run.returncode == 0 and "skipped test_zero.py: not a regular file" in run.stderr


@pytest.mark.skipif(IS_ROOT, reason="running as root: chmod 000 does not stop root from reading")
def test_an_unreadable_file_is_a_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "test_secret.py"
    path.write_text("x = 1\n", encoding="utf-8")
    path.chmod(0)
    try:
        run = scopecheck(".", "--format", "json", "--no-config", cwd=tmp_path)
    finally:
        path.chmod(0o644)
    assert run.returncode == 1
    assert "Permission denied" in one_scp000(run, "test_secret.py")["message"]


def _request(root: Path, cache_dir: str | None = None) -> LintRequest:
    settings = Settings(base_dir=str(root))
    config = resolve(
        settings, str(root), target_moto=5, root=str(root), cache=cache_dir is not None, cache_dir=cache_dir
    )
    return LintRequest(paths=[str(root)], config=config)


@pytest.mark.parametrize("cached", [False, True])
def test_an_unreadable_file_is_a_diagnostic_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    """chmod 000 does not stop root, so the refusal is simulated where the bytes are read."""
    (tmp_path / "test_secret.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "test_open.py").write_text("from moto import mock_s3\n", encoding="utf-8")
    real_open = os.open

    def refusing_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).endswith("test_secret.py"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(analysis.os, "open", refusing_open)
    result = lint(_request(tmp_path, str(tmp_path / "cache") if cached else None))
    codes = {(Path(f.path).name, f.code) for f in result.findings}
    assert codes == {("test_secret.py", "SCP000"), ("test_open.py", "SCP401")}
    [secret] = [f for f in result.findings if f.code == "SCP000"]
    assert "cannot read: Permission denied" in secret.message


@pytest.mark.parametrize("cached", [False, True])
def test_a_file_that_vanishes_after_discovery_is_a_diagnostic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    (tmp_path / "test_gone.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "test_stays.py").write_text("x = 1\n", encoding="utf-8")
    real_discover = engine.discover

    def discover_then_delete(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = real_discover(*args, **kwargs)
        (tmp_path / "test_gone.py").unlink()
        return found

    monkeypatch.setattr(engine, "discover", discover_then_delete)
    result = lint(_request(tmp_path, str(tmp_path / "cache") if cached else None))
    [finding] = result.findings
    assert Path(finding.path).name == "test_gone.py" and finding.code == "SCP000"
    assert "No such file or directory" in finding.message
    assert result.files_scanned == 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="relies on Linux's 4096-byte path limit")
def test_directories_nested_past_the_path_length_limit_are_skipped_with_a_reason(tmp_path: Path) -> None:
    # Built with directory descriptors: the deepest paths are longer than the OS accepts.
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        for _ in range(25):
            os.mkdir("d" * 200, dir_fd=fd)
            inner = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
            with open(os.open("test_x.py", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as handle:
                handle.write("from moto import mock_s3\n")
    finally:
        os.close(fd)
    run = scopecheck(".", "--format", "json", "--no-cache", "--no-config", cwd=tmp_path)
    assert run.returncode == 1
    assert {f["code"] for f in run.json()} == {"SCP401"}
    assert "cannot list directory" in run.stderr


def test_paths_with_spaces_and_non_ascii_names_are_reported_as_given(tmp_path: Path) -> None:
    folder = tmp_path / "my tests ü"
    folder.mkdir()
    (folder / "test_ünïcödé space.py").write_text("from moto import mock_s3\n", encoding="utf-8")
    run = scopecheck("my tests ü", "--format", "json", "--no-cache", "--no-config", cwd=tmp_path)
    assert run.returncode == 1
    assert [f["path"] for f in run.json()] == [os.path.join("my tests ü", "test_ünïcödé space.py")]


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="file names must be valid Unicode here")
@pytest.mark.parametrize("output_format", ["text", "json", "github", "sarif", "junit"])
def test_file_names_that_are_not_utf8_work_in_every_format(tmp_path: Path, output_format: str) -> None:
    with open(os.path.join(os.fsencode(tmp_path), b"test_\xff.py"), "wb") as handle:
        handle.write(b"from moto import mock_s3\n")
    run = scopecheck(".", "--format", output_format, "--no-cache", "--no-config", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "test_" in run.stdout


def test_a_path_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    run = scopecheck("missing.py", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == ["scopecheck: error: path 'missing.py' does not exist"]


# -- bad options and configuration: one line on stderr, exit status 2 ------------------------------


def _main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from scopecheck.cli import main

    with pytest.raises(SystemExit) as exited:
        main(args)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return exited.value.code, out, err


BAD_OPTIONS = [
    ["--select", "XYZ"],
    ["--select", "SCP1x"],
    ["--ignore", "bad"],
    ["--extend-select", "123"],
    ["--format", "nope"],
    ["--fail-on", "fatal"],
    ["--target-moto-version", "abc"],
    ["--target-moto-version", "0"],
    ["--target-moto-version", ""],
    ["--jobs", "0"],
    ["--jobs", "-1"],
    ["--jobs", "many"],
    ["-j"],
    ["--select"],
    ["--config", "missing.toml"],
    ["--config", "."],
    ["--config", "pyproject.toml", "--no-config"],
    ["--explain", "SCP999"],
    ["--explain", ""],
    ["--bogus-option"],
    ["--color=maybe"],
    ["-", "."],
    ["--stdin-filename", "x.py", "."],
    ["does-not-exist.py"],
    [""],
]


@pytest.mark.parametrize("args", BAD_OPTIONS, ids=[" ".join(a) or "empty-path" for a in BAD_OPTIONS])
def test_a_bad_option_value_is_one_line_on_stderr_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    (tmp_path / "test_a.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.scopecheck]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = _main(["--no-cache", *args], capsys)
    assert code == 2, err
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("scopecheck: error: "), err


BAD_CONFIGS: dict[str, bytes] = {
    "unknown-key": b"[tool.scopecheck]\nbogus = 1\n",
    "select-not-a-list": b"[tool.scopecheck]\nselect = 5\n",
    "select-bad-code": b'[tool.scopecheck]\nselect = ["BAD"]\n',
    "ignore-bad-code": b'[tool.scopecheck]\nignore = ["SCP1x"]\n',
    "extend-select-ints": b"[tool.scopecheck]\nextend-select = [1]\n",
    "per-file-ignores-not-a-table": b"[tool.scopecheck]\nper-file-ignores = 3\n",
    "per-file-ignores-bad-code": b'[tool.scopecheck]\nper-file-ignores = { "tests/*" = ["NOPE"] }\n',
    "exclude-not-strings": b"[tool.scopecheck]\nexclude = 1\n",
    "extend-exclude-ints": b"[tool.scopecheck]\nextend-exclude = [1, 2]\n",
    "fail-on-unknown": b'[tool.scopecheck]\nfail-on = "fatal"\n',
    "fail-on-number": b"[tool.scopecheck]\nfail-on = 3\n",
    "target-bool": b"[tool.scopecheck]\ntarget-moto-version = true\n",
    "target-word": b'[tool.scopecheck]\ntarget-moto-version = "latest"\n',
    "target-zero": b"[tool.scopecheck]\ntarget-moto-version = 0\n",
    "target-infinite": b"[tool.scopecheck]\ntarget-moto-version = inf\n",
    "respect-gitignore-string": b'[tool.scopecheck]\nrespect-gitignore = "yes"\n',
    "table-not-a-table": b"[tool]\nscopecheck = 3\n",
    "invalid-toml": b"[tool.scopecheck\nselect = [\n",
    "duplicate-key": b'[tool.scopecheck]\nselect = ["SCP"]\nselect = ["SCP"]\n',
    "not-utf8": b'[tool.scopecheck]\nselect = ["caf\xe9"]\n',
    "nul-byte": b"[tool.scopecheck]\x00\n",
}


@pytest.mark.parametrize("name", sorted(BAD_CONFIGS))
@pytest.mark.parametrize("how", ["found", "--config"])
def test_a_bad_config_value_is_one_line_on_stderr_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, how: str
) -> None:
    (tmp_path / "test_a.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_bytes(BAD_CONFIGS[name])
    monkeypatch.chdir(tmp_path)
    args = [".", "--no-cache"] + (["--config", "pyproject.toml"] if how == "--config" else [])
    code, out, err = _main(args, capsys)
    assert code == 2, err
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("scopecheck: error: config: "), err


def test_a_malformed_tool_key_in_someone_elses_pyproject_is_not_our_concern(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "test_a.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("tool = 3\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _main([".", "--no-cache"], capsys)[0] == 0
