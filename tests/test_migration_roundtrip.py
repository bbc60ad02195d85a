"""bench/migration/roundtrip.py's pure parts: per-test outcomes from junitxml, the pinned list."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench" / "migration"))

import projects  # noqa: E402
import roundtrip  # noqa: E402

XML = """<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
<testcase classname="tests.test_s3.TestS3" name="test_put" file="tests/test_s3.py" line="3"/>
<testcase classname="tests.test_s3" name="test_get[a-b]" file="tests/test_s3.py" line="9">
  <failure message="boom"/></testcase>
<testcase classname="tests.test_s3" name="test_skip" file="tests/test_s3.py" line="12"><skipped/></testcase>
<testcase classname="tests.test_s3" name="test_teardown" file="tests/test_s3.py" line="20"/>
<testcase classname="tests.test_s3" name="test_teardown" file="tests/test_s3.py" line="20"><error/></testcase>
<testcase classname="" name="tests.test_broken"><error message="collection failure"/></testcase>
</testsuite></testsuites>"""


def test_outcomes_are_read_per_test_id_and_the_worse_of_two_reports_counts(tmp_path: Path) -> None:
    path = tmp_path / "r.xml"
    path.write_text(XML)
    assert roundtrip.outcomes(path) == {
        "tests/test_s3.py::TestS3::test_put": "passed",
        "tests/test_s3.py::test_get[a-b]": "failed",
        "tests/test_s3.py::test_skip": "skipped",
        "tests/test_s3.py::test_teardown": "error",
        "tests.test_broken": "error",
    }


def test_every_project_is_pinned_and_runs_behind_the_loopback_guard() -> None:
    names = [p.name for p in projects.PROJECTS]
    assert len(names) == len(set(names)) >= 3
    for project in projects.PROJECTS:
        kind, _, spec = project.source.partition(":")
        assert kind in ("pypi", "github")
        assert "==" in spec if kind == "pypi" else len(spec.partition("@")[2]) == 40
        assert project.moto4.startswith("4.")
    assert roundtrip.GUARD == "--allow-hosts=127.0.0.1,::1"
    assert projects.MOTO5 == "5.2.5"


def test_the_markdown_table_has_one_row_per_project() -> None:
    result = {
        "project": "x==1",
        "moto4": "4.2.14",
        "tests": 3,
        "passed_moto4": 3,
        "passed_moto5_unfixed": 0,
        "passed_moto5_fixed": 3,
        "fixes": {"SCP401": 2},
        "lines_changed": 8,
        "hand_edits": [],
        "lost": {},
    }
    assert roundtrip.markdown([result]).splitlines()[2] == "| x==1 | 4.2.14 | 3 | 3 | 0 | 3 | SCP401 x2 (8) | 0 | 0 |"
