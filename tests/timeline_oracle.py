"""pytest plugin for the model's differential test: writes what scopecheck's timeline recorder
saw to the JSON file named by $SCOPECHECK_ORACLE_OUT when the run ends.

Load it after the timeline plugin: ``-p scopecheck.timeline --scope-timeline=FILE.svg
--scope-timeline-all -p tests.timeline_oracle``. The recorder itself is unchanged; this only
reads its :class:`Timeline` before the timeline plugin drops it.
"""

from __future__ import annotations

import json
import os

import pytest

from scopecheck.timeline import _RECORDER


@pytest.hookimpl(tryfirst=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    recorder = config.stash.get(_RECORDER, None)
    out = os.environ.get("SCOPECHECK_ORACLE_OUT")
    if recorder is None or not out:
        return
    timeline = recorder.timeline()
    data = {
        "tests": [{"nodeid": t.nodeid, "outcome": t.outcome} for t in timeline.tests],
        "fixtures": [
            {
                "argname": row.argname,
                "where": row.where,
                "lifetimes": [[list(life.start), list(life.end) if life.end else None] for life in row.lifetimes],
            }
            for row in timeline.fixtures
        ],
        "moto": None
        if timeline.moto is None
        else {"initial": timeline.moto.initial, "changes": [[list(m), d] for m, d in timeline.moto.changes]},
    }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
