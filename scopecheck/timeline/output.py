"""Send the finished timeline where the option asked: terminal summary or a picture file."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

import pytest

from scopecheck.timeline import text
from scopecheck.timeline.layout import Lane
from scopecheck.timeline.model import Timeline
from scopecheck.timeline.xdist_transport import worker_lanes


def write_atomic(path: Path, content: str) -> None:
    """Write next to the target, then rename: a reader never sees half a picture. The file gets
    the usual mode under the umask (0644 under 022), as any other artefact: mkstemp's 0600 would
    hide it from CI artefact uploaders and web servers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = os.path.join(path.parent, f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _terminal_unicode(terminalreporter: Any) -> bool:
    writer = getattr(terminalreporter, "_tw", None)
    stream = getattr(writer, "_file", None) or sys.stdout
    return text.can_encode(getattr(stream, "encoding", None))


def report(
    timeline: Timeline,
    target: str,
    terminalreporter: Any,
    config: pytest.Config,
    sources: dict[str, str] | None = None,
) -> None:
    terminalreporter.write_sep("-", "scope timeline")
    # Under pytest-xdist this process ran no test: its workers' records are the chart.
    lanes = worker_lanes(config) or [Lane(None, timeline, dict(sources or {}))]
    if target in ("term", "ascii"):
        width = getattr(getattr(terminalreporter, "_tw", None), "fullwidth", 80)
        unicode = target == "term" and _terminal_unicode(terminalreporter)
        for line in text.render_lanes(lanes, width=width, unicode=unicode):
            terminalreporter.write_line(line)
        return
    from scopecheck.timeline import html, svg

    path = Path(target)
    if not path.is_absolute():
        path = Path(config.invocation_params.dir) / path
    is_svg = path.suffix.lower() == ".svg"
    content = svg.render_lanes_svg(lanes) if is_svg else html.render_lanes_html(lanes)
    try:
        write_atomic(path, content)
    except OSError as exc:  # the tests' outcome stands; the chart is an extra
        terminalreporter.write_line(f"scope timeline: cannot write {path}: {exc.strerror or exc}")
        return
    terminalreporter.write_line(f"scope timeline written to {path}")
