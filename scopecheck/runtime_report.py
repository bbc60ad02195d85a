"""`scopecheck --runtime-report guard.json PATHS`: the static findings against what a guarded run
(`pytest -p scopecheck.guard --scopecheck-guard-report=guard.json`) really saw.

* confirmed: a runtime event with the finding's code at its line (or in the event's import chain),
  or in its file;
* refuted: the code ran (the guard recorded clients built at that line) and no event with that code
  happened in its file in any of the given runs (give one report per CI environment);
* not exercised: nothing of it ran;
* unpredicted: runtime events that no finding of the same code in the same file predicts.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from scopecheck.findings import Finding

# Rules whose finding sits on the client's creation line, so the guard's client records say
# whether that line ran.
CREATION_RULES = frozenset({"SCP101", "SCP102", "SCP103", "SCP204", "SCP402"})


class RuntimeReportError(ValueError):
    pass


@dataclass
class Runtime:
    events: list[dict[str, Any]] = field(default_factory=list)  # paths made absolute
    ran: set[tuple[str, int]] = field(default_factory=set)  # client creation sites, chains too


def _absolute(root: str, path: str) -> str:
    return os.path.normpath(path if os.path.isabs(path) else os.path.join(root, path))


def _site(root: str, text: str) -> tuple[str, int]:
    path, _, line = text.rpartition(":")
    return _absolute(root, path), int(line or 0)


def load(paths: list[str]) -> Runtime:
    runtime = Runtime()
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            raise RuntimeReportError(f"--runtime-report: cannot read {path!r}: {exc}") from None
        if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("events"), list):
            raise RuntimeReportError(f"--runtime-report: {path!r} is not a scopecheck guard report (version 1)")
        root = str(data.get("rootdir") or os.path.dirname(os.path.abspath(path)))
        for event in data["events"]:
            item = dict(event)
            if item.get("path"):
                item["path"] = _absolute(root, item["path"])
            item["chain"] = [_site(root, s) for s in item.get("chain") or ()]
            runtime.events.append(item)
        for client in data.get("clients") or ():
            runtime.ran.add((_absolute(root, client["path"]), int(client["line"])))
            runtime.ran.update(_site(root, s) for s in client.get("chain") or ())
    return runtime


@dataclass
class CrossCheck:
    confirmed: list[tuple[Finding, list[dict[str, Any]]]] = field(default_factory=list)
    refuted: list[Finding] = field(default_factory=list)
    unexercised: list[Finding] = field(default_factory=list)
    unpredicted: list[dict[str, Any]] = field(default_factory=list)


def cross_check(findings: list[Finding], runtime: Runtime) -> CrossCheck:
    out = CrossCheck()
    predicted: set[int] = set()
    for finding in findings:
        path, line = os.path.abspath(finding.path), finding.location.line
        exact, same_file = [], []
        for index, event in enumerate(runtime.events):
            if event.get("code") != finding.code:
                continue
            if (event.get("path"), event.get("line")) == (path, line) or (path, line) in event["chain"]:
                exact.append(index)
            elif event.get("path") == path or any(p == path for p, _ in event["chain"]):
                same_file.append(index)
        matched = exact or same_file
        if matched:
            predicted.update(matched)
            out.confirmed.append((finding, [runtime.events[i] for i in matched]))
        elif finding.code in CREATION_RULES and (path, line) in runtime.ran:
            out.refuted.append(finding)
        else:
            out.unexercised.append(finding)
    out.unpredicted = [e for i, e in enumerate(runtime.events) if i not in predicted]
    return out


def _where(path: str | None, line: Any) -> str:
    if not path:
        return "(no site)"
    shown = os.path.relpath(path) if not os.path.relpath(path).startswith("..") else path
    return f"{shown}:{line}"


def render(check: CrossCheck) -> str:
    lines = [
        f"runtime cross-check: {len(check.confirmed)} confirmed, {len(check.refuted)} refuted, "
        f"{len(check.unexercised)} not exercised, {len(_unique(check))} runtime causes unpredicted"
    ]
    for title, rows in (
        ("confirmed", [f"{_where(f.path, f.location.line)} {f.code} ({_kinds(ev)})" for f, ev in check.confirmed]),
        ("refuted", [f"{_where(f.path, f.location.line)} {f.code} (ran, no hazard)" for f in check.refuted]),
        ("not exercised", [f"{_where(f.path, f.location.line)} {f.code}" for f in check.unexercised]),
        (
            "unpredicted",
            [f"{_where(e.get('path'), e.get('line'))} {e.get('code') or '-'} {e['kind']}" for e in _unique(check)],
        ),
    ):
        if rows:
            lines.append(f"{title}:")
            lines.extend(f"  {row}" for row in sorted(set(rows)))
    return "\n".join(lines) + "\n"


def _kinds(events: list[dict[str, Any]]) -> str:
    kinds = sorted({e["kind"] for e in events})
    tests = {e.get("nodeid") for e in events if e.get("nodeid")}
    return ", ".join(kinds) + (f" in {len(tests)} test{'s' if len(tests) != 1 else ''}" if tests else "")


def _unique(check: CrossCheck) -> list[dict[str, Any]]:
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for event in check.unpredicted:
        seen.setdefault((event.get("path"), event.get("line"), event.get("code"), event["kind"]), event)
    return list(seen.values())


def to_json(check: CrossCheck) -> dict[str, Any]:
    def finding(f: Finding) -> dict[str, Any]:
        return {"code": f.code, "path": f.path, "line": f.location.line}

    return {
        "confirmed": [finding(f) | {"events": len(ev)} for f, ev in check.confirmed],
        "refuted": [finding(f) for f in check.refuted],
        "not_exercised": [finding(f) for f in check.unexercised],
        "unpredicted": [{k: e.get(k) for k in ("kind", "code", "nodeid", "path", "line")} for e in _unique(check)],
    }
