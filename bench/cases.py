"""What gets measured: one ``Case`` per table row."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import toolenv
from corpus import Corpus, TouchedFile

# The file used for "single file" and "one file touched": large (about 3,700 lines) and full
# of moto usage, so it is a demanding but real pre-commit case.
SINGLE_FILE = "tests/test_s3/test_s3.py"

Hook = Callable[[], None]

# scopecheck's stderr summary: "... in N files."
SCOPECHECK_FILES = r"in (\d+) files?\."


def _installed_in(env: Path, dist: str) -> bool:
    code = f"import importlib.metadata as m; m.version({dist!r})"
    proc = subprocess.run([str(toolenv.python_of(env)), "-c", code], capture_output=True)
    return proc.returncode == 0


def _nothing() -> None:
    return None


@dataclass
class Case:
    key: str
    label: str
    group: str  # "scopecheck" | "floor" | "peer" | "linearity"
    argv: list[str] | None
    cwd: Path
    files: int
    bytes: int = 0
    na_reason: str | None = None
    ok_codes: frozenset[int] = frozenset({0, 1})
    prime: Hook = _nothing  # once, untimed, before the first round
    setup: Hook = _nothing  # before every timed run, untimed
    teardown: Hook = _nothing  # after every timed run, untimed
    note: str = ""
    # Regex on stderr whose group 1 is the number of files the tool says it checked; a
    # mismatch with ``files`` marks the row as an error (e.g. everything was excluded).
    files_pattern: str | None = None


@dataclass(frozen=True)
class ScopecheckCli:
    exe: Path | None
    problem: str | None  # why scopecheck cannot run at all, when it cannot
    options: frozenset[str]

    def has(self, option: str) -> bool:
        return option in self.options


def detect_scopecheck(env: Path, override: Path | None = None) -> ScopecheckCli:
    exe = override if override is not None else toolenv.executable(env, "scopecheck")
    if exe is None:
        return ScopecheckCli(None, "not installed in the bench venv", frozenset())
    proc = subprocess.run([str(exe), "--help"], capture_output=True, text=True)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return ScopecheckCli(exe, f"`scopecheck --help` failed: {last}", frozenset())
    wanted = ("--no-cache", "--cache-dir", "--jobs")
    found = frozenset(opt for opt in wanted if opt in proc.stdout)
    return ScopecheckCli(exe, None, found)


def single_file(corpus: Corpus) -> str:
    if (corpus.root / SINGLE_FILE).exists():
        return SINGLE_FILE
    largest = max(corpus.py_files(), key=lambda p: p.stat().st_size)
    return largest.relative_to(corpus.root).as_posix()


def _fresh_dir(path: Path) -> Hook:
    def hook() -> None:
        shutil.rmtree(path, ignore_errors=True)

    return hook


def _prime_run(argv: list[str], cwd: Path) -> Hook:
    def hook() -> None:
        subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    return hook


@dataclass
class Layout:
    bench_dir: Path
    env: Path
    corpus: Corpus
    subsets: list[Corpus]
    caches: Path  # scratch cache dirs, emptied at the start of every bench run
    full_mode: bool


def _na(key: str, label: str, group: str, layout: Layout, files: int, reason: str) -> Case:
    return Case(key, label, group, None, layout.corpus.root, files, na_reason=reason)


def scopecheck_cases(layout: Layout, cli: ScopecheckCli) -> list[Case]:
    corpus = layout.corpus
    n_files = len(corpus.py_files())
    single = single_file(corpus)
    rows: list[tuple[str, str, str, int]] = [
        ("scopecheck_cold", "scopecheck cold (--no-cache)", "scopecheck", n_files),
        ("scopecheck_warm", "scopecheck warm, nothing changed", "scopecheck", n_files),
        ("scopecheck_touched", "scopecheck warm, one file touched", "scopecheck", n_files),
        ("scopecheck_single_warm", "scopecheck one file, warm", "scopecheck", 1),
        ("scopecheck_single_cold", "scopecheck one file, cold", "scopecheck", 1),
    ]
    if layout.full_mode:
        rows.append(("scopecheck_cold_jobs1", "scopecheck cold, --jobs 1", "scopecheck", n_files))
    if cli.exe is None or cli.problem is not None:
        reason = f"n/a: {cli.problem}"
        cases = [_na(k, label, g, layout, n, reason) for k, label, g, n in rows]
        for sub in layout.subsets:
            n = len(sub.py_files())
            cases.append(_na(f"scopecheck_cold_{n}", f"scopecheck cold, {n} files", "linearity", layout, n, reason))
        return cases

    exe = str(cli.exe)
    cwd = corpus.root

    def cold_argv(target: str, key: str) -> tuple[list[str], Hook, str]:
        if cli.has("--no-cache"):
            return [exe, "--no-cache", target], _nothing, ""
        if cli.has("--cache-dir"):
            # No --no-cache yet: an empty cache dir before every run is the same cold start.
            scratch = layout.caches / key
            return (
                [exe, "--cache-dir", str(scratch), target],
                _fresh_dir(scratch),
                "cold = empty --cache-dir (no --no-cache option)",
            )
        return [], _nothing, ""

    cases: list[Case] = []
    by_key = {k: (label, g, n) for k, label, g, n in rows}

    def add_cold(key: str, target: str, files: int, group: str, label: str, root: Path) -> None:
        argv, setup, note = cold_argv(target, key)
        if not argv:
            cases.append(
                Case(key, label, group, None, root, files, na_reason="n/a: option missing (--no-cache, --cache-dir)")
            )
            return
        cases.append(Case(key, label, group, argv, root, files, setup=setup, note=note))

    def add_warm(key: str, target: str, files: int, touch: TouchedFile | None = None) -> None:
        label, group, _ = by_key[key]
        if not cli.has("--cache-dir"):
            cases.append(Case(key, label, group, None, cwd, files, na_reason="n/a: option missing (--cache-dir)"))
            return
        argv = [exe, "--cache-dir", str(layout.caches / key), target]
        case = Case(key, label, group, argv, cwd, files, prime=_prime_run(argv, cwd))
        if touch is not None:
            case.setup, case.teardown = touch.touch, touch.restore
            case.note = f"appends a comment to {single} before each run"
        cases.append(case)

    add_cold("scopecheck_cold", "tests", n_files, "scopecheck", by_key["scopecheck_cold"][0], cwd)
    add_warm("scopecheck_warm", "tests", n_files)
    add_warm("scopecheck_touched", "tests", n_files, touch=TouchedFile(layout.bench_dir, corpus.root / single))
    add_warm("scopecheck_single_warm", single, 1)
    add_cold("scopecheck_single_cold", single, 1, "scopecheck", by_key["scopecheck_single_cold"][0], cwd)
    for case in cases[-2:]:
        case.note = " ".join(filter(None, [case.note, f"file: {single}"]))
    if layout.full_mode:
        label = by_key["scopecheck_cold_jobs1"][0]
        if cli.has("--jobs") and cli.has("--no-cache"):
            cases.append(
                Case(
                    "scopecheck_cold_jobs1",
                    label,
                    "scopecheck",
                    [exe, "--no-cache", "--jobs", "1", "tests"],
                    cwd,
                    n_files,
                )
            )
        else:
            cases.append(
                Case(
                    "scopecheck_cold_jobs1",
                    label,
                    "scopecheck",
                    None,
                    cwd,
                    n_files,
                    na_reason="n/a: option missing (--jobs / --no-cache)",
                )
            )
    for sub in layout.subsets:
        n = len(sub.py_files())
        add_cold(f"scopecheck_cold_{n}", "tests", n, "linearity", f"scopecheck cold, {n} files", sub.root)
        cases[-1].bytes = sub.total_bytes()
    full_bytes = corpus.total_bytes()
    for case in cases:
        case.files_pattern = SCOPECHECK_FILES
        if case.group == "scopecheck" and case.files > 1:
            case.bytes = full_bytes
    return cases


def floor_cases(layout: Layout) -> list[Case]:
    corpus = layout.corpus
    n_files = len(corpus.py_files())
    python = str(toolenv.python_of(layout.env))
    helper = str(layout.bench_dir / "parse_floor.py")
    cases = []
    for kind, label in (
        ("libcst", "libcst.parse_module, every file, 1 process"),
        ("ast", "ast.parse, every file, 1 process"),
    ):
        case = Case(f"floor_{kind}", label, "floor", [python, helper, kind, "tests"], corpus.root, n_files)
        if kind == "libcst" and importlib.util.find_spec("libcst") is None:
            case.argv, case.na_reason = None, "n/a: libcst not installed in the bench venv"
        cases.append(case)
    return cases


def peer_cases(layout: Layout) -> list[Case]:
    corpus = layout.corpus
    n_files = len(corpus.py_files())
    specs = [
        (
            "ruff",
            "ruff check --select PT --no-cache --isolated",
            ["check", "--no-cache", "--isolated", "--select", "PT", "tests"],
            frozenset({0, 1}),
        ),
        (
            "flake8",
            "flake8 --select PT (flake8-pytest-style)",
            ["--isolated", "--select", "PT", "tests"],
            frozenset({0, 1}),
        ),
        # fixit's exit status is a bitmask: 1 = violations, 2 = files it could not parse.
        ("fixit", "fixit lint (default rules)", ["lint", "tests"], frozenset({0, 1, 2, 3})),
    ]
    cases = []
    for tool, label, args, ok in specs:
        env = toolenv.flake8_venv_dir(layout.bench_dir) if tool == "flake8" else layout.env
        exe = toolenv.executable(env, tool)
        if exe is None:
            cases.append(
                Case(
                    f"peer_{tool}",
                    label,
                    "peer",
                    None,
                    corpus.root,
                    n_files,
                    na_reason=f"n/a: {tool} not installed in the bench venv",
                )
            )
            continue
        case = Case(f"peer_{tool}", label, "peer", [str(exe), *args], corpus.root, n_files, ok_codes=ok)
        if tool == "fixit":
            case.files_pattern = r"(\d+) files? checked"
        if tool == "flake8" and not _installed_in(env, "flake8-pytest-style"):
            case.argv, case.na_reason = None, "n/a: flake8-pytest-style not installed"
        cases.append(case)
    return cases


def all_cases(layout: Layout, cli: ScopecheckCli) -> list[Case]:
    return [*scopecheck_cases(layout, cli), *floor_cases(layout), *peer_cases(layout)]
