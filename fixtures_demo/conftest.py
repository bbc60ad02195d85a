"""Fixtures every lesson can use, and the switch that draws the scope timeline.

Fixtures defined here are visible to every test under fixtures_demo/. Lessons that teach
one scope define their own fixture in the lesson file (or the lesson package's conftest.py)
so that you can read it next to the tests that use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from fixtures_demo.support import fake_aws_environment

DEMO_DIR = Path(__file__).resolve().parent
# The pitfall proofs run their examples in child pytest processes; a chart there is noise.
PITFALLS_DIR = DEMO_DIR / "pitfalls"


def _inside_lessons(arg: str, invocation_dir: Path) -> bool:
    """True when a command-line path (maybe `file.py::test`) lies under fixtures_demo/
    but not under fixtures_demo/pitfalls/."""
    path = Path(arg.split("::", 1)[0])
    if not path.is_absolute():
        path = invocation_dir / path
    path = path.resolve()
    if path == PITFALLS_DIR or PITFALLS_DIR in path.parents:
        return False
    return path == DEMO_DIR or DEMO_DIR in path.parents


def _names_pitfalls(arg: str, invocation_dir: Path) -> bool:
    """True when a command-line path is pitfalls/ or lies inside it."""
    path = Path(arg.split("::", 1)[0])
    path = (path if path.is_absolute() else invocation_dir / path).resolve()
    return path == PITFALLS_DIR or PITFALLS_DIR in path.parents


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """`pytest fixtures_demo` runs the lessons only; the pitfall proofs (a minute of child pytest
    runs) run when named: `pytest fixtures_demo/pitfalls`, or the repository-wide `pytest`, whose
    testpaths name them."""
    if collection_path != PITFALLS_DIR:
        return None
    invocation_dir = Path(config.invocation_params.dir)
    return True if not any(_names_pitfalls(arg, invocation_dir) for arg in config.args) else None


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Show the scope timeline when only lessons run (`pytest fixtures_demo`).

    The repo-wide `pytest` also runs tests/, where a chart would only be noise, so the
    switch is on only when every path given lies in this folder (pitfalls/ excepted). An explicit
    `--scope-timeline[=FILE]` always wins, and without the plugin this does nothing.
    """
    current = getattr(config.option, "scope_timeline", "missing")
    if current == "missing" or current:
        return
    invocation_dir = Path(config.invocation_params.dir)
    if config.args and all(_inside_lessons(arg, invocation_dir) for arg in config.args):
        config.option.scope_timeline = "term"


def lesson_of(nodeid: str) -> str:
    """The lesson a test belongs to: its first path part under fixtures_demo/ (a lesson file or
    a lesson package), e.g. `test_4_package_scope` for `fixtures_demo/test_4_package_scope/...`."""
    parts = nodeid.split("::", 1)[0].split("/")
    if "fixtures_demo" in parts:
        rest = parts[parts.index("fixtures_demo") + 1 :]
        if rest:
            return rest[0]
    return parts[0]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under pytest-xdist (`pytest fixtures_demo -n 2`) keep each lesson in one worker.

    `-n 2` alone means `--dist load`: tests go to whichever worker is free, one by one, so two
    tests of lesson 3 that share a module-scoped mock may run in two processes, each with its
    own mock, and the second sees nothing the first made. Lessons 2, 3, 4 and 8 share state on
    purpose, so here `load` becomes xdist's `loadscope` with the lesson as the scope: a whole
    lesson goes to one worker (lesson 9 shows each `--dist` mode on its own). Any other
    `--dist` given on the command line is left alone.
    """
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    # Hand lessons out in run order, not biggest first: lesson 8 (moved last by its conftest)
    # must stay the last lesson its worker runs, since its session mock outlives its tests.
    config.option.loadscopereorder = False

    class LessonScheduling(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return lesson_of(nodeid)

    return LessonScheduling(config, log)


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fake credentials and region for one test, and no ~/.aws: lesson 0 shows why.

    It sets AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN to "testing",
    AWS_DEFAULT_REGION to us-east-1, points AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE
    at files that do not exist, and removes AWS_PROFILE and endpoint overrides. It uses
    `monkeypatch`, so all of it is undone after the test; writing os.environ directly
    would leak into every later test.
    """
    fake_aws_environment(monkeypatch, tmp_path)


@pytest.fixture
def aws_region() -> str:
    """The region the shared `s3` fixture uses. Lesson 7 overrides it."""
    return "us-east-1"


@pytest.fixture
def s3(aws_credentials: None, aws_region: str) -> Iterator[Any]:
    """A function-scoped S3 client on a fresh moto: the pattern to copy.

    The environment comes first (it is a parameter), then the mock, then the client,
    built inside the mock with an explicit region. `yield` keeps the mock on while the
    test runs; leaving the `with` block after the test wipes everything moto held.
    """
    with mock_aws():
        yield boto3.client("s3", region_name=aws_region)
