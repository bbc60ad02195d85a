"""The primer's comparison and report logic (bench/primer), on synthetic snapshots: no network."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

PRIMER = Path(__file__).resolve().parent.parent / "bench" / "primer"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"primer_{name}", PRIMER / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


sys.path.insert(0, str(PRIMER))  # run.py / judge.py import their siblings by name
compare = _load("compare")
suites = _load("suites")
run = _load("run")
judge = _load("judge")
Finding = compare.Finding


def f(suite="s", path="t.py", line=1, code="SCP101", severity="error", message="m", verdict="unaudited", count=1):
    return Finding(suite, path, line, code, severity, message, count=count, verdict=verdict, reason="r")


def test_merge_raw_keys_sorts_and_counts_duplicates():
    raw = [
        {"path": "b.py", "line": 3, "code": "SCP301", "severity": "info", "message": "x"},
        {"path": "a.py", "line": 9, "code": "SCP101", "severity": "error", "message": "first"},
        {"path": "a.py", "line": 9, "code": "SCP101", "severity": "error", "message": "second"},
    ]
    out = compare.merge_raw("s", raw)
    assert [(x.key, x.count, x.message) for x in out] == [
        (("s", "a.py", 9, "SCP101"), 2, "first"),
        (("s", "b.py", 3, "SCP301"), 1, "x"),
    ]


def test_compare_new_gone_unaudited_and_verdicts_carried():
    baseline = [
        f(line=1, verdict="hazard"),
        f(line=2, verdict="fp"),
        f(line=3, verdict="hint", code="SCP301"),
        f(line=4, verdict="unaudited"),
    ]
    snapshot = [f(line=1, message="reworded"), f(line=2), f(line=4), f(line=5)]
    cmp = compare.compare(snapshot, baseline)
    assert [(x.line, x.verdict, x.message) for x in cmp.current] == [
        (1, "hazard", "reworded"),
        (2, "fp", "m"),
        (4, "unaudited", "m"),
        (5, "unaudited", "m"),
    ]
    assert [x.line for x in cmp.new] == [5]
    assert [x.line for x in cmp.gone] == [3]
    assert [x.line for x in cmp.gone_true] == [3]
    assert [x.line for x in cmp.unaudited] == [4, 5]
    assert cmp.failed


def test_exit_conditions():
    # all audited, an fp gone: fine
    cmp = compare.compare([f(line=1)], [f(line=1, verdict="hint"), f(line=2, verdict="fp")])
    assert not cmp.failed
    # a hazard gone: failure
    cmp = compare.compare([f(line=1)], [f(line=1, verdict="hint"), f(line=2, verdict="hazard")])
    assert cmp.failed and [x.line for x in cmp.gone_true] == [2]
    # a new finding: failure
    cmp = compare.compare([f(line=1), f(line=9)], [f(line=1, verdict="fp")])
    assert cmp.failed and [x.line for x in cmp.unaudited] == [9]


def test_suites_not_run_are_left_out_of_the_comparison():
    baseline = [f(suite="a", verdict="hazard"), f(suite="b", verdict="hazard")]
    cmp = compare.compare([f(suite="a")], baseline, suites={"a"})
    assert not cmp.gone and not cmp.failed


def test_per_rule_precision_loud_and_overall():
    baseline = [
        f(line=1, verdict="hazard"),
        f(line=2, verdict="fp"),
        f(line=3, verdict="hint", severity="info", count=2),
        f(line=4, verdict="fp", severity="warning"),
        f(line=5, code="SCP301", severity="info", verdict="hint"),
    ]
    snapshot = [
        f(line=1),
        f(line=2),
        f(line=3, severity="info", count=2),
        f(line=4, severity="warning"),
        f(line=5, code="SCP301", severity="info"),
        f(line=6),
    ]
    cmp = compare.compare(snapshot, baseline)
    s101 = cmp.rules["SCP101"]
    assert (s101.findings, s101.new, s101.gone) == (6, 1, 0)
    assert dict(s101.verdicts) == {"hazard": 1, "fp": 2, "hint": 2, "unaudited": 1}
    # error+warning: hazard, fp, fp audited (unaudited excluded) -> 1/3
    assert s101.loud_findings == 4
    assert s101.loud_precision == pytest.approx(1 / 3)
    # overall: (1 hazard + 2 hint) / 5 audited
    assert s101.precision == pytest.approx(3 / 5)
    assert cmp.rules["SCP301"].precision == 1.0
    assert cmp.rules["SCP301"].loud_precision is None
    assert cmp.total.findings == 7
    assert cmp.total.precision == pytest.approx(4 / 6)


def test_largest_group_uses_the_cause_the_message_names():
    msg = "this import runs tests/utils.py:111, which creates a boto3 session at import time"
    snapshot = [
        f(path="a.py", line=3, code="SCP104", message=msg),
        f(path="b.py", line=3, code="SCP104", message=msg, count=2),
        f(path="c.py", line=7, code="SCP104", message="no location named"),
        f(path="d.py", line=1, code="SCP301", message="while fixture 'x' (function scope, conftest.py:8) is active"),
    ]
    cmp = compare.compare(snapshot, [])
    assert cmp.rules["SCP104"].largest_group == (3, "s: tests/utils.py:111")
    assert cmp.rules["SCP301"].largest_group == (1, "s: conftest.py:8")
    assert cmp.total.largest_group == (3, "SCP104 s: tests/utils.py:111")
    assert Finding("s", "c.py", 7, "SCP104", "error", "no location named").cause() == "c.py:7"


def test_dump_and_load_round_trip_one_finding_per_line(tmp_path):
    findings = [f(line=2, verdict="fp"), f(line=1, verdict="hazard", count=3)]
    text = compare.dump_entries({"suites": {"s": {"files": 3}}}, findings, with_verdict=True)
    path = tmp_path / "baseline.json"
    path.write_text(text)
    json.loads(text)  # valid JSON
    lines = [line for line in text.splitlines() if line.startswith('{"suite"')]
    assert [json.loads(line.rstrip(","))["line"] for line in lines] == [1, 2]  # sorted, one per line
    header, back = compare.load_entries(path)
    assert header == {"suites": {"s": {"files": 3}}}
    assert [(x.key, x.verdict, x.reason, x.count) for x in back] == [
        (("s", "t.py", 1, "SCP101"), "hazard", "r", 3),
        (("s", "t.py", 2, "SCP101"), "fp", "r", 1),
    ]
    # the snapshot form carries no verdicts
    snap = compare.dump_entries({}, findings, with_verdict=False)
    assert "verdict" not in snap and "reason" not in snap


def test_update_keeps_verdicts_marks_new_and_keeps_suites_not_run():
    baseline = [f(suite="a", line=1, verdict="hazard"), f(suite="a", line=2, verdict="fp"), f(suite="b", verdict="fp")]
    snapshot = [f(suite="a", line=1, message="new text"), f(suite="a", line=3)]
    cmp = compare.compare(snapshot, baseline, suites={"a"})
    merged = compare.with_verdicts(cmp, {"a"}, baseline)
    assert [(x.suite, x.line, x.verdict, x.message) for x in merged] == [
        ("a", 1, "hazard", "new text"),
        ("a", 3, "unaudited", "m"),
        ("b", 1, "fp", "m"),
    ]


def test_report_lines_and_compact_problems():
    cmp = compare.compare(
        [f(line=1), f(line=2, message="x" * 300)], [f(line=1, verdict="hazard"), f(line=7, verdict="hint")]
    )
    lines = compare.report_lines(cmp)
    assert lines[0].split()[:4] == ["rule", "findings", "new", "gone"]
    row = lines[2].split()
    assert row[:8] == ["SCP101", "2", "1", "1", "1", "0", "0", "1"]
    assert lines[-1].startswith("all")
    problems = compare.problem_lines(cmp)
    assert problems[0] == "1 finding(s) without a verdict:"
    assert problems[1].startswith("  s  t.py:2  SCP101 error  xxx") and len(problems[1]) <= 142
    assert problems[2] == "1 finding(s) judged hazard/hint are gone:"
    assert problems[3] == "  [hint] s  t.py:7  SCP101 error  m"


def test_suites_toml_is_valid_and_pinned():
    listed = suites.load_suites()
    names = [s.name for s in listed]
    assert len(names) == len(set(names))
    assert sum(s.uses_moto for s in listed) >= 14
    assert sum(not s.uses_moto for s in listed) >= 2
    for s in listed:
        assert s.kind in ("pypi", "github")
        if s.kind == "pypi":
            assert "==" in s.source
        else:
            assert len(s.github[2]) == 40
        assert 1 <= s.moto <= 5


def test_run_from_snapshot_exit_status(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(suites, "SUITES_TOML", suites.SUITES_TOML)
    name = suites.load_suites()[0].name
    snap = tmp_path / "snapshot.json"
    base = tmp_path / "baseline.json"
    snap.write_text(compare.dump_entries({"suites": {name: {}}}, [f(suite=name)], with_verdict=False))
    base.write_text(compare.dump_entries({}, [f(suite=name, verdict="fp")], with_verdict=True))
    args = ["--from-snapshot", "--snapshot", str(snap), "--baseline", str(base)]
    assert run.main(args) == 0
    assert "SCP101" in capsys.readouterr().out
    # a new finding without a verdict fails; --update writes it as unaudited
    snap.write_text(
        compare.dump_entries({"suites": {name: {}}}, [f(suite=name), f(suite=name, line=5)], with_verdict=False)
    )
    assert run.main(args) == 1
    assert run.main([*args, "--update"]) == 1
    out = capsys.readouterr().out
    assert f"  {name}  t.py:5  SCP101 error  m" in out
    _, entries = compare.load_entries(base)
    assert [(x.line, x.verdict) for x in entries] == [(1, "fp"), (5, "unaudited")]


def test_judge_sets_verdicts_by_filter(tmp_path, capsys):
    base = tmp_path / "baseline.json"
    base.write_text(
        compare.dump_entries(
            {},
            [f(line=1, message="runs utils.py:111"), f(line=2, message="other"), f(line=3, verdict="hazard")],
            with_verdict=True,
        )
    )
    assert judge.main(["fp", "one cause", "--message", "utils.py:111", "--baseline", str(base)]) == 0
    assert judge.main(["hint", "rest", "--baseline", str(base)]) == 0  # only unaudited ones
    _, entries = compare.load_entries(base)
    assert [(x.line, x.verdict, x.reason) for x in entries] == [
        (1, "fp", "one cause"),
        (2, "hint", "rest"),
        (3, "hazard", "r"),
    ]
    assert judge.main(["hint", "x", "--code", "SCP999", "--baseline", str(base)]) == 1  # nothing matched


def test_allow_gone_hints_fails_only_on_a_gone_hazard():
    baseline = [f(line=1, verdict="hint"), f(line=2, verdict="fp")]
    cmp = compare.compare([], baseline)
    assert cmp.failed
    cmp.must_stay = ("hazard",)
    assert not cmp.failed
    cmp = compare.compare([], [f(line=3, verdict="hazard")])
    cmp.must_stay = ("hazard",)
    assert cmp.failed and compare.problem_lines(cmp)[0] == "1 finding(s) judged hazard are gone:"


def test_suite_relative_paths_whatever_base_was_used(tmp_path):
    (tmp_path / "src" / "pkg" / "tests").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "tests" / "test_a.py").write_text("")
    (tmp_path / "top.py").write_text("")
    assert run.suite_relative(tmp_path, "top.py") == "top.py"
    assert run.suite_relative(tmp_path, "src/pkg/tests/test_a.py") == "src/pkg/tests/test_a.py"
    assert run.suite_relative(tmp_path, "tests/test_a.py") == "src/pkg/tests/test_a.py"  # nested root
    assert run.suite_relative(tmp_path, str(tmp_path / "top.py")) == "top.py"
    assert run.suite_relative(tmp_path, "missing.py") == "missing.py"
