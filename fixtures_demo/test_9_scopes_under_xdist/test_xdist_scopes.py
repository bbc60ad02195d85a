"""Lesson 9: scopes under pytest-xdist (`pytest -n 2`), where every worker is its own process.

What to watch:
* A session-scoped mock fixture is set up once *per worker*, not once per run: each worker
  process has its own pytest session, its own moto and its own buckets.
* `--dist load` (what `-n 2` means alone) hands tests out one by one, so a module whose tests
  share a module-scoped mock can be split: the tests that land on the other worker get a
  fresh mock and do not see what the first test made.
* `--dist loadscope` keeps each module (and class) on one worker; `@pytest.mark.xdist_group`
  with `--dist loadgroup` keeps any set of tests you name together, across modules too, but NOT
  on pytest 9.2 with pytest-xdist 3.8.0: pytest 9.2's node ids ignore xdist's way of appending
  the group (pytest-xdist#1386, open), so the mark is dropped without a word and the tests are
  handed out one by one. Measured here; there, put such tests in one module (or class) and use
  `--dist loadscope`.

The tests run a small suite with `-n 2` in a child pytest (once per `--dist` mode) and reads which worker ran which
test (`-v` prints `[gw0] PASSED ...`). fixtures_demo itself runs under `-n 2` because its
conftest.py hands each lesson whole to one worker (a loadscope whose scope is the lesson).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Callable

import pytest

pytest.importorskip("xdist", reason="lesson 9 needs pytest-xdist (the dev extra has it)")

CONFTEST = """
import os
from pathlib import Path

import boto3
import pytest
from moto import mock_aws


@pytest.fixture(scope="session")
def s3_session(tmp_path_factory):
    # One line per set-up, named after the worker process that ran it.
    log = Path(os.environ["LESSON9_LOG"])
    with log.open("a") as out:
        out.write(os.environ.get("PYTEST_XDIST_WORKER", "main") + "\\n")
    with mock_aws():
        yield boto3.client("s3", region_name="us-east-1")


@pytest.fixture(scope="module")
def s3_module():
    with mock_aws():
        yield boto3.client("s3", region_name="us-east-1")


def names(s3):
    return [b["Name"] for b in s3.list_buckets()["Buckets"]]
"""

SPREAD = """
import pytest

@pytest.mark.parametrize("n", range(6))
def test_uses_the_session_mock(s3_session, n):
    assert s3_session.list_buckets()["ResponseMetadata"]["HTTPStatusCode"] == 200
"""

SHARED_MODULE = """
from conftest import names

def test_1_creates_the_bucket(s3_module):
    s3_module.create_bucket(Bucket="lesson9-shared")

def test_2_sees_it(s3_module):
    assert "lesson9-shared" in names(s3_module)

def test_3_sees_it(s3_module):
    assert "lesson9-shared" in names(s3_module)

def test_4_sees_it(s3_module):
    assert "lesson9-shared" in names(s3_module)
"""

GROUP_WRITER = """
import pytest

pytestmark = pytest.mark.xdist_group("session-pair")

def test_writes(s3_session):
    s3_session.create_bucket(Bucket="lesson9-from-the-writer")
"""

GROUP_READER = """
import pytest
from conftest import names

pytestmark = pytest.mark.xdist_group("session-pair")

def test_reads(s3_session):
    assert "lesson9-from-the-writer" in names(s3_session)
"""

# pytest 9.2 keeps node ids in `_id`; pytest-xdist 3.8.0 still appends the group to `_nodeid`,
# which nothing reads any more (pytest-xdist#1386). When either side changes, the test says so.
GROUPS_IGNORED = pytest.version_tuple[:2] >= (9, 2) and version("pytest-xdist") == "3.8.0"

RESULT = re.compile(r"\[(gw\d+)\] (?:\[\s*\d+%\] )?(PASSED|FAILED|ERROR) (\S+)")


Ran = dict[str, tuple[str, str]]  # test id (without a group suffix) -> (worker, outcome)
Runs = Callable[[str], tuple[Ran, list[str]]]


def run_suite(folder: Path, dist: str) -> tuple[Ran, list[str]]:
    """Run the suite with `-n 2 --dist DIST` in a child pytest: {test id: (worker, outcome)},
    and the workers that set the session mock up, one entry per set-up. A grouped test's id is
    kept with its `@group` suffix when xdist shows one (that is how a group reaches the
    scheduler)."""
    folder.mkdir()
    for name, source in (
        ("conftest.py", CONFTEST),
        # First, so that xdist's first hand-out (two tests per worker) splits it for sure.
        ("test_a_shared_module.py", SHARED_MODULE),
        ("test_b_spread.py", SPREAD),
        ("test_c_group_writer.py", GROUP_WRITER),
        ("test_d_group_reader.py", GROUP_READER),
    ):
        (folder / name).write_text(source, encoding="utf-8")
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # not the repository's settings
    log = folder / "setups.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(LESSON9_LOG=str(log), AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    command = [
        sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly",
        "-n", "2", "--dist", dist, "-v", "--allow-hosts=127.0.0.1,::1",
    ]  # fmt: skip
    proc = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False)
    found = [m for m in map(RESULT.search, proc.stdout.splitlines()) if m]
    ran = {m.group(3): (m.group(1), m.group(2)) for m in found}
    assert len(ran) == 12, proc.stdout + proc.stderr
    return ran, log.read_text(encoding="utf-8").split()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """One child run per --dist mode, shared by the tests that read it (each costs seconds)."""
    done: dict[str, tuple[Ran, list[str]]] = {}

    def get(dist: str) -> tuple[Ran, list[str]]:
        if dist not in done:
            done[dist] = run_suite(tmp_path_factory.mktemp(f"lesson9-{dist}") / "suite", dist)
        return done[dist]

    return get


def test_a_session_mock_is_set_up_once_per_worker(runs: Runs) -> None:
    ran, setups = runs("load")
    users = {worker for test, (worker, _) in ran.items() if "spread" in test or "group" in test}
    assert sorted(setups) == sorted(users)  # one set-up in each worker that used it, no more
    assert len(setups) == 2


def test_dist_load_can_split_a_module_that_shares_a_mock(runs: Runs) -> None:
    ran, _ = runs("load")
    module = {test: run for test, run in ran.items() if "shared_module" in test}
    creator, _ = module["test_a_shared_module.py::test_1_creates_the_bucket"]
    for test, (worker, outcome) in module.items():
        # Same worker: same module mock, the bucket is there. Other worker: a mock of its own.
        assert outcome == ("PASSED" if worker == creator else "FAILED"), (test, worker, creator)
    assert {worker for worker, _ in module.values()} == {"gw0", "gw1"}, ran.items()


def test_dist_loadscope_keeps_the_module_on_one_worker(runs: Runs) -> None:
    ran, _ = runs("loadscope")
    module = [run for test, run in ran.items() if "shared_module" in test]
    assert len({worker for worker, _ in module}) == 1
    assert {outcome for _, outcome in module} == {"PASSED"}


def test_xdist_group_with_dist_loadgroup_keeps_two_modules_together(runs: Runs) -> None:
    ran, _ = runs("loadgroup")
    pair = {test: run for test, run in ran.items() if "group" in test}
    if GROUPS_IGNORED:
        # The mark never reached the scheduler: no group suffix, so the two tests are handed out
        # like any others (they share a worker only by luck, about 9 runs in 10 here).
        assert sorted(pair) == ["test_c_group_writer.py::test_writes", "test_d_group_reader.py::test_reads"]
        return
    assert sorted(pair) == [
        "test_c_group_writer.py::test_writes@session-pair",
        "test_d_group_reader.py::test_reads@session-pair",
    ]
    assert len({worker for worker, _ in pair.values()}) == 1
    assert {outcome for _, outcome in pair.values()} == {"PASSED"}
