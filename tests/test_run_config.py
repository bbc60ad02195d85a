"""RunConfig: resolved once from settings and overrides; its key covers every field."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from scopecheck.config import Settings, load_settings
from scopecheck.findings import Severity
from scopecheck.run_config import RunConfig, resolve
from tests.helpers import write_tree


def _config(root: Path) -> RunConfig:
    return resolve(Settings(base_dir=str(root)), str(root), target_moto=5, root=str(root), cache=True)


def _changed(value: object) -> object:
    """A different value of the same type."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, Severity):
        return Severity.ERROR if value is not Severity.ERROR else Severity.INFO
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if value is None:
        return "/elsewhere"
    if isinstance(value, tuple):
        if value and isinstance(value[0], tuple):
            return (*value, ("other/**", ("SCP101",)))
        return (*value, "SCP999")
    raise AssertionError(f"no changed value for {value!r}: extend _changed")


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(RunConfig)])
def test_changing_any_field_changes_the_key(tmp_path: Path, name: str) -> None:
    config = _config(tmp_path)
    other = dataclasses.replace(config, **{name: _changed(getattr(config, name))})
    assert other.key() != config.key()


def test_the_key_is_stable_and_covers_every_field(tmp_path: Path) -> None:
    config = _config(tmp_path)
    assert config.key() == _config(tmp_path).key()
    # The key is built from dataclasses.fields: a field added later is in it without a second list.
    assert {f.name for f in dataclasses.fields(RunConfig)} >= {
        "select",
        "ignore",
        "per_file_ignores",
        "fail_on",
        "moto_major",
        "cache_dir",
        "root",
        "ini_sets_region",
        "cwd",
        "version",
        "code_fingerprint",
    }


def test_overrides_replace_or_extend_the_settings(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.scopecheck]\nselect = ['SCP1']\nextend-select = ['SCP301']\nignore = ['SCP102']\n"
                "fail-on = 'warning'\ntarget-moto-version = 4\n"
                "[tool.scopecheck.per-file-ignores]\n'tests/legacy/*' = ['SCP401']\n"
            ),
            "pytest.ini": "[pytest]\nenv =\n    AWS_DEFAULT_REGION=us-east-1\n",
        },
    )
    settings = load_settings(str(tmp_path))
    plain = resolve(settings, str(tmp_path))
    assert (plain.select, plain.ignore, plain.fail_on, plain.moto_major) == (
        ("SCP1", "SCP301"),
        ("SCP102",),
        Severity.WARNING,
        4,
    )
    assert plain.per_file_ignores == (("tests/legacy/*", ("SCP401",)),)
    assert plain.root == str(tmp_path) and not plain.root_guessed
    assert plain.ini_sets_region is True
    assert plain.cache_dir is None
    over = resolve(
        settings,
        str(tmp_path),
        select=["SCP2"],
        extend_select=["SCP402"],
        ignore=["SCP203"],
        target_moto=5,
        fail_on=Severity.ERROR,
        cache=True,
    )
    assert (over.select, over.ignore, over.fail_on, over.moto_major) == (
        ("SCP2", "SCP301", "SCP402"),
        ("SCP102", "SCP203"),
        Severity.ERROR,
        5,
    )
    assert over.cache_dir == str(tmp_path / ".scopecheck_cache")
    assert over.key() != plain.key()
    # The discovery settings round-trip through the frozen config.
    assert over.settings.per_file_ignores == settings.per_file_ignores
    assert over.settings.base_dir == settings.base_dir


def test_an_ini_region_setting_changes_the_key(tmp_path: Path) -> None:
    before = _config(tmp_path)
    (tmp_path / "pytest.ini").write_text("[pytest]\nenv =\n    AWS_DEFAULT_REGION=us-east-1\n", encoding="utf-8")
    after = _config(tmp_path)
    assert (before.ini_sets_region, after.ini_sets_region) == (False, True)
    assert before.key() != after.key()


def test_the_working_directory_is_in_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    here = _config(tmp_path)
    monkeypatch.chdir(tmp_path / "sub")
    there = _config(tmp_path)
    assert there.cwd == str(tmp_path / "sub")
    assert here.key() != there.key()
