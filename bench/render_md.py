"""Render a bench result JSON as the Markdown tables used in docs/performance.md.

Usage: python bench/render_md.py [bench/results/latest.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

DEFAULT = Path(__file__).resolve().parent / "results" / "latest.json"


def _num(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def machine(data: dict[str, Any]) -> list[str]:
    m = data["machine"]
    tools = ", ".join(f"{k} {v}" for k, v in m["tools"].items() if k != "psutil")
    corpus = data["corpus"]
    return [
        f"- CPU: {m['cpu']}, {m['logical_cpus']} logical CPUs ({m['usable_cpus']} usable); "
        f"RAM {m['ram_gb']} GiB; {m['os']}",
        f"- Python {m['python']}; {tools}",
        f"- Repository commit {m['repo_commit']}; run {data['timestamp']} ({data['mode']} mode, "
        f"{data['runs']} run(s) per case)",
        f"- Load average (1/5/15 min) at start {m.get('loadavg_at_start')}, at end {m.get('loadavg_at_end')}",
        f"- Corpus: `{corpus['path']}`, {corpus['files']} files, {corpus['bytes'] / 1e6:.1f} MB",
    ]


def table(data: dict[str, Any]) -> list[str]:
    out = [
        "| case | median s | min-max s | x scopecheck cold | peak MB | files/s | CPU s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in data["rows"]:
        if "median_s" not in row:
            out.append(f"| {row['label']} | {row['status']} | | | | | |")
            continue
        label = row["label"] if row["status"] == "ok" else f"{row['label']} ({row['status']})"
        out.append(
            f"| {label} | {row['median_s']:.3f} | {row['min_s']:.2f}-{row['max_s']:.2f} | "
            f"{_num(row.get('ratio_to_cold'), '.2f')} | {row['peak_mb']:.0f} | "
            f"{_num(row.get('files_per_s'), '.0f')} | {row['cpu_median_s']:.2f} |"
        )
    return out


def growth(data: dict[str, Any]) -> list[str]:
    if not data.get("growth"):
        return []
    out = ["| files | MB | median s | ms/file | s/MB |", "|---:|---:|---:|---:|---:|"]
    for p in data.get("growth", []):
        out.append(
            f"| {p['files']} | {p['mb']:.1f} | {p['median_s']:.3f} | {p['ms_per_file']:.2f} | {p['s_per_mb']:.2f} |"
        )
    return out


def targets(data: dict[str, Any]) -> list[str]:
    out = ["| target | measured | verdict | CPU s (median) |", "|---|---:|---|---:|"]
    for t in data["targets"]:
        value = "-" if t["value"] is None else f"{t['value']:.3f} {t['unit']}"
        cpu = _num(t.get("cpu_s"), ".3f")
        out.append(f"| {t['target']} | {value} | {t['verdict']} | {cpu} |")
    return out


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT
    data = json.loads(path.read_text())
    for block in (machine(data), table(data), growth(data), targets(data)):
        if block:
            print("\n".join(block))
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
