"""The mock start/stop flow rules (SCP201-SCP205): whole finding sets and messages, every rule on.

The examples of these rules are linted with every rule: a good example must be clean for all of
them, and a bad one must show exactly its ``# expect:`` markers, nothing more.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from scopecheck.rules import RULES_BY_CODE
from scopecheck.rules.base import Example
from tests.helpers import expected_markers, lint_tree, write_tree

STAYS = "moto stays active for later tests"
FLOW = ("SCP201", "SCP202", "SCP203", "SCP204", "SCP205")
CASES = [
    (code, kind, i, example)
    for code in FLOW
    for kind in ("bad", "good")
    for i, example in enumerate(getattr(RULES_BY_CODE[code], kind))
]


def _found(root: Path, files: dict[str, str], moto: int = 5) -> set[tuple[str, int, str, str]]:
    write_tree(root, files)
    return {
        (Path(f.path).resolve().relative_to(root.resolve()).as_posix(), f.line, f.code, f.message)
        for f in lint_tree(root, moto_major=moto, select=["ALL"])
    }


@pytest.mark.parametrize(("code", "kind", "index", "example"), CASES, ids=[f"{c}-{k}{i}" for c, k, i, _ in CASES])
def test_example_shows_exactly_its_markers_with_every_rule(
    code: str, kind: str, index: int, example: Example, tmp_path: Path
) -> None:
    found = {(path, line, c) for path, line, c, _ in _found(tmp_path, dict(example.files), example.target_moto)}
    assert found == expected_markers(example.files)


@pytest.mark.parametrize("code", FLOW)
def test_messages_are_short(code: str, tmp_path: Path) -> None:
    for i, example in enumerate(RULES_BY_CODE[code].bad):
        for _, _, found_code, message in _found(tmp_path / str(i), dict(example.files), example.target_moto):
            if found_code in FLOW:
                assert len(message) <= 100, message


def _lint(tmp_path: Path, source: str, moto: int = 5) -> set[tuple[int, str, str]]:
    files = {"test_x.py": textwrap.dedent(source).lstrip("\n")}
    return {(line, code, message) for _, line, code, message in _found(tmp_path, files, moto)}


def test_finalizer_stop_and_return_is_clean(tmp_path: Path) -> None:
    """`--explain SCP203`'s fix: the mock runs on past the return until the finalizer."""
    assert (
        _lint(
            tmp_path,
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def sqs(request):
                mock = mock_aws()
                mock.start()
                request.addfinalizer(mock.stop)
                return boto3.client("sqs", region_name="us-east-1")


            def test_queue(sqs):
                sqs.create_queue(QueueName="q")
            """,
        )
        == set()
    )


def test_start_without_stop_then_return_is_one_finding(tmp_path: Path) -> None:
    found = _lint(
        tmp_path,
        """
        import boto3
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def sqs():
            mock = mock_aws()
            mock.start()
            return boto3.client("sqs", region_name="us-east-1")
        """,
    )
    assert found == {(9, "SCP203", f"fixture 'sqs' starts mock 'mock' and never stops it: {STAYS}")}


def test_return_inside_with_names_the_block(tmp_path: Path) -> None:
    found = _lint(
        tmp_path,
        """
        import boto3
        import pytest
        from moto import mock_aws as aws


        @pytest.fixture(name="queue")
        def queue_fixture():
            with aws():
                return boto3.client("sqs", region_name="us-east-1")
        """,
    )
    assert found == {
        (9, "SCP201", "fixture 'queue' returns inside `with mock_aws()` (line 8): the mock ends before the test runs")
    }


def test_return_after_own_stop_names_the_stop(tmp_path: Path) -> None:
    found = _lint(
        tmp_path,
        """
        import boto3
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def sqs():
            mock = mock_aws()
            mock.start()
            client = boto3.client("sqs", region_name="us-east-1")
            mock.stop()
            return client
        """,
    )
    assert found == {(12, "SCP201", "fixture 'sqs' returns after stopping its mock (line 11): the test runs unmocked")}


def test_a_local_mock_is_not_stopped_by_another_fixtures_local_of_the_same_name(tmp_path: Path) -> None:
    found = _lint(
        tmp_path,
        """
        import boto3
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def s3():
            mock = mock_aws()
            mock.start()
            return boto3.client("s3", region_name="us-east-1")


        @pytest.fixture
        def sqs():
            mock = mock_aws()
            mock.start()
            yield boto3.client("sqs", region_name="us-east-1")
            mock.stop()
        """,
    )
    assert found == {(9, "SCP203", f"fixture 's3' starts mock 'mock' and never stops it: {STAYS}")}


@pytest.mark.parametrize("moto", [1, 4, 5])
def test_fresh_instances_balance_the_class_wide_counter(tmp_path: Path, moto: int) -> None:
    found = _lint(
        tmp_path,
        """
        import unittest

        from moto import mock_aws


        class TestIt(unittest.TestCase):
            def setUp(self):
                mock_aws().start()

            def tearDown(self):
                mock_aws().stop()

            def test_it(self):
                pass
        """,
        moto,
    )
    assert found == set()


def test_module_start_stopped_on_a_fresh_instance_is_balanced(tmp_path: Path) -> None:
    source = """
        from moto import mock_aws

        mock_aws().start()


        def teardown_module():
            mock_aws().stop()


        def test_it():
            pass
        """
    assert _lint(tmp_path, source) == set()


def test_unreferenced_start_with_no_stop_in_the_file(tmp_path: Path) -> None:
    found = _lint(
        tmp_path,
        """
        from moto import mock_aws


        def setup_function():
            mock_aws().start()


        def test_it():
            pass
        """,
    )
    assert found == {(5, "SCP203", f"mock started with no reference, and nothing in this file stops one: {STAYS}")}


def test_a_mock_handed_on_is_not_reported(tmp_path: Path) -> None:
    source = """
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def moto_mock():
            mock = mock_aws()
            mock.start()
            return mock


        def test_it(moto_mock):
            moto_mock.stop()
        """
    assert _lint(tmp_path, source) == set()


def test_double_stop_message(tmp_path: Path) -> None:
    found = _lint(
        tmp_path,
        """
        from moto import mock_aws


        def test_twice():
            m = mock_aws()
            m.start()
            m.stop()
            m.stop()
        """,
    )
    assert found == {(8, "SCP203", "this mock is stopped a second time: the stop raises RuntimeError")}


def test_decorated_fixture_messages(tmp_path: Path) -> None:
    found = _lint(
        tmp_path,
        """
        import boto3
        import pytest
        from moto import mock_aws


        @pytest.fixture
        @mock_aws
        def gen():
            yield boto3.client("s3", region_name="us-east-1")


        @pytest.fixture
        @mock_aws
        def plain():
            return boto3.client("s3", region_name="us-east-1")
        """,
    )
    assert found == {
        (7, "SCP202", "fixture 'gen' is decorated with @mock_aws: pytest gets a generator, the body never runs"),
        (
            13,
            "SCP202",
            "fixture 'plain' is decorated with @mock_aws: the mock ends when it returns, before the test runs",
        ),  # noqa: E501
    }


def test_class_hook_message_names_the_decorator(tmp_path: Path) -> None:
    found = _lint(
        tmp_path,
        """
        import boto3
        from moto import mock_aws


        @mock_aws
        class TestBuckets:
            @classmethod
            def setup_class(cls):
                cls.s3 = boto3.client("s3", region_name="us-east-1")
                cls.s3.create_bucket(Bucket="shared")

            def test_bucket(self):
                assert self.s3.list_buckets()["Buckets"]
        """,
    )
    assert found == {(8, "SCP204", "setup_class() talks to AWS unmocked: @mock_aws on TestBuckets (line 5) skips it")}


@pytest.mark.parametrize("moto", [4, 5])
def test_decorated_setup_message(tmp_path: Path, moto: int) -> None:
    found = _lint(
        tmp_path,
        """
        import unittest

        import boto3
        from moto import mock_aws


        class TestBucket(unittest.TestCase):
            @mock_aws
            def setUp(self):
                s3 = boto3.client("s3", region_name="us-east-1")
                s3.create_bucket(Bucket="setup-bucket")

            def test_bucket(self):
                pass
        """,
        moto,
    )
    assert found == {
        (8, "SCP205", "setUp() is decorated with @mock_aws: the mock ends when it returns, before the test")
    }


def test_decorated_setup_in_a_decorated_class_is_not_reported(tmp_path: Path) -> None:
    source = """
        import unittest

        import boto3
        from moto import mock_aws


        @mock_aws
        class TestBucket(unittest.TestCase):
            @mock_aws
            def setUp(self):
                s3 = boto3.client("s3", region_name="us-east-1")
                s3.create_bucket(Bucket="setup-bucket")

            def test_bucket(self):
                pass
        """
    assert {code for _, code, _ in _lint(tmp_path, source)} <= {"SCP301"}


def test_a_fixture_with_a_registered_stop_holds_its_mock_for_the_test(tmp_path: Path) -> None:
    """The model sees the finalizer-stopped mock as active: a client fixture set up before it is
    caught (pytest: NoCredentialsError in noenv), and a decorated test nests inside it."""
    source = """
        import boto3
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def aws(request):
            m = mock_aws()
            m.start()
            request.addfinalizer(m.stop)


        @pytest.fixture
        def early_client():
            return boto3.client("s3", region_name="us-east-1")


        def test_y(early_client, aws):
            early_client.list_buckets()


        @mock_aws
        def test_z(aws):
            pass
        """
    assert {(line, code) for line, code, _ in _lint(tmp_path, source)} == {(15, "SCP103"), (22, "SCP301")}
