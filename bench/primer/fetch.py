"""Bring every primer suite into the cache: ``python bench/primer/fetch.py [--cache DIR] [--suite NAME]``.

- ``pypi:<dist>==<version>``: ``pip download --no-deps --no-binary :all:`` (the archive is kept in
  ``<cache>/.sdists/`` and reused), then extracted into ``<cache>/<name>/`` without its top folder.
- ``github:<owner>/<repo>@<commit>``: the tree of that commit, read from the git dir the search
  tool's ``fetch`` brought (``$SCOPECHECK_PRIMER_MIRROR``, default /work/.mirror). Without that
  git dir the suite is skipped with one line (CI reaches the registry, not GitHub).

Idempotent: a suite whose ``.primer-source`` stamp names its source is left alone. ``<cache>/READY``
lists the suites present; it is written as soon as READY_AFTER suites are there, and again at the end.
Third-party code only ever lands in the cache, never in the repository.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).resolve().parent))

from suites import Suite, cache_root, is_present, load_suites, mirror_root, stamp_path, suite_dir  # noqa: E402

READY_AFTER = 12


def _safe_member(name: str) -> PurePosixPath | None:
    """The member's path below the archive's top folder, or None if it must not be written."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or len(path.parts) < 2:
        return None
    return PurePosixPath(*path.parts[1:])


def _extract(archive: Path, dest: Path) -> None:
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                rel = _safe_member(info.filename)
                if rel is None or info.is_dir():
                    continue
                target = dest / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zf.read(info))
        return
    with tarfile.open(archive) as tf:
        for member in tf.getmembers():
            rel = _safe_member(member.name)
            if rel is None or not member.isfile():
                continue  # no links, devices or paths outside dest
            src = tf.extractfile(member)
            if src is None:
                continue
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(src.read())


def _find_sdist(folder: Path, dist: str, version: str) -> Path | None:
    stems = {f"{dist}-{version}", f"{dist.replace('-', '_')}-{version}", f"{dist.replace('_', '-')}-{version}"}
    stems |= {s.lower() for s in stems}
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        for ext in (".tar.gz", ".zip", ".tar.bz2", ".tgz"):
            if path.name.endswith(ext) and path.name[: -len(ext)].lower() in stems:
                return path
    return None


def _download(suite: Suite, sdists: Path) -> Path:
    dist, version = suite.pypi
    found = _find_sdist(sdists, dist, version)
    if found:
        return found
    sdists.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=sdists) as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:"]
        cmd += ["--ignore-requires-python", f"{dist}=={version}", "-d", tmp]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        got = _find_sdist(Path(tmp), dist, version)
        if proc.returncode != 0 or got is None:
            tail = (proc.stderr.strip().splitlines() or ["no archive"])[-1]
            raise RuntimeError(f"pip download {dist}=={version} failed: {tail}")
        final = sdists / got.name
        shutil.move(str(got), final)
        return final


def _git_tree(git_dir: Path, commit: str, dest: Path) -> int:
    """Write the commit's blobs under dest; missing blobs (the snapshot lacks large files) are skipped."""
    listing = subprocess.run(
        ["git", "--git-dir", str(git_dir), "ls-tree", "-r", "-z", "--full-tree", commit],
        capture_output=True,
        check=True,
    ).stdout
    entries = []
    for raw in listing.split(b"\0"):
        if not raw:
            continue
        meta, path = raw.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind != b"blob" or mode == b"120000":
            continue  # submodules and symlinks are not written
        entries.append((sha.decode(), path.decode("utf-8", "surrogateescape")))
    batch = subprocess.Popen(
        ["git", "--git-dir", str(git_dir), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert batch.stdin and batch.stdout
    written = 0
    try:
        for sha, path in entries:
            batch.stdin.write(sha.encode() + b"\n")
            batch.stdin.flush()
            header = batch.stdout.readline().split()
            if len(header) < 3 or header[1] == b"missing":
                continue
            data = batch.stdout.read(int(header[2]))
            batch.stdout.read(1)  # the newline after the object
            rel = PurePosixPath(path)
            if rel.is_absolute() or ".." in rel.parts:
                continue
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written += 1
    finally:
        batch.stdin.close()
        batch.wait()
    return written


def fetch_suite(suite: Suite, cache: Path) -> str:
    """Bring one suite; returns 'present', 'fetched' or 'skipped: <why>'."""
    if is_present(cache, suite):
        return "present"
    dest = suite_dir(cache, suite)
    staging = cache / f".{suite.name}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        if suite.kind == "pypi":
            _extract(_download(suite, cache / ".sdists"), staging)
        else:
            owner, repo, commit = suite.github
            git_dir = mirror_root() / f"{owner}+{repo}" / "repo"
            if not git_dir.is_dir():
                shutil.rmtree(staging, ignore_errors=True)
                return f"skipped: no git dir {git_dir} (bring it with the search tool's fetch github:{owner}/{repo})"
            has = subprocess.run(
                ["git", "--git-dir", str(git_dir), "cat-file", "-e", f"{commit}^{{commit}}"], capture_output=True
            )
            if has.returncode != 0:
                shutil.rmtree(staging, ignore_errors=True)
                return f"skipped: commit {commit[:12]} not in {git_dir}"
            _git_tree(git_dir, commit, staging)
        if not (staging / suite.lint).is_dir():
            raise RuntimeError(f"lint folder {suite.lint!r} not in the tree")
        (staging / ".primer-source").write_text(suite.source + "\n", encoding="utf-8")
        shutil.rmtree(dest, ignore_errors=True)
        staging.rename(dest)
    except Exception:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    assert stamp_path(cache, suite).is_file()
    return "fetched"


def write_ready(cache: Path, suites: list[Suite]) -> list[str]:
    present = [s.name for s in suites if is_present(cache, s)]
    lines = [f"{s.name}\t{s.source}\t{s.lint}\tmoto {s.moto}" for s in suites if s.name in present]
    tmp = cache / "READY.tmp"
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(cache / "READY")
    return present


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", help="cache folder (default: $SCOPECHECK_PRIMER_CACHE or /work/primer-cache)")
    parser.add_argument("--suite", action="append", help="only this suite (repeatable)")
    parser.add_argument("--jobs", type=int, default=3, help="downloads at once (default 3)")
    args = parser.parse_args(argv)

    cache = cache_root(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    suites = load_suites()
    chosen = [s for s in suites if not args.suite or s.name in args.suite]
    if args.suite and len(chosen) != len(set(args.suite)):
        known = {s.name for s in suites}
        print(f"unknown suite(s): {', '.join(sorted(set(args.suite) - known))}", file=sys.stderr)
        return 2

    failed = 0
    ready_written = False

    def one(suite: Suite) -> tuple[Suite, str]:
        try:
            return suite, fetch_suite(suite, cache)
        except Exception as exc:  # one broken suite must not stop the others
            return suite, f"failed: {exc}"

    # github suites first (local, fast), then downloads in parallel.
    ordered = sorted(chosen, key=lambda s: s.kind != "github")
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(one, suite) for suite in ordered]
        for future in as_completed(futures):
            suite, status = future.result()
            print(f"{suite.name}: {status}", flush=True)
            failed += status.startswith("failed")
            if not ready_written and sum(is_present(cache, s) for s in suites) >= READY_AFTER:
                write_ready(cache, suites)
                ready_written = True
    present = write_ready(cache, suites)
    print(f"{len(present)} of {len(suites)} suites in {cache} (listed in {cache / 'READY'})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
