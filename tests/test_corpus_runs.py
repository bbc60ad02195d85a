"""Whole-corpus runs (marked slow; well under two minutes here): CPython's Lib/test and moto's own
test suite lint without a crash, an internal error, or an SCP000 on a file Python compiles.
The same checks run by hand with ``python scripts/corpus_runs.py``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "corpus_runs.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_runs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


corpus_runs = _script()


@pytest.mark.slow
def test_cpython_lib_test_lints_without_a_crash() -> None:
    root = corpus_runs.stdlib_tests()
    if root is None:
        pytest.skip("this interpreter ships without Lib/test")
    report = corpus_runs.run_corpus("stdlib", root)
    assert report.ok, "\n".join(report.problems)
    assert report.files > 500
    # Lib/test keeps deliberately broken files: each is a diagnostic, not a crash.
    assert report.findings.get("SCP000", 0) >= 1
    assert any("encoding" in line for line in report.unreadable)


@pytest.mark.slow
def test_moto_test_suite_lints_without_a_crash_and_the_cache_agrees() -> None:
    root = corpus_runs.moto_tests()
    if root is None:
        pytest.skip("moto's sdist is neither unpacked nor downloadable here")
    report = corpus_runs.run_corpus("moto", root, cache=True)
    assert report.ok, "\n".join(report.problems)
    assert report.files > 1000
    assert report.unreadable == []
    assert report.findings, "moto's own suite has a few real findings"
