"""Summaries: machine description, the results table, the target check, JSON."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import re
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cases import Case
from measure import Sample

# Targets from the performance issue; ratios compare medians of wall time.
MEMORY_LIMIT_MB = 400.0
SINGLE_LIMIT_S = 0.5


@dataclass
class Row:
    case: Case
    samples: list[Sample]

    @property
    def ran(self) -> bool:
        return self.case.argv is not None and bool(self.samples)

    @property
    def failure(self) -> str | None:
        for s in self.samples:
            if s.returncode not in self.case.ok_codes:
                lines = s.stderr_tail.strip().splitlines() or ["no stderr"]
                return f"error: exit {s.returncode}: {lines[-1][:120]}"
            if "Traceback (most recent call last)" in s.stderr_tail:
                return "error: the tool crashed (traceback on stderr)"
        checked = self.files_checked
        if checked is not None and checked != self.case.files:
            return f"error: checked {checked} of {self.case.files} files"
        return None

    @property
    def files_checked(self) -> int | None:
        if self.case.files_pattern is None or not self.samples:
            return None
        found = re.findall(self.case.files_pattern, self.samples[-1].stderr_tail)
        return int(found[-1]) if found else None

    @property
    def ok(self) -> bool:
        return self.ran and self.failure is None

    def median(self) -> float:
        return statistics.median(s.wall_s for s in self.samples)

    def cpu(self) -> float:
        return statistics.median(s.cpu_s for s in self.samples)

    def peak_mb(self) -> float:
        return max(s.peak_mb for s in self.samples)


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _version(argv: list[str]) -> str:
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    text = (proc.stdout or proc.stderr).strip().splitlines()
    return text[0] if proc.returncode == 0 and text else "not runnable"


def _dist(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def loadavg() -> list[float] | None:
    # Other work on the machine skews wall times: recorded so a noisy run can be spotted.
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def _dist_in(python: Path, name: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({name!r}))"
    return _version([str(python), "-c", code])


def machine(repo_root: Path, flake8_python: Path) -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    ram_gb: float | None = None
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            ram_gb = round(int(line.split()[1]) / 2**20, 1)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    commit = _version(["git", "-C", str(repo_root), "rev-parse", "--short", "HEAD"])
    git_status = ["git", "-C", str(repo_root), "status", "--porcelain", "--", "scopecheck"]
    dirty = subprocess.run(git_status, capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu,
        "logical_cpus": os.cpu_count(),
        "usable_cpus": usable,
        "ram_gb": ram_gb,
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "loadavg_at_start": loadavg(),
        "repo_commit": commit + (" (scopecheck/ has uncommitted changes)" if dirty else ""),
        "tools": {
            "scopecheck": _dist("scopecheck"),
            "libcst": _dist("libcst"),
            "ruff": _dist("ruff"),
            "flake8": _dist_in(flake8_python, "flake8"),
            "flake8-pytest-style": _dist_in(flake8_python, "flake8-pytest-style"),
            "fixit": _dist("fixit"),
            "psutil": _dist("psutil"),
        },
    }


def print_machine(info: dict[str, Any]) -> None:
    print("Machine")
    print(f"  CPU:     {info['cpu']} ({info['logical_cpus']} logical, {info['usable_cpus']} usable)")
    print(f"  RAM:     {info['ram_gb']} GiB")
    print(f"  OS:      {info['os']}")
    print(f"  Python:  {info['python']}")
    print(f"  Load:    {info['loadavg_at_start']} (1/5/15 min averages at start)")
    print(f"  Repo:    {info['repo_commit']}")
    tools = ", ".join(f"{k} {v}" for k, v in info["tools"].items())
    print(f"  Tools:   {tools}")


def _by_key(rows: list[Row]) -> dict[str, Row]:
    return {r.case.key: r for r in rows}


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def row_dict(row: Row, cold: Row | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": row.case.key,
        "label": row.case.label,
        "group": row.case.group,
        "argv": row.case.argv,
        "files": row.case.files,
        "note": row.case.note,
        "status": "ok",
    }
    if not row.ran:
        data["status"] = row.case.na_reason or "n/a"
        return data
    if row.failure:
        data["status"] = row.failure
    med = row.median()
    data.update(
        {
            "median_s": med,
            "min_s": min(s.wall_s for s in row.samples),
            "max_s": max(s.wall_s for s in row.samples),
            "runs_s": [s.wall_s for s in row.samples],
            "cpu_median_s": row.cpu(),
            "peak_mb": row.peak_mb(),
            "maxrss_mb_max": max(s.maxrss_mb for s in row.samples),
            "tree_rss_mb_max": max((s.tree_rss_mb or 0.0) for s in row.samples),
            "files_per_s": row.case.files / med if med > 0 else None,
            "ratio_to_cold": (med / cold.median()) if cold is not None and cold.ok else None,
            "returncodes": sorted({s.returncode for s in row.samples}),
            "files_checked": row.files_checked,
            "stdout_lines": row.samples[-1].stdout_lines,
            "stderr_tail": row.samples[-1].stderr_tail[-400:],
        }
    )
    return data


def print_table(rows: list[Row]) -> list[dict[str, Any]]:
    keyed = _by_key(rows)
    cold = keyed.get("scopecheck_cold")
    dicts = [row_dict(r, cold) for r in rows]
    head = f"{'case':<50} {'median s':>9} {'x cold':>7} {'peak MB':>8} {'files/s':>9} {'cpu s':>7}"
    print(head)
    print("-" * len(head))
    for d in dicts:
        if "median_s" not in d:
            print(f"{d['label']:<50} {d['status']}")
            continue
        status = "" if d["status"] == "ok" else f"  [{d['status']}]"
        print(
            f"{d['label']:<50} {d['median_s']:>9.3f} {_fmt(d['ratio_to_cold']):>7} "
            f"{d['peak_mb']:>8.0f} {d['files_per_s']:>9.0f} {d['cpu_median_s']:>7.2f}{status}"
        )
    return dicts


def linearity(rows: list[Row]) -> list[dict[str, Any]]:
    points = [r for r in rows if r.case.group == "linearity" and r.ok]
    cold = _by_key(rows).get("scopecheck_cold")
    if cold is not None and cold.ok:
        points.append(cold)
    out = []
    for r in sorted(points, key=lambda r: r.case.files):
        med = r.median()
        mb = r.case.bytes / 1e6
        out.append(
            {
                "files": r.case.files,
                "mb": mb,
                "median_s": med,
                "ms_per_file": 1000 * med / r.case.files,
                "s_per_mb": med / mb,
            }
        )
    if out:
        print("\nGrowth with file count (scopecheck cold)")
        for p in out:
            print(
                f"  {p['files']:>5} files, {p['mb']:5.1f} MB: {p['median_s']:8.3f} s  "
                f"({p['ms_per_file']:.2f} ms/file, {p['s_per_mb']:.2f} s/MB)"
            )
    return out


def _ratio(keyed: dict[str, Row], num: str, den: str) -> float | None:
    a, b = keyed.get(num), keyed.get(den)
    if a is None or b is None or not a.ok or not b.ok:
        return None
    return a.median() / b.median()


def targets(rows: list[Row]) -> list[dict[str, Any]]:
    keyed = _by_key(rows)
    checks: list[dict[str, Any]] = []

    def check(
        name: str, value: float | None, bound: float, higher_is_better: bool, unit: str, cpu_s: float | None = None
    ) -> None:
        if value is None:
            verdict = "n/a"
        elif higher_is_better:
            verdict = "PASS" if value >= bound else "FAIL"
        else:
            verdict = "PASS" if value <= bound else "FAIL"
        checks.append(
            {"target": name, "value": value, "bound": bound, "unit": unit, "verdict": verdict, "cpu_s": cpu_s}
        )

    check(
        "scopecheck cold / libcst parse floor <= 0.55",
        _ratio(keyed, "scopecheck_cold", "floor_libcst"),
        0.55,
        False,
        "x",
    )
    check(
        "fixit / scopecheck cold >= 3 (cold at least 3x faster than fixit)",
        _ratio(keyed, "peer_fixit", "scopecheck_cold"),
        3.0,
        True,
        "x",
    )
    check("scopecheck warm / ruff --no-cache <= 2", _ratio(keyed, "scopecheck_warm", "peer_ruff"), 2.0, False, "x")
    for key, name in (
        ("scopecheck_touched", "one file touched (warm) <= 0.5 s"),
        ("scopecheck_single_warm", "single file, warm <= 0.5 s"),
        ("scopecheck_single_cold", "single file, cold <= 0.5 s"),
    ):
        row = keyed.get(key)
        ok = row is not None and row.ok
        # CPU time is shown beside wall time: on a busy machine it is the steadier number.
        check(name, row.median() if ok else None, SINGLE_LIMIT_S, False, "s", row.cpu() if ok else None)
    mems = [r.peak_mb() for r in rows if r.case.group in ("scopecheck", "linearity") and r.ok]
    check(
        "scopecheck peak memory <= 400 MB (max over its rows and runs)",
        max(mems) if mems else None,
        MEMORY_LIMIT_MB,
        False,
        "MB",
    )

    print("\nTarget check")
    for c in checks:
        value = "-" if c["value"] is None else f"{c['value']:.3f} {c['unit']}"
        cpu = "" if c["cpu_s"] is None else f"  (cpu {c['cpu_s']:.3f} s)"
        print(f"  [{c['verdict']:<4}] {c['target']:<66} {value}{cpu}")
    return checks
