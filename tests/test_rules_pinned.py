"""Rule decisions that the rule examples do not reach, pinned as whole finding sets (mutation testing,
docs/testing.md, found them unpinned). Each case is one pytest/moto situation and its verdict."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.helpers import lint_tree, write_tree

STAYS = "moto stays active for later tests"


def findings(tmp_path: Path, files: dict[str, str], moto_major: int = 5) -> list[tuple[str, int, str, str]]:
    write_tree(tmp_path, {name: textwrap.dedent(text).lstrip("\n") for name, text in files.items()})
    found = lint_tree(tmp_path, moto_major=moto_major, select=["ALL"])
    return sorted((Path(f.path).relative_to(tmp_path).as_posix(), f.line, f.code, f.message) for f in found)


# --- SCP203: where a start's stop may be ---------------------------------------------------------

MODULE_START = """
import boto3
from moto import mock_aws

m = mock_aws()
m.start()
"""


def test_a_module_level_start_stopped_in_teardown_module_is_balanced(tmp_path: Path) -> None:
    source = MODULE_START + "\n\ndef teardown_module():\n    m.stop()\n\n\ndef test_it():\n    pass\n"
    assert findings(tmp_path, {"test_a.py": source}) == []


def test_a_module_level_start_never_stopped(tmp_path: Path) -> None:
    source = MODULE_START + "\n\ndef test_it():\n    pass\n"
    expected = [("test_a.py", 5, "SCP203", f"mock started at import and never stopped: {STAYS}")]
    assert findings(tmp_path, {"test_a.py": source}) == expected


def test_another_fixtures_stop_of_its_own_local_does_not_stop_this_one(tmp_path: Path) -> None:
    source = """
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def one():
            mock = mock_aws()
            mock.start()
            yield


        @pytest.fixture
        def two():
            mock = mock_aws()
            mock.start()
            yield
            mock.stop()


        def test_it(one):
            pass


        def test_other(two):
            pass
        """
    expected = [("test_c.py", 8, "SCP203", f"fixture 'one' starts mock 'mock' and never stops it: {STAYS}")]
    assert findings(tmp_path, {"test_c.py": source}) == expected


def test_a_helper_that_returns_its_started_mock_leaves_the_stop_to_the_caller(tmp_path: Path) -> None:
    source = """
        from moto import mock_aws


        def make():
            mock = mock_aws()
            mock.start()
            return mock


        def test_it():
            m = make()
            m.stop()
        """
    assert findings(tmp_path, {"test_d.py": source}) == []


def test_a_start_with_no_reference_balanced_by_an_anonymous_stop(tmp_path: Path) -> None:
    """moto's nesting counter is class-wide: ``mock_aws().stop()`` balances any instance's start."""
    source = """
        from moto import mock_aws


        def setup_module():
            mock_aws().start()


        def teardown_module():
            mock_aws().stop()


        def test_it():
            pass
        """
    assert findings(tmp_path, {"test_e.py": source}) == []


def test_a_start_with_no_reference_and_no_stop(tmp_path: Path) -> None:
    source = """
        from moto import mock_aws


        def setup_module():
            mock_aws().start()


        def test_it():
            pass
        """
    message = f"mock started with no reference, and nothing in this file stops one: {STAYS}"
    assert findings(tmp_path, {"test_e.py": source}) == [("test_e.py", 5, "SCP203", message)]
