"""The moto 5 migration, proven by running real suites: ``python bench/migration/roundtrip.py``.

For each pinned project (bench/migration/projects.py):

1. its sdist from PyPI, unpacked into the cache (never into the repository);
2. two virtualenvs, cached: the project's test environment with its moto 4, and the same with
   moto 5.2.5 (pip, package registry only);
3. the tests on moto 4, on the untouched copy (per-test outcomes from pytest's junitxml);
4. the untouched copy on moto 5 (what a user gets by only bumping moto);
5. ``scopecheck --fix --target-moto-version 5`` on a fresh copy (``--unsafe-fixes`` where the project
   says so), then every file must parse, a second ``--fix`` must change nothing, and what SCP401
   still reports is the number of hand edits;
6. the fixed copy on moto 5.

Every test that passes in 3 and not in 6 must be explained in projects.py, or the run fails
(exit 1). Tests run behind pytest-socket's ``--allow-hosts=127.0.0.1,::1`` with fake credentials.
Results go to ``<cache>/results.json``; ``--markdown`` prints the table for docs/migration.md.

    python bench/migration/roundtrip.py [--cache DIR] [--project NAME] [--markdown]
"""

from __future__ import annotations

import argparse
import ast
import difflib
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import venv
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from projects import MOTO5, PROJECTS, Project  # noqa: E402

DEFAULT_CACHE = Path(os.environ.get("SCOPECHECK_MIGRATION_CACHE", "/work/migration-cache"))
GUARD = "--allow-hosts=127.0.0.1,::1"
TEST_TIMEOUT = 3600
# No real credentials can be read: AWS_* is cleared and the config files point nowhere.
NO_AWS_FILES = {
    "AWS_CONFIG_FILE": "/nonexistent/aws-config",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
    # no instance metadata either, like a CI runner outside EC2 (the guard would turn botocore's
    # probe of 169.254.169.254 into an exception where CI sees a timeout and no credentials)
    "AWS_EC2_METADATA_DISABLED": "true",
}
# moto's recommended fake credentials, for the projects whose CI exports them.
FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def log(msg: str) -> None:
    print(f"[roundtrip] {msg}", file=sys.stderr, flush=True)


def run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, text=True, capture_output=True, **kw)  # type: ignore[call-overload]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


# -- sources and environments -------------------------------------------------------------------
class Skip(Exception):
    """A project whose source is not on this machine (a GitHub snapshot without its git dir)."""


def _unpack(archive: Path | bytes, dest: Path, strip: bool) -> None:
    import io

    opened = tarfile.open(fileobj=io.BytesIO(archive)) if isinstance(archive, bytes) else tarfile.open(archive)
    with opened as tar:
        for member in tar.getmembers():
            parts = Path(member.name).parts[1:] if strip else Path(member.name).parts
            if not member.isfile() or not parts or ".." in parts or Path(member.name).is_absolute():
                continue  # no links, devices or paths outside dest
            target = dest.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            extracted = tar.extractfile(member)
            assert extracted is not None
            target.write_bytes(extracted.read())


def source(project: Project, cache: Path) -> Path:
    """The project's tree: the unpacked sdist (top folder stripped) or the commit's tree."""
    dest = cache / "src" / project.name
    stamp = dest / ".roundtrip-source"
    if stamp.exists() and stamp.read_text() == project.source:
        return dest
    kind, _, spec = project.source.partition(":")
    if kind == "github":
        repo, _, commit = spec.partition("@")
        mirror = Path(os.environ.get("SCOPECHECK_PRIMER_MIRROR", "/work/.mirror")) / repo.replace("/", "+") / "repo"
        if not mirror.is_dir():
            raise Skip(f"{project.name}: no git dir for {repo} at {mirror}; skipped")
        archive = subprocess.run(["git", f"--git-dir={mirror}", "archive", "--format=tar", commit], capture_output=True)
        if archive.returncode:
            raise Skip(f"{project.name}: {commit} not in {mirror}; skipped")
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        _unpack(archive.stdout, dest, strip=False)
    else:
        sdists = cache / "sdists"
        sdists.mkdir(parents=True, exist_ok=True)
        dist, version = spec.split("==")
        proc = run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "--no-binary",
                ":all:",
                spec,
                "-d",
                str(sdists),
            ]
        )
        if proc.returncode:
            raise SystemExit(f"pip download {spec} failed:\n{proc.stderr[-2000:]}")
        archive_path = next(
            p
            for p in sdists.iterdir()
            if "-" in p.name
            and _normal(p.name.rsplit("-", 1)[0]) == _normal(dist)
            and p.name.rsplit("-", 1)[1] == f"{version}.tar.gz"
        )
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        _unpack(archive_path, dest, strip=True)
    stamp.write_text(project.source)
    return dest


def environment(project: Project, moto: str, cache: Path) -> Path:
    """A cached virtualenv with the project's test requirements and this moto."""
    reqs = [*project.install, f"moto[{project.moto_extras}]=={moto}", "pytest-socket"]
    key = hashlib.sha1("\n".join(reqs).encode()).hexdigest()[:10]
    home = cache / "venvs" / f"{project.name}-moto{moto}"
    stamp = home / ".roundtrip-reqs"
    if stamp.exists() and stamp.read_text() == key:
        return home
    if (home / "bin" / "python").exists():
        log(f"{project.name}: updating moto {moto} environment")  # pip moves it to the new pins
    else:
        log(f"{project.name}: installing moto {moto} environment")
        venv.create(home, with_pip=True)
    proc = run([str(home / "bin" / "python"), "-m", "pip", "install", "-q", *reqs])
    if proc.returncode:
        raise SystemExit(f"{project.name}: pip install failed:\n{proc.stderr[-3000:]}")
    freeze = run([str(home / "bin" / "python"), "-m", "pip", "freeze"]).stdout
    (home / "freeze.txt").write_text(freeze)
    stamp.write_text(key)
    return home


# -- running the tests ----------------------------------------------------------------------------
def test_id(case: ET.Element) -> str:
    classname = case.get("classname", "")
    name = case.get("name", "")
    file = case.get("file")
    if file:
        parts = classname.split(".")
        stem = Path(file).with_suffix("").parts
        rest = parts[len(stem) :] if tuple(parts[: len(stem)]) == stem else parts[-1:]
        return "::".join([file, *rest, name])
    return f"{classname}::{name}" if classname else name


def outcomes(xml: Path) -> dict[str, str]:
    result: dict[str, str] = {}
    for case in ET.parse(xml).getroot().iter("testcase"):
        kinds = {child.tag for child in case}
        if "error" in kinds:
            outcome = "error"
        elif "failure" in kinds:
            outcome = "failed"
        elif "skipped" in kinds:
            outcome = "skipped"
        else:
            outcome = "passed"
        tid = test_id(case)
        # A test that passes and then errors in teardown is reported twice: the worse one counts.
        if result.get(tid) not in ("error", "failed"):
            result[tid] = outcome
    return result


def suite_environment(project: Project, env_home: Path) -> dict[str, str]:
    """The project's test run environment: no real AWS anything, its own variables, its venv first."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(NO_AWS_FILES)
    if project.fake_credentials:
        env.update(FAKE_AWS)
    env.update(project.env)
    env["PATH"] = f"{env_home / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def suite_command(project: Project, env_home: Path, *extra: str) -> list[str]:
    """pytest on the project's tests behind the loopback-only socket guard (`extra` after it)."""
    return [
        str(env_home / "bin" / "pytest"),
        *project.tests,
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        GUARD,
        *extra,
        "-q",
        *project.pytest_args,
    ]


def pytest(project: Project, env_home: Path, root: Path, label: str) -> dict[str, str]:
    xml = root.parent / f"{label}.xml"
    xml.unlink(missing_ok=True)
    env = suite_environment(project, env_home)
    cmd = suite_command(project, env_home, f"--junitxml={xml}", "-o", "junit_family=xunit1")
    log(f"{project.name}: pytest ({label})")
    proc = run(cmd, cwd=root, env=env, timeout=TEST_TIMEOUT)
    (root.parent / f"{label}.log").write_text(proc.stdout + proc.stderr)
    if not xml.exists():
        # pytest stopped before it ran anything: a conftest.py that fails to import (the moto 4 API
        # on moto 5) interrupts the session. No test passes.
        log(f"{project.name} {label}: no report (pytest exit {proc.returncode}), see {label}.log")
        return {"<session>": "error"}
    return outcomes(xml)


# -- the fix --------------------------------------------------------------------------------------
def scopecheck(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(
        [sys.executable, "-m", "scopecheck", "--no-cache", "--no-config", "--target-moto-version", "5", *args], cwd=root
    )


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha1(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*.py"))}


FIX_LINE = re.compile(r"^\s*(\d+) x (SCP\d{3})\b")  # ``--show-fixes``: "    3 x SCP401 (removed-moto-api): ..."


def migrate(project: Project, root: Path, pristine: Path) -> dict[str, object]:
    before = snapshot(root)
    flags = ["--fix", "--show-fixes", "--exit-zero", "-q"] + (["--unsafe-fixes"] if project.unsafe_fixes else [])
    first = scopecheck(root, *flags, project.lint)
    after = snapshot(root)
    fixes: dict[str, int] = {}
    for line in first.stderr.splitlines():
        match = FIX_LINE.match(line)
        if match:
            fixes[match.group(2)] = fixes.get(match.group(2), 0) + int(match.group(1))
    changed_lines = 0
    for rel in after:
        if before.get(rel) != after[rel]:
            old = (pristine / rel).read_text("utf-8", "replace").splitlines()
            new = (root / rel).read_text("utf-8", "replace").splitlines()
            changed_lines += sum(1 for d in difflib.ndiff(old, new) if d[:1] in "+-")
    broken = []
    for rel in after:
        try:
            ast.parse((root / rel).read_bytes())
        except SyntaxError as exc:
            broken.append(f"{rel}: {exc}")
    scopecheck(root, *flags, project.lint)
    idempotent = snapshot(root) == after
    left = scopecheck(root, "--select", "SCP401", "--format", "json", "--exit-zero", "-q", project.lint)
    remaining = json.loads(left.stdout or "[]")
    if isinstance(remaining, dict):
        remaining = remaining.get("findings", [])
    return {
        "fixes": fixes,
        "fix_output": first.stderr.strip().splitlines()[-40:],
        "lines_changed": changed_lines,  # lines removed + lines added
        "files_changed": sorted(k for k in before if before[k] != after.get(k)),
        "broken": broken,
        "idempotent": idempotent,
        "hand_edits": [f"{f.get('path')}:{f.get('line')}: {f.get('message')}" for f in remaining],
    }


def fresh_copy(src: Path, dest: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".roundtrip-source", "__pycache__"))
    return dest


def passed(result: dict[str, str]) -> set[str]:
    return {t for t, o in result.items() if o == "passed"}


def explain(project: Project, test: str) -> str | None:
    for pattern, reason in project.explained.items():
        if fnmatch.fnmatchcase(test, pattern):
            return reason
    return None


def roundtrip(project: Project, cache: Path) -> dict[str, object]:
    src = source(project, cache)
    env4 = environment(project, project.moto4, cache)
    env5 = environment(project, MOTO5, cache)
    work = cache / "work" / project.name
    on4 = pytest(project, env4, fresh_copy(src, work / "moto4"), "moto4")
    unfixed = pytest(project, env5, fresh_copy(src, work / "unfixed"), "moto5-unfixed")
    fixed_root = fresh_copy(src, work / "fixed")
    migration = migrate(project, fixed_root, src)
    on5 = pytest(project, env5, fixed_root, "moto5-fixed")
    lost = sorted(passed(on4) - passed(on5))
    gained = sorted(passed(on5) - passed(on4))
    unexplained = [t for t in lost if explain(project, t) is None]
    return {
        "project": project.source.partition(":")[2],
        "moto4": project.moto4,
        "moto5": MOTO5,
        "tests": len(on4),
        "passed_moto4": len(passed(on4)),
        "passed_moto5_unfixed": len(passed(unfixed)),
        "passed_moto5_fixed": len(passed(on5)),
        "outcomes_moto4": on4,
        "outcomes_moto5_fixed": on5,
        "lost": {t: explain(project, t) for t in lost},
        "gained": gained,
        "unexplained": unexplained,
        **migration,
    }


def markdown(results: list[dict]) -> str:
    rows = [
        "| project | moto 4 | tests | pass on moto 4 | pass on moto 5, unfixed | pass on moto 5 after `--fix` "
        "| fixes (lines changed) | hand edits | passed before, not after |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        fixes = ", ".join(f"{code} x{n}" for code, n in sorted(r["fixes"].items())) or "none"
        rows.append(
            f"| {r['project']} | {r['moto4']} | {r['tests']} | {r['passed_moto4']} | {r['passed_moto5_unfixed']} "
            f"| {r['passed_moto5_fixed']} | {fixes} ({r.get('lines_changed', '?')}) | {len(r['hand_edits'])} "
            f"| {len(r['lost'])} |"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--project", action="append", help="only this project (repeatable)")
    parser.add_argument("--markdown", action="store_true", help="print the figures as a markdown table")
    args = parser.parse_args()
    chosen = [p for p in PROJECTS if not args.project or p.name in args.project]
    if not chosen:
        parser.error(f"no such project; known: {', '.join(p.name for p in PROJECTS)}")
    cache = args.cache.resolve()
    results_path = cache / "results.json"
    stored = json.loads(results_path.read_text()) if results_path.exists() else {}
    failed = False
    for project in chosen:
        try:
            result = roundtrip(project, cache)
        except Skip as exc:
            log(str(exc))
            continue
        except (SystemExit, subprocess.TimeoutExpired) as exc:
            log(f"{project.name}: {exc}")
            failed = True
            continue
        # Re-read: another run (another --project) may have written since.
        stored = json.loads(results_path.read_text()) if results_path.exists() else {}
        stored[project.name] = result
        results_path.parent.mkdir(parents=True, exist_ok=True)
        results_path.write_text(json.dumps(stored, indent=1, sort_keys=True))
        ok = not result["unexplained"] and not result["broken"] and result["idempotent"]
        failed |= not ok
        print(
            f"{project.name}: {result['passed_moto4']}/{result['tests']} pass on moto {project.moto4}, "
            f"{result['passed_moto5_unfixed']} on moto {MOTO5} unfixed, {result['passed_moto5_fixed']} after --fix "
            f"({sum(result['fixes'].values())} fixes, {len(result['hand_edits'])} hand edits, "
            f"{len(result['lost'])} lost, {len(result['unexplained'])} unexplained)"
        )
        for test in result["unexplained"]:
            print(f"    unexplained: {test}: {result['outcomes_moto5_fixed'].get(test, 'missing')}")
    if args.markdown:
        print(markdown([stored[p.name] for p in PROJECTS if p.name in stored]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
