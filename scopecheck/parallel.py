"""Analysing many files on several cores; results merged by path, so order never matters."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable

from scopecheck.analysis import Analysed, analyse_path
from scopecheck.facts import serial

Progress = Callable[[int, int], None]  # (files done, files in all)

# Below this many files a process pool costs more than it saves.
MIN_FILES_FOR_POOL = 24
CHUNK = 16


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _analyse_chunk(paths: list[str]) -> list[tuple[str, bytes, str | None]]:
    """In a worker: the facts go back in the cache's compact format (facts/serial.py)."""
    done = []
    for path in paths:
        analysed = analyse_path(path)
        done.append((path, serial.dumps(analysed.facts, analysed.ignored), analysed.text))
    return done


def _received(data: bytes, text: str | None) -> Analysed:
    loaded = serial.loads(data)
    assert loaded is not None  # written by the same code a moment ago
    return Analysed(loaded[0], text, loaded[1])


def _serial(paths: list[str], progress: Progress | None) -> dict[str, Analysed]:
    results: dict[str, Analysed] = {}
    for index, path in enumerate(paths, start=1):
        results[path] = analyse_path(path)
        if progress is not None and (index % CHUNK == 0 or index == len(paths)):  # the last call erases it
            progress(index, len(paths))
    return results


def analyse_all(paths: list[str], jobs: int, progress: Progress | None = None) -> dict[str, Analysed]:
    if jobs <= 1 or len(paths) < MIN_FILES_FOR_POOL:
        return _serial(paths, progress)
    workers = min(jobs, max(1, len(paths) // CHUNK))
    chunks = [paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK)]
    results: dict[str, Analysed] = {}
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for chunk in pool.map(_analyse_chunk, chunks):
                results.update((path, _received(data, text)) for path, data, text in chunk)
                if progress is not None:
                    progress(len(results), len(paths))
    except (OSError, RuntimeError):
        # No process pool here (sandbox, frozen interpreter): do the work in this process.
        return _serial(paths, progress)
    return results
