"""Analysing many files on several cores; results merged by path, so order never matters."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

from scopecheck.analysis import Analysed, analyse_path

# Below this many files a process pool costs more than it saves.
MIN_FILES_FOR_POOL = 24
CHUNK = 16


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _analyse_chunk(paths: list[str]) -> list[tuple[str, Analysed]]:
    return [(path, analyse_path(path)) for path in paths]


def analyse_all(paths: list[str], jobs: int) -> dict[str, Analysed]:
    if jobs <= 1 or len(paths) < MIN_FILES_FOR_POOL:
        return {path: analyse_path(path) for path in paths}
    workers = min(jobs, max(1, len(paths) // CHUNK))
    chunks = [paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK)]
    results: dict[str, Analysed] = {}
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for chunk in pool.map(_analyse_chunk, chunks):
                results.update(chunk)
    except (OSError, RuntimeError):
        # No process pool here (sandbox, frozen interpreter): do the work in this process.
        return {path: analyse_path(path) for path in paths}
    return results
