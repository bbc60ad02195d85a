"""Prove every scopecheck rule's hazard against the real moto and boto3.

Each rule has a folder ``SCPnnn_<name>/`` with a ``bad/`` and a ``good/`` pytest project, and an
``outcome.py`` that states what they really do (``outcomes.py``); the folders are discovered. Every
example runs in its own pytest process (moto's counters, botocore's handler list and the
environment are process-wide), from a copy in a temporary directory, in the two CI environments
of ``moto-ground-truth.md``:

* ``noenv``: no AWS_* variable, an empty HOME, AWS config/credentials files that do not exist;
* ``fakeenv``: the same plus ``testing`` credentials and ``AWS_DEFAULT_REGION=us-east-1``.

The network is loopback-only for the whole inner session (``pitfall_netguard``, which models an
offline CI machine, plus pytest-socket). Each proof asserts what really happens, down to the
exception text, and which AWS host a request tried to reach. When a moto or botocore release
changes a behaviour, the matching proof fails. The same module checks that scopecheck reports
exactly the ``# expect: SCPnnn`` markers of each bad example and nothing on the good one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import venv
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from scopecheck.rules import ALL_RULES

if __package__ in (None, ""):  # run by hand as a script: make the fixtures_demo package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from fixtures_demo.pitfalls.ci_env import ci_environment, scrubbed  # noqa: E402
from fixtures_demo.pitfalls.outcomes import ENVS, FAKEENV, NOENV, Pitfall, load_pitfalls  # noqa: E402

HERE = Path(__file__).resolve().parent
INNER_TIMEOUT = 180  # seconds; a hanging example must not hang the outer run
EXPECT_MARKER = re.compile(r"#\s*expect:\s*(SCP\d{3}(?:\s*,\s*SCP\d{3})*)")


# --------------------------------------------------------------------------- expectations

# Each proof folder SCPnnn_<name>/ describes what its examples really do in its outcome.py (see
# outcomes.py); the folders are discovered, in code order. PROBLEMS: code -> why a folder's
# outcome.py does not load (missing, broken, incomplete); that rule's tests fail with the reason.
PITFALLS, PROBLEMS = load_pitfalls(HERE)
BY_CODE = {pitfall.code: pitfall for pitfall in PITFALLS}
# Every rule must be proven here: the codes come from scopecheck's rules, not from the folders, so
# a rule without its folder (or with one that does not load) fails. SCP000 (unreadable file) has no hazard.
UNPROVEN = frozenset({"SCP000"})
CODES = tuple(rule.code for rule in ALL_RULES if rule.code not in UNPROVEN)
FOLDERS = {rule.code: f"{rule.code}_{rule.name.replace('-', '_')}" for rule in ALL_RULES}


def proof(code: str) -> Pitfall:
    """The rule's proof; a test of a rule without one fails with the reason."""
    assert code not in PROBLEMS, PROBLEMS.get(code)
    assert code in BY_CODE, f"{code}: no proof folder fixtures_demo/pitfalls/{FOLDERS[code]}/, no real-moto proof"
    return BY_CODE[code]


# --------------------------------------------------------------------------- running examples


@dataclass
class InnerRun:
    """The measured result of one inner pytest session."""

    label: str
    exit_code: int
    output: str
    tests: dict[str, str] = field(default_factory=dict)
    reports: str = ""  # every failure/error text of the junit report
    net_attempts: list[str] = field(default_factory=list)

    @property
    def aws_hosts(self) -> set[str]:
        return {host for host in self.net_attempts if host.endswith(".amazonaws.com")}

    def describe(self) -> str:
        tail = "\n".join(self.output.splitlines()[-25:])
        return (
            f"[{self.label}] exit={self.exit_code} tests={self.tests} "
            f"network attempts={self.net_attempts}\n--- output tail ---\n{tail}"
        )


def parse_junit(path: Path) -> tuple[dict[str, str], str]:
    tests: dict[str, str] = {}
    reports: list[str] = []
    if not path.exists():
        return tests, ""
    for case in ET.parse(path).getroot().iter("testcase"):
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                message = child.get("message", "")
                if child.tag == "failure":
                    outcome = "failed"
                elif child.tag == "skipped":
                    outcome = "skipped"
                elif message == "collection failure":
                    outcome = "collection error"
                else:
                    outcome = "error"
                reports.append(f"{message}\n{child.text or ''}")
        tests[case.get("name", "")] = outcome
    return tests, "\n".join(reports)


def run_example(example: Path, kind: str, scratch: Path, python: str = sys.executable, label: str = "") -> InnerRun:
    """Run one example project as a fresh pytest session in a simulated CI machine."""
    project = scratch / "project"
    shutil.copytree(example, project, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    guard_dir = scratch / "guard"
    guard_dir.mkdir()
    shutil.copy2(HERE / "pitfall_netguard.py", guard_dir)
    ini = scratch / "inner.ini"  # empty: the repo's pyproject addopts must not apply
    ini.write_text("[pytest]\n", encoding="utf-8")
    junit = scratch / "report.xml"
    net_log = scratch / "net.log"
    command = [
        python,
        "-m",
        "pytest",
        "-c",
        str(ini),
        "--rootdir",
        str(project),
        "-p",
        "no:cacheprovider",
        "-p",
        "pitfall_netguard",
        "-p",
        "pytest_socket",
        "--allow-hosts=127.0.0.1,::1",
        "-rA",
        f"--junit-xml={junit}",
        str(project),
    ]
    proc = subprocess.run(
        command,
        cwd=project,
        env=ci_environment(kind, scratch, guard_dir, net_log),
        capture_output=True,
        text=True,
        timeout=INNER_TIMEOUT,
        check=False,
    )
    tests, reports = parse_junit(junit)
    attempts = net_log.read_text(encoding="utf-8").split() if net_log.exists() else []
    return InnerRun(
        label or f"{example.relative_to(HERE)} {kind}",
        proc.returncode,
        proc.stdout + proc.stderr,
        tests,
        reports,
        attempts,
    )


@dataclass
class ScopecheckRun:
    exit_code: int
    stdout: str
    stderr: str
    findings: list[dict[str, object]] | None  # None when stdout is not a JSON array

    def located(self, root: Path) -> set[tuple[str, int, str]]:
        return {_locate(item, root) for item in self.findings or []}

    def describe(self) -> str:
        return f"exit={self.exit_code}\nstdout={self.stdout[:3000]}\nstderr={self.stderr[-2000:]}"


def _locate(finding: dict[str, object], root: Path) -> tuple[str, int, str]:
    """(path relative to root, line, code) of one JSON finding."""
    path = Path(os.path.relpath(Path(str(finding["path"])).resolve(), root.resolve()))
    return (path.as_posix(), int(str(finding["line"])), str(finding["code"]))


def run_scopecheck(example: Path, scratch: Path, target_moto: int = 5) -> ScopecheckRun:
    command = [
        sys.executable,
        "-m",
        "scopecheck",
        "--no-config",
        "--no-cache",
        # Every rule, the opt-in ones too (SCP301 is off by default on moto 5): a bad example must
        # show exactly its markers, and a good example must be clean for every rule.
        "--select",
        "ALL",
        "--format",
        "json",
        "--target-moto-version",
        str(target_moto),
        str(example),
    ]
    env = {name: value for name, value in os.environ.items() if not scrubbed(name)}
    proc = subprocess.run(
        command,
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
        timeout=INNER_TIMEOUT,
        check=False,
    )
    try:
        findings = json.loads(proc.stdout)
    except ValueError:
        findings = None
    if not isinstance(findings, list):
        findings = None
    return ScopecheckRun(proc.returncode, proc.stdout, proc.stderr, findings)


def expect_markers(root: Path) -> set[tuple[str, int, str]]:
    """Every ``# expect: SCPnnn`` marker under root, as (relative posix path, line, code)."""
    markers: set[tuple[str, int, str]] = set()
    for source in sorted(root.rglob("*.py")):
        lines = source.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            match = EXPECT_MARKER.search(line)
            if match:
                relative = source.relative_to(root).as_posix()
                for code in re.split(r"\s*,\s*", match.group(1)):
                    markers.add((relative, number, code))
    return markers


class Lab:
    """Runs the subprocesses on a small thread pool; tests wait only for their own results."""

    def __init__(self, scratch_root: Path, workers: int) -> None:
        self._scratch_root = scratch_root
        self._pool = ThreadPoolExecutor(max_workers=workers)
        self._futures: dict[tuple[str, ...], Future[object]] = {}
        self._lock = threading.Lock()

    def _scratch(self) -> Path:
        return Path(tempfile.mkdtemp(dir=self._scratch_root))

    def _submit(self, key: tuple[str, ...]) -> Future[object]:
        with self._lock:
            if key not in self._futures:
                tool, code, variant, *env = key
                example = proof(code).path / variant
                if tool == "pytest":
                    job = (run_example, example, env[0], self._scratch())
                else:
                    job = (run_scopecheck, example, self._scratch())
                self._futures[key] = self._pool.submit(*job)
            return self._futures[key]

    def prefetch(self, key: tuple[str, ...]) -> None:
        self._submit(key)

    def example(self, code: str, variant: str, env: str) -> InnerRun:
        result = self._submit(("pytest", code, variant, env)).result()
        assert isinstance(result, InnerRun)
        return result

    def scopecheck(self, code: str, variant: str) -> ScopecheckRun:
        result = self._submit(("scopecheck", code, variant)).result()
        assert isinstance(result, ScopecheckRun)
        return result

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


# Which subprocess each parametrized test needs, so the lab can start them all up front.
_JOBS = {
    "test_bad_example_shows_its_hazard_in_ci": lambda p: ("pytest", p["code"], "bad", p["env"]),
    "test_good_example_passes_in_ci": lambda p: ("pytest", p["code"], "good", p["env"]),
    "test_scopecheck_reports_exactly_the_expect_markers_of_the_bad_example": lambda p: (
        "scopecheck",
        p["code"],
        "bad",
    ),
    "test_scopecheck_is_silent_on_the_good_example": lambda p: ("scopecheck", p["code"], "good"),
}


@pytest.fixture(scope="module")
def lab(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    workers = max(2, min(4, os.cpu_count() or 2))
    runner = Lab(tmp_path_factory.mktemp("pitfall-runs"), workers)
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        job = _JOBS.get(getattr(item, "originalname", ""))
        if callspec is not None and job is not None and item.module is request.module:
            if callspec.params["code"] in BY_CODE:  # an unproven rule fails in its own tests
                runner.prefetch(job(callspec.params))
    yield runner
    runner.close()


# --------------------------------------------------------------------------- the proofs


def test_the_proofs_are_exactly_the_rules() -> None:
    found = sorted([*BY_CODE, *PROBLEMS])
    assert found == sorted(CODES), "every rule (and only a rule) has a proof folder SCPnnn_<name>/"
    assert PROBLEMS == {}, "every proof folder describes itself in its outcome.py"
    assert [pitfall.code for pitfall in PITFALLS] == list(CODES), "one proof folder per rule, in code order"


def test_the_pitfall_table_has_one_row_per_rule_in_code_order() -> None:
    from scopecheck.docs_build import region

    table = region((HERE / "README.md").read_text(encoding="utf-8"), "pitfalls").splitlines()[2:]
    rows = [tuple(cell.strip() for cell in row.strip("|").split("|")[:2]) for row in table]
    names = {rule.code: rule.name for rule in ALL_RULES}
    assert rows == [(f"{code} {names[code]}", f"`{FOLDERS[code]}`") for code in CODES]


@pytest.mark.parametrize("code", CODES)
def test_every_rule_has_a_bad_and_a_good_example_marked_for_that_rule(code: str) -> None:
    pitfall = proof(code)
    assert pitfall.folder == FOLDERS[code], f"{code}: the folder is named after the rule"
    assert pitfall.path.is_dir(), f"{code}: no folder {pitfall.folder}"
    for variant in ("bad", "good"):
        assert list((pitfall.path / variant).glob("test_*.py")), f"{code}: no {variant} example"
    codes = {marker_code for _, _, marker_code in expect_markers(pitfall.path / "bad")}
    assert codes == {code}, f"{code}: the bad example must hold exactly its own hazard: {codes}"
    assert expect_markers(pitfall.path / "good") == set(), f"{code}: markers in the good example"


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("code", CODES)
def test_bad_example_shows_its_hazard_in_ci(lab: Lab, code: str, env: str) -> None:
    pitfall = proof(code)
    want = pitfall.bad[env]
    run = lab.example(code, "bad", env)
    other = FAKEENV if env == NOENV else NOENV
    dependence = (
        f"environment-dependent: in {other} it {pitfall.bad[other].summary}"
        if pitfall.environment_dependent
        else "same in both CI environments"
    )
    story = f"{code} bad in {env}: expected {want.summary} ({dependence})"
    assert run.tests == want.tests, f"{story}\n{run.describe()}"
    assert run.exit_code == want.exit_code, f"{story}\n{run.describe()}"
    for evidence in want.evidence:
        assert re.search(evidence, run.reports), f"{story}: no /{evidence}/\n{run.describe()}"
    expected_hosts = {want.escapes_to} if want.escapes_to else set()
    assert run.aws_hosts == expected_hosts, (
        f"{story}: requests toward AWS {sorted(run.aws_hosts)}, expected {sorted(expected_hosts)}\n{run.describe()}"
    )


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("code", CODES)
def test_good_example_passes_in_ci(lab: Lab, code: str, env: str) -> None:
    pitfall = proof(code)
    run = lab.example(code, "good", env)
    story = f"{code} good in {env}: the corrected example must pass"
    assert run.tests == dict.fromkeys(pitfall.good_tests, "passed"), f"{story}\n{run.describe()}"
    assert run.exit_code == 0, f"{story}\n{run.describe()}"
    # Not even botocore's instance-metadata credential probe: every client is built inside moto.
    assert run.net_attempts == [], f"{story}: it tried the network\n{run.describe()}"


@pytest.mark.parametrize("code", CODES)
def test_scopecheck_reports_exactly_the_expect_markers_of_the_bad_example(lab: Lab, code: str) -> None:
    root = proof(code).path / "bad"
    run = lab.scopecheck(code, "bad")
    assert run.findings is not None, f"{code}: scopecheck printed no JSON array\n{run.describe()}"
    assert run.located(root) == expect_markers(root), f"{code}: findings\n{run.describe()}"


@pytest.mark.parametrize("code", CODES)
def test_scopecheck_is_silent_on_the_good_example(lab: Lab, code: str) -> None:
    proof(code)
    run = lab.scopecheck(code, "good")
    assert run.findings == [], f"{code}: findings on the good example\n{run.describe()}"
    assert run.exit_code == 0, f"{code}: scopecheck exit status\n{run.describe()}"


# --------------------------------------------------------------------------- moto 4 side run


@pytest.mark.parametrize(
    ("target_moto", "example", "severity"),
    [(5, "bad", "info"), (4, "moto4", "error")],
    ids=["moto5-info", "moto4-error"],
)
def test_scopecheck_grades_the_nested_mock_by_target_moto_version(
    target_moto: int, example: str, severity: str, tmp_path: Path
) -> None:
    root = HERE / "SCP301_nested_mock" / example
    run = run_scopecheck(root, tmp_path, target_moto)
    assert run.findings is not None, run.describe()
    graded = {
        (location, str(item["severity"]))
        for item, location in ((item, _locate(item, root)) for item in run.findings)
        if item["code"] == "SCP301"
    }
    assert graded == {(marker, severity) for marker in expect_markers(root)}, run.describe()


MOTO4 = "4.2.14"


@pytest.fixture(scope="module")
def moto4_python(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A throwaway virtualenv with moto 4 (pip reaches the package registry only).

    Opt-in, because it installs packages: ``pytest fixtures_demo/pitfalls -m slow``.
    """
    if "slow" not in (request.config.option.markexpr or ""):
        pytest.skip("installs moto 4 into a virtualenv; opt in with -m slow")
    home = tmp_path_factory.mktemp("moto4-venv")
    venv.EnvBuilder(with_pip=True).create(home)
    python = str(home / ("Scripts" if os.name == "nt" else "bin") / "python")
    pip = subprocess.run(
        [python, "-m", "pip", "install", "-q", f"moto=={MOTO4}", "pytest", "pytest-socket"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if pip.returncode != 0:
        pytest.skip(f"cannot install moto=={MOTO4}: {pip.stderr[-500:]}")
    return python


@pytest.mark.slow
@pytest.mark.parametrize("env", ENVS)
def test_moto4_nested_mock_wipes_the_fixture_state(moto4_python: str, env: str, tmp_path: Path) -> None:
    run = run_example(HERE / "SCP301_nested_mock" / "moto4", env, tmp_path, moto4_python, f"moto{MOTO4} {env}")
    story = f"SCP301 on moto {MOTO4} in {env}: the inner @mock_s3 must wipe the fixture's bucket"
    assert run.tests == {"test_fixture_bucket_survives_the_inner_mock": "failed"}, f"{story}\n{run.describe()}"
    assert "assert [] == ['fixture-bucket']" in run.reports, f"{story}\n{run.describe()}"
    assert run.aws_hosts == set(), f"{story}\n{run.describe()}"


@pytest.mark.parametrize("env", ENVS)
def test_a_stop_on_a_fresh_instance_balances_the_counter_but_leaves_the_fake_key(env: str, tmp_path: Path) -> None:
    """SCP203 is silent on this shape: the class-wide counter makes it balanced (moto 5)."""
    root = HERE / "SCP203_unbalanced_mock_start" / "fresh_instances"
    run = run_example(root, env, tmp_path)
    assert run.tests == {
        "test_first_bucket_is_the_only_one": "passed",
        "test_second_bucket_is_the_only_one": "passed",
    }, run.describe()
    assert run.net_attempts == [], run.describe()
    scan = run_scopecheck(root, tmp_path)
    assert scan.findings is not None and not [f for f in scan.findings if f["code"] == "SCP203"], scan.describe()


@pytest.mark.slow
@pytest.mark.parametrize("env", ENVS)
def test_moto4_fresh_instances_balance_the_counter(moto4_python: str, env: str, tmp_path: Path) -> None:
    root = HERE / "SCP203_unbalanced_mock_start" / "fresh_instances"
    run = run_example(root, env, tmp_path, moto4_python, f"moto{MOTO4} {env}")
    assert run.tests == {
        "test_first_bucket_is_the_only_one": "passed",
        "test_second_bucket_is_the_only_one": "passed",
    }, run.describe()


@pytest.mark.slow
@pytest.mark.parametrize("env", ENVS)
def test_moto4_decorated_setup_loses_its_bucket(moto4_python: str, env: str, tmp_path: Path) -> None:
    run = run_example(HERE / "SCP205_mock_decorated_setup" / "moto4", env, tmp_path, moto4_python, f"moto{MOTO4} {env}")
    story = f"SCP205 on moto {MOTO4} in {env}: setUp's mock ends before the test"
    assert run.tests == {
        "test_decorated_test_sees_the_setup_bucket": "failed",
        "test_plain_test_sees_the_setup_bucket": "failed",
    }, f"{story}\n{run.describe()}"
    assert "Lists differ: [] != ['setup-bucket']" in run.reports, f"{story}\n{run.describe()}"
    assert run.aws_hosts == {"s3.amazonaws.com"}, f"{story}\n{run.describe()}"


def main(argv: list[str]) -> int:
    """Run one example by hand: ``python test_pitfall_proofs.py SCP102 bad noenv``."""
    if len(argv) != 3 or argv[0] not in BY_CODE or argv[1] not in ("bad", "good"):
        print(f"usage: {Path(__file__).name} CODE bad|good noenv|fakeenv", file=sys.stderr)
        return 2
    code, variant, env = argv
    if env not in ENVS:
        print(f"environment must be one of {ENVS}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        run = run_example(BY_CODE[code].path / variant, env, Path(scratch))
    print(run.output)
    print(f"tests: {run.tests}\nnetwork attempts (all blocked): {run.net_attempts}")
    return run.exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
