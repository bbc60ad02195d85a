"""The guard's outputs: a terminal summary grouped by cause, and the JSON report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scopecheck.guard.events import VERSION, Event
from scopecheck.guard.records import ClientRecord
from scopecheck.timeline.sites import relative

SHOWN_TESTS = 3


def grouped(events: list[Event]) -> list[tuple[Event, list[str]]]:
    """One entry per cause (kind, code, site, message), with every test it affected."""
    groups: dict[tuple[Any, ...], tuple[Event, list[str]]] = {}
    for event in events:
        entry = groups.setdefault(event.key(), (event, []))
        for nodeid in event.tests or ([event.nodeid] if event.nodeid else []):
            if nodeid not in entry[1]:
                entry[1].append(nodeid)
    return list(groups.values())


def summary_lines(events: list[Event], errors: list[str], strict: bool) -> list[str]:
    lines: list[str] = []
    for event, tests in grouped(events):
        where = ""
        if tests:
            shown = ", ".join(tests[:SHOWN_TESTS])
            more = f" +{len(tests) - SHOWN_TESTS} more" if len(tests) > SHOWN_TESTS else ""
            where = f" [{len(tests)} test{'s' if len(tests) != 1 else ''}: {shown}{more}]"
        else:
            where = " [collection]"
        lines.append(f"{event.code or '------'} {event.kind}: {event.message}{where}")
    for error in errors:
        lines.append(f"guard-error: the scopecheck guard hit an internal error and skipped a record ({error})")
    return lines


def client_sites(clients: list[ClientRecord], root: str) -> list[dict[str, Any]]:
    """Clients aggregated per creation site: the cross-check needs to know what code ran."""
    sites: dict[tuple[str, int], dict[str, Any]] = {}
    for record in clients:
        if record.origin is None:
            continue
        site = record.origin.site
        entry = sites.setdefault(
            (site.path, site.line),
            {
                "path": relative(site.path, root),
                "line": site.line,
                "count": 0,
                "mocked": 0,
                "services": [],
                "credentials": [],
                "chain": [f"{relative(s.path, root)}:{s.line}" for s in record.origin.chain],
            },
        )
        entry["count"] += 1
        entry["mocked"] += 1 if record.mock_depth > 0 else 0
        for key, value in (("services", record.service), ("credentials", record.credentials)):
            if value not in entry[key]:
                entry[key].append(value)
    return list(sites.values())


def payload(events: list[Event], clients: list[dict[str, Any]], root: str, mode: str) -> dict[str, Any]:
    out_events = []
    for event, tests in grouped(events):
        nodeids: list[str | None] = list(tests) or [None]
        for nodeid in nodeids:
            data = event.to_json(root)
            data["nodeid"] = nodeid
            out_events.append(data)
    return {"version": VERSION, "mode": mode, "rootdir": root, "events": out_events, "clients": clients}


def write_json(path: Path, data: dict[str, Any]) -> None:
    from scopecheck.timeline.output import write_atomic

    write_atomic(path, json.dumps(data, indent=2, sort_keys=False) + "\n")
