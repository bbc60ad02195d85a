"""importwatch runs a callback once a module's import has finished, never while it is half-built.

In process, on small packages written to tmp_path: a module that registers a watcher for the
module importing it (as botowatch does for aiobotocore.session, whose import imports botocore),
one not imported yet, one already loaded, and an import that fails before it succeeds.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from scopecheck.timeline import importwatch, motowatch

PACKAGE = "scw_iw_pkg"


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / PACKAGE
    root.mkdir()
    (root / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield root
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    assert importwatch._waiting == {} and importwatch._finder is None


def seen_by(calls: list[tuple[str, bool]]):  # type: ignore[no-untyped-def]
    def callback(module: ModuleType) -> None:
        calls.append((module.__name__, hasattr(module, "LATE")))

    return callback


def test_a_module_still_executing_is_handed_over_when_its_import_ends(package: Path) -> None:
    # outer imports inner; inner registers a watcher for outer, which is in sys.modules by then.
    (package / "outer.py").write_text(f"import {PACKAGE}.inner\nLATE = 1\n")
    (package / "inner.py").write_text(
        "from scopecheck.timeline import importwatch\n"
        "import builtins\n"
        f"importwatch.when_imported('{PACKAGE}.outer', builtins.scw_iw_callback)\n"
    )
    calls: list[tuple[str, bool]] = []
    import builtins

    builtins.scw_iw_callback = seen_by(calls)  # type: ignore[attr-defined]
    try:
        outer = importlib.import_module(f"{PACKAGE}.outer")
    finally:
        del builtins.scw_iw_callback  # type: ignore[attr-defined]
    assert calls == [(f"{PACKAGE}.outer", True)]
    # The spec is importlib's own again and reads as imported.
    assert type(outer.__spec__) is importlib.machinery.ModuleSpec
    assert outer.__spec__._initializing is False  # type: ignore[union-attr]


def test_not_yet_imported_waits_and_loaded_runs_now(package: Path) -> None:
    (package / "later.py").write_text("LATE = 1\n")
    calls: list[tuple[str, bool]] = []
    importwatch.when_imported(f"{PACKAGE}.later", seen_by(calls))
    assert calls == [] and importwatch._finder in sys.meta_path
    importlib.import_module(f"{PACKAGE}.later")
    assert calls == [(f"{PACKAGE}.later", True)]
    importwatch.when_imported(f"{PACKAGE}.later", seen_by(calls))
    assert calls == [(f"{PACKAGE}.later", True)] * 2


def test_a_failed_import_keeps_the_callback_for_the_next_attempt(package: Path) -> None:
    (package / "flaky.py").write_text(
        "import os\nif not os.environ.get('SCW_IW_OK'):\n    raise ImportError('no')\nLATE = 1\n"
    )
    calls: list[tuple[str, bool]] = []
    importwatch.when_imported(f"{PACKAGE}.flaky", seen_by(calls))
    with pytest.raises(ImportError):
        importlib.import_module(f"{PACKAGE}.flaky")
    assert calls == []
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SCW_IW_OK", "1")
        importlib.import_module(f"{PACKAGE}.flaky")
    assert calls == [(f"{PACKAGE}.flaky", True)]


def test_a_cancelled_callback_never_runs(package: Path) -> None:
    (package / "later.py").write_text("LATE = 1\n")
    calls: list[tuple[str, bool]] = []
    callback = seen_by(calls)
    importwatch.when_imported(f"{PACKAGE}.later", callback)
    importwatch.cancel(f"{PACKAGE}.later", callback)
    assert importwatch._finder is None
    importlib.import_module(f"{PACKAGE}.later")
    assert calls == []


def test_motowatch_waits_for_mockaws_when_moto_is_still_importing(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A listener that arrives while moto.core.models executes (here: a stand-in module that adds
    # one before MockAWS is defined) wraps MockAWS once that import has finished.
    if motowatch._originals or motowatch._listeners or motowatch._detail_listeners:
        pytest.skip("moto is watched in this process already")
    monkeypatch.setattr(motowatch, "MODELS", f"{PACKAGE}.models")
    depths: list[int] = []
    import builtins

    monkeypatch.setattr(builtins, "scw_iw_listener", depths.append, raising=False)
    (package / "models.py").write_text(
        "import builtins\n"
        "from scopecheck.timeline import motowatch\n"
        "motowatch.add_listener(builtins.scw_iw_listener)\n"
        "class MockAWS:\n"
        "    _nested_count = 0\n"
        "    def start(self):\n"
        "        MockAWS._nested_count += 1\n"
        "    def stop(self):\n"
        "        MockAWS._nested_count -= 1\n"
    )
    models = importlib.import_module(f"{PACKAGE}.models")
    try:
        mock = models.MockAWS()
        mock.start()
        mock.stop()
        assert depths == [1, 0]
    finally:
        motowatch.remove_listener(depths.append)
    assert not getattr(vars(models.MockAWS)["start"], motowatch._MARK, False)  # the last one out unwraps
