"""The differential check of :class:`Suite` against pytest: run a tree of files under pytest with
scopecheck's timeline recorder, and compare per test the fixture setup order and moto's state
with what the model predicts.

The oracle is the recorder (``-p scopecheck.timeline``): fixture lifetimes in the order pytest
started them, and moto's nesting depth over time. Fixtures of wider scope that an earlier test
already set up are cached by pytest; they are left out of both sides for that test.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from scopecheck.analysis import analyse_path
from scopecheck.facts.interpret import held_mock
from scopecheck.model.suite import Suite, TestRun

REPO = Path(__file__).resolve().parent.parent
SETUP, CALL = 0, 1
_XUNIT = re.compile(r"^_(?:xunit_setup_(\w+?)_fixture|unittest_(setUpClass|setup_method)_fixture)_")


@dataclass(frozen=True)
class Step:
    name: str  # fixture name; "xunit:setup_method" and the like for xunit hooks
    phase: int  # SETUP or CALL (request.getfixturevalue in the test body)
    mocked: bool  # moto was active when its setup started


@dataclass
class Seen:
    steps: list[Step]
    mocked_at_call: bool
    cached: set[str]  # wider-scope fixtures still alive from an earlier test
    outcome: str = "passed"
    depths: list[int] = field(default_factory=list)  # moto's depth when each step started
    call_depth: int = 0  # the highest depth during the call

    def discounting(self, leftover: int) -> Seen:
        """What this test saw with *leftover* mocks of earlier tests' fixtures taken away."""
        steps = [Step(s.name, s.phase, d - leftover > 0) for s, d in zip(self.steps, self.depths)]
        return Seen(steps, self.call_depth - leftover > 0, self.cached, self.outcome, self.depths, self.call_depth)


def normal_name(name: str) -> str:
    match = _XUNIT.match(name)
    if match:
        return "xunit:" + (match.group(1) or match.group(2))
    return name


def observe(root: Path, *args: str, timeout: float = 120) -> dict[str, Seen]:
    """Run pytest on *root* with the recorder; what it saw, per test node id."""
    out = root / ".oracle.json"
    env = dict(os.environ)
    env.update(
        SCOPECHECK_ORACLE_OUT=str(out),
        PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]),
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("PYTEST_ADDOPTS", None)
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
        "-p",
        "scopecheck.timeline",
        f"--scope-timeline={root / '.oracle.svg'}",
        "--scope-timeline-all",
        "-p",
        "tests.timeline_oracle",
        "--rootdir",
        str(root),
        *args,
        str(root),
    ]
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=timeout)
    if not out.exists():
        raise AssertionError(f"pytest wrote no timeline (rc {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    data = json.loads(out.read_text(encoding="utf-8"))
    names = {p.name for p in root.rglob("*.py")}
    return _read(data, names)


def _read(data: dict, basenames: set[str]) -> dict[str, Seen]:
    moto = data["moto"] or {"initial": 0, "changes": []}
    changes = [(tuple(m), d) for m, d in moto["changes"]]

    def depth_at(moment: tuple[int, int, int]) -> int:
        depth = moto["initial"]
        for when, value in changes:
            if when >= moment:
                break
            depth = value
        return depth

    rows = [r for r in data["fixtures"] if r["where"].split(":")[0] in basenames or _XUNIT.match(r["argname"])]
    seen: dict[str, Seen] = {}
    for index, test in enumerate(data["tests"]):
        begin = (index, SETUP, -1)
        started: list[tuple[tuple[int, int, int], str]] = []
        cached: set[str] = set()
        for row in rows:
            for start, end in row["lifetimes"]:
                start = tuple(start)
                if start[0] == index and start[1] in (SETUP, CALL):
                    started.append((start, row["argname"]))
                elif start < begin and (end is None or tuple(end) > begin):
                    cached.add(normal_name(row["argname"]))
        started.sort()
        depths = [depth_at(when) for when, _ in started]
        steps = [Step(normal_name(name), when[1], d > 0) for (when, name), d in zip(started, depths)]
        call_begin, call_end = (index, CALL, -1), (index, CALL + 1, -1)
        call_depth = max([depth_at(call_begin)] + [d for m, d in changes if call_begin <= m < call_end])
        seen[test["nodeid"]] = Seen(steps, call_depth > 0, cached, test["outcome"], depths, call_depth)
    return seen


def build_suite(root: Path, exclude: tuple[Path, ...] = ()) -> Suite:
    paths = [p for p in sorted(root.rglob("*.py")) if not any(p.is_relative_to(e) for e in exclude)]
    facts = {str(p): analyse_path(str(p)).facts for p in paths}
    return Suite(facts, root=str(root))


def nodeid(run: TestRun, root: Path) -> str:
    rel = Path(run.file.path).relative_to(root).as_posix()
    owner = run.cls.name if run.cls is not None else None  # an inherited test runs as its subclass's
    parts = [rel, *(owner.split(".") if owner else []), run.fn.name]
    return "::".join(parts)


def predicted(run: TestRun) -> tuple[list[Step], bool]:
    steps = [Step(normal_name(f.name), SETUP, bool(run.active_at_setup.get(id(f)))) for f in run.setup_order]
    steps += [Step(normal_name(f.name), CALL, bool(run.active_at_setup.get(id(f)))) for f in run.call_order]
    return steps, run.runs_under_mock


def differences(root: Path, seen: dict[str, Seen], suite: Suite | None = None) -> list[str]:
    """Every test where the model and pytest disagree, one line each; [] when they agree."""
    suite = suite or build_suite(root)
    runs = {nodeid(run, root): run for run in suite.tests()}
    holders = {f.name for run in suite.tests() for f in run.setup_order + run.call_order if held_mock(f.fn)}
    problems: list[str] = []
    for node, got in seen.items():
        base = node.split("[", 1)[0]
        run = runs.get(base)
        if run is None:
            problems.append(f"{node}: pytest ran it, the model has no such test")
            continue
        if run.unknown:
            continue  # the model says it cannot tell: nothing to compare
        steps, mocked = predicted(run)
        # The model runs each test as if alone: a mock that a wider-scope fixture of an earlier
        # test still holds, and that this test does not request, is not its own.
        names = {s.name for s in steps}
        got = got.discounting(sum(1 for n in got.cached if n not in names and n in holders))
        if any(n in names and n in holders for n in got.cached):
            # ... and one it requests that is already alive holds its mock from the start.
            steps, mocked = [Step(s.name, s.phase, True) for s in steps], True
        steps = [s for s in steps if s.name not in got.cached]
        observed = [s for s in got.steps if not (s.name == "xunit:setUpClass" and s not in steps)]
        if steps != observed:
            problems.append(f"{node}: model {_show(steps)} != pytest {_show(observed)}")
        if mocked != got.mocked_at_call:
            problems.append(f"{node}: model says mocked at call={mocked}, pytest {got.mocked_at_call}")
    collected = {n.split("[", 1)[0] for n in seen}
    problems += [f"{n}: the model has this test, pytest did not run it" for n in sorted(set(runs) - collected)]
    return problems


def _show(steps: list[Step]) -> str:
    marks = {SETUP: "", CALL: "@call"}
    return "[" + ", ".join(f"{s.name}{marks[s.phase]}{'*' if s.mocked else ''}" for s in steps) + "]"
