"""The benchmark corpus: moto 5.2.5's own test suite, taken from its sdist.

Everything lives under ``bench/.corpus/`` (git-ignored) and is reused when present.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

MOTO_VERSION = "5.2.5"
SUBSET_SIZES = (250, 500)

# Each corpus root is made a project of its own, as a user's checkout would be:
# - a pyproject.toml with an empty [tool.scopecheck] table (scopecheck stops its upward config
#   search there: defaults, never this repo's settings) and `[tool.fixit] root = true` (fixit:
#   root config, default rules "fixit.rules");
# - `git init`, so tools that honour .gitignore (scopecheck, ruff, fixit via trailrunner) stop at
#   the corpus instead of applying this repo's .gitignore, which lists bench/.corpus/.
ROOT_MARKER = "[tool.scopecheck]\n\n[tool.fixit]\nroot = true\n"

# Restores a file left modified by an interrupted "one file touched" run.
BACKUP_NAME = "touched-file.backup"


@dataclass(frozen=True)
class Corpus:
    """A directory of test files: ``root/tests/**.py``."""

    name: str
    root: Path

    @property
    def tests(self) -> Path:
        return self.root / "tests"

    def py_files(self) -> list[Path]:
        return sorted(self.tests.rglob("*.py"), key=lambda p: p.relative_to(self.root).as_posix())

    def total_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.py_files())


def cache_dir(bench_dir: Path) -> Path:
    return bench_dir / ".corpus"


def full_corpus(bench_dir: Path) -> Corpus:
    return Corpus(f"moto-{MOTO_VERSION}", cache_dir(bench_dir) / f"moto-{MOTO_VERSION}")


def subset_corpus(bench_dir: Path, size: int) -> Corpus:
    name = f"moto-{MOTO_VERSION}-first{size}"
    return Corpus(name, cache_dir(bench_dir) / name)


def _download_sdist(dest: Path) -> Path:
    # --ignore-requires-python: moto 5.2.5 needs Python >= 3.10 to run, but only its source is
    # wanted here, and the bench itself must start on 3.9.
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--no-binary",
        ":all:",
        "--ignore-requires-python",
        f"moto=={MOTO_VERSION}",
        "-d",
        str(dest),
    ]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    found = sorted(dest.glob(f"moto-{MOTO_VERSION}.tar.gz"))
    if not found:
        raise RuntimeError(f"pip download produced no moto-{MOTO_VERSION}.tar.gz in {dest}")
    return found[0]


def _extract_tests(sdist: Path, target: Path) -> None:
    prefix = f"moto-{MOTO_VERSION}/tests/"
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(sdist, "r:gz") as tar:
        for member in tar.getmembers():
            if not member.name.startswith(prefix) or not (member.isfile() or member.isdir()):
                continue
            rel = member.name[len(f"moto-{MOTO_VERSION}/") :]
            out = staging / rel
            if ".." in Path(rel).parts:
                continue  # never write outside the staging folder
            if member.isdir():
                out.mkdir(parents=True, exist_ok=True)
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            src = tar.extractfile(member)
            assert src is not None
            with src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst)
    # Only a finished extraction is renamed into place, so the cache check stays simple.
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def _make_project(root: Path) -> None:
    marker = root / "pyproject.toml"
    if not marker.exists() or marker.read_text() != ROOT_MARKER:
        marker.write_text(ROOT_MARKER)
    if (root / ".git").exists():
        return
    git = shutil.which("git")
    if git is None or subprocess.run([git, "init", "-q", str(root)]).returncode != 0:
        (root / ".git").mkdir()  # enough for tools that only look for the marker


def ensure_full(bench_dir: Path, log: bool = True) -> Corpus:
    corpus = full_corpus(bench_dir)
    if corpus.tests.is_dir():
        _make_project(corpus.root)
        return corpus
    if log:
        print(f"[bench] fetching moto=={MOTO_VERSION} sdist from the package registry ...")
    with tempfile.TemporaryDirectory(prefix="scopecheck-bench-") as tmp:
        sdist = _download_sdist(Path(tmp))
        _extract_tests(sdist, corpus.root)
    _make_project(corpus.root)
    return corpus


def ensure_subset(bench_dir: Path, full: Corpus, size: int) -> Corpus:
    """The first ``size`` .py files of the full corpus (sorted relative paths), copied."""
    subset = subset_corpus(bench_dir, size)
    wanted = full.py_files()[:size]
    if subset.tests.is_dir() and len(subset.py_files()) == len(wanted):
        _make_project(subset.root)
        return subset
    staging = subset.root.with_name(subset.root.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    for src in wanted:
        dst = staging / src.relative_to(full.root)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    shutil.rmtree(subset.root, ignore_errors=True)
    staging.rename(subset.root)
    _make_project(subset.root)
    return subset


def restore_touched(bench_dir: Path) -> None:
    """Undo a touch left behind by an interrupted run (backup = path line + content)."""
    backup = cache_dir(bench_dir) / BACKUP_NAME
    if not backup.exists():
        return
    raw = backup.read_bytes()
    header, _, content = raw.partition(b"\n")
    path = Path(os.fsdecode(header))
    if path.exists():
        path.write_bytes(content)
        print(f"[bench] restored {path} from an interrupted run")
    backup.unlink()


class TouchedFile:
    """Appends a unique comment to one file; ``restore`` puts content and mtime back."""

    def __init__(self, bench_dir: Path, path: Path) -> None:
        self.path = path
        self.backup = cache_dir(bench_dir) / BACKUP_NAME
        self._original = path.read_bytes()
        st = path.stat()
        self._times = (st.st_atime_ns, st.st_mtime_ns)
        self._count = 0

    def touch(self) -> None:
        self.backup.write_bytes(os.fsencode(str(self.path)) + b"\n" + self._original)
        self._count += 1
        # A new comment each round: the content never matches anything already cached.
        extra = f"\n# scopecheck bench touch {self._count} {os.getpid()}\n".encode()
        self.path.write_bytes(self._original + extra)

    def restore(self) -> None:
        self.path.write_bytes(self._original)
        # Same mtime too, so mtime-keyed caches of the other cases still hit.
        os.utime(self.path, ns=self._times)
        self.backup.unlink(missing_ok=True)
