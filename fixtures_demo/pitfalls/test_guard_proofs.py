"""The guard sees every pitfall's hazard where it happens, and nothing on the good examples.

Each bad/good example of the pitfall folders runs once more, in its own pytest process and in both
CI environments (as test_pitfall_proofs.py runs them: loopback-only network, no AWS variables or
fake ones), with `-p scopecheck.guard --scopecheck-guard=warn` (warn: outcomes unchanged). The
guard's JSON report must hold exactly the expected (kind, code) events: the rule's runtime twin
in the environment where the hazard occurs, none in the other one, none for the good example.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from fixtures_demo.pitfalls.ci_env import ci_environment
from fixtures_demo.pitfalls.outcomes import FAKEENV, NOENV

HERE = Path(__file__).resolve().parent
TIMEOUT = 180

Events = frozenset[tuple[str, str]]


def ev(*pairs: str) -> Events:
    return frozenset(tuple(p.split(":")) for p in pairs)  # type: ignore[misc]


# folder -> environment -> the (kind, code) events of the bad example. Good examples: none.
EXPECTED: dict[str, dict[str, Events]] = {
    # Built before moto's import: its credential probe is not the guard's business yet, the
    # signing failure under the mock is.
    "SCP101_client_at_import": {
        NOENV: ev("signing-failure:SCP101"),
        FAKEENV: ev("request-escaped:SCP101"),
    },
    "SCP102_client_before_mock": {NOENV: ev("metadata-probe:SCP102"), FAKEENV: ev()},
    "SCP103_unmocked_client_fixture": {NOENV: ev("metadata-probe:SCP103"), FAKEENV: ev()},
    "SCP104_client_via_import": {
        NOENV: ev("signing-failure:SCP104"),
        FAKEENV: ev("request-escaped:SCP104"),
    },
    "SCP105_async_client_in_mock": {
        NOENV: ev("async-client-in-mock:SCP105"),
        FAKEENV: ev("async-client-in-mock:SCP105"),
    },
    "SCP201_mock_ends_before_use": {NOENV: ev("request-escaped:SCP201"), FAKEENV: ev("request-escaped:SCP201")},
    # moto's wrapper returned the fixture's generator: the body never ran, no client was built.
    "SCP202_mock_decorated_fixture": {
        NOENV: ev("mock-ended-before-body:SCP202"),
        FAKEENV: ev("mock-ended-before-body:SCP202"),
    },
    "SCP203_unbalanced_mock_start": {NOENV: ev("mock-leak:SCP203"), FAKEENV: ev("mock-leak:SCP203")},
    "SCP204_unmocked_class_hook": {
        NOENV: ev("metadata-probe:SCP204"),
        FAKEENV: ev("request-escaped:SCP204"),
    },
    "SCP205_mock_decorated_setup": {NOENV: ev("request-escaped:SCP205"), FAKEENV: ev("request-escaped:SCP205")},
    # The pytest-asyncio test and both IsolatedAsyncioTestCase methods: one event each.
    "SCP206_mock_decorated_coroutine": {
        NOENV: ev("mock-ended-before-body:SCP206"),
        FAKEENV: ev("mock-ended-before-body:SCP206"),
    },
    # The redundant nesting is harmless on moto 5 (it passes): no event, on purpose. The plain
    # @mock_aws under a config= mock puts the defaults back: that one is the event.
    "SCP301_nested_mock": {NOENV: ev("mock-config-reset:SCP301"), FAKEENV: ev("mock-config-reset:SCP301")},
    "SCP303_env_leak": {NOENV: ev("env-leak:SCP303"), FAKEENV: ev("env-leak:SCP303")},
    # pytest reports the collection ImportError itself; no client, mock or request happens.
    "SCP401_removed_moto_api": {NOENV: ev(), FAKEENV: ev()},
    "SCP402_regionless_client": {NOENV: ev("client-failed:SCP402"), FAKEENV: ev()},
    # localhost:4566 stays on the machine (mock-bypassed, not strict); the MinIO host would leave it.
    "SCP403_endpoint_bypasses_mock": {
        NOENV: ev("mock-bypassed:SCP403", "request-escaped:SCP403"),
        FAKEENV: ev("mock-bypassed:SCP403", "request-escaped:SCP403"),
    },
    "SCP404_fixed_port_server": {NOENV: ev("server-port-in-use:SCP404"), FAKEENV: ev("server-port-in-use:SCP404")},
}
RUNS = [(folder, variant, env) for folder in EXPECTED for variant in ("bad", "good") for env in (NOENV, FAKEENV)]


def run_guarded(folder: str, variant: str, kind: str, scratch: Path) -> tuple[Events, str]:
    project = scratch / "project"
    shutil.copytree(HERE / folder / variant, project, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    ini = scratch / "inner.ini"
    ini.write_text("[pytest]\n", encoding="utf-8")
    report = scratch / "guard.json"
    command = [
        sys.executable,
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
        "-p",
        "scopecheck.guard",
        "--scopecheck-guard=warn",
        f"--scopecheck-guard-report={report}",
        str(project),
    ]
    proc = subprocess.run(
        command,
        cwd=project,
        env=ci_environment(kind, scratch, HERE, scratch / "net.log"),  # pitfall_netguard from here
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    output = proc.stdout + proc.stderr
    if not report.exists():
        return frozenset({("no report", str(proc.returncode))}), output
    events = json.loads(report.read_text(encoding="utf-8"))["events"]
    return frozenset((e["kind"], e["code"] or "-") for e in events), output


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, str, str], Future]]:
    root = tmp_path_factory.mktemp("guard-proofs")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {}
        for index, key in enumerate(RUNS):
            scratch = root / str(index)
            scratch.mkdir()
            futures[key] = pool.submit(run_guarded, *key, scratch)
        yield futures


@pytest.mark.parametrize(("folder", "variant", "env"), RUNS, ids=["-".join(k) for k in RUNS])
def test_guard_reports_exactly_the_hazard_that_happens(
    guarded: dict[tuple[str, str, str], Future], folder: str, variant: str, env: str
) -> None:
    events, output = guarded[(folder, variant, env)].result()
    expected = EXPECTED[folder][env] if variant == "bad" else frozenset()
    assert sorted(events) == sorted(expected), output[-3000:]
