"""Run one command; measure wall time, CPU time and peak memory of its process tree.

Memory, two ways (both in the result, the larger one is reported as "peak"):
- ``maxrss_mb``: ``ru_maxrss`` from ``os.wait4`` on the child. The kernel reports the
  largest single process among the child and the descendants it reaped, not a sum.
- ``tree_rss_mb``: with psutil, a thread samples the RSS of the child plus all its
  descendants every ``SAMPLE_INTERVAL`` s and keeps the largest sum. Best effort: a
  spike shorter than the interval can be missed, and pages shared between forked
  workers are counted once per process (an upper bound for fork-based pools).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

try:
    import psutil
except ImportError:  # the bench venv has it; without it only ru_maxrss is measured
    psutil = None

SAMPLE_INTERVAL = 0.05
# ru_maxrss is KiB on Linux, bytes on macOS.
_MAXRSS_UNIT = 1 if sys.platform == "darwin" else 1024


@dataclass
class Sample:
    wall_s: float
    cpu_s: float
    maxrss_mb: float
    tree_rss_mb: float | None
    returncode: int
    stdout_lines: int
    stderr_tail: str = field(default="")

    @property
    def peak_mb(self) -> float:
        return max(self.maxrss_mb, self.tree_rss_mb or 0.0)


class _TreeSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_bytes = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        assert psutil is not None
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop_event.is_set():
            total = 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            for proc in procs:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass  # exited between listing and reading
            self.peak_bytes = max(self.peak_bytes, total)
            self._stop_event.wait(SAMPLE_INTERVAL)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run_measured(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        sampler = _TreeSampler(proc.pid) if psutil is not None else None
        if sampler is not None:
            sampler.start()
        # wait4 rather than proc.wait(): it also returns the child's resource usage.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if sampler is not None:
            sampler.stop()
        out.seek(0)
        lines = sum(1 for _ in out)
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
    return Sample(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        maxrss_mb=usage.ru_maxrss * _MAXRSS_UNIT / 2**20,
        tree_rss_mb=(sampler.peak_bytes / 2**20) if sampler is not None else None,
        returncode=proc.returncode,
        stdout_lines=lines,
        stderr_tail=tail,
    )
