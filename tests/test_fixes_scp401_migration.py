"""SCP401 --fix as a migration: whole outputs for the shapes real moto-4 suites have.

Each case runs --fix twice (the helper checks the output parses and the second run changes
nothing). The import-order cases also check that ruff's isort rules pass before and after.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_fixes import fixed, run, src


def _isort_clean(path: Path) -> bool:
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", "--select", "I", str(path)],
        capture_output=True,
        text=True,
    )
    return proc.returncode == 0


def test_stacked_simple_mocks_merge_into_one_config(tmp_path: Path) -> None:
    # moto 5 applies the innermost mock's whole config: two stacked configured mocks would lose
    # the outer one's batch setting, so the configs are merged into one mock.
    text, _ = fixed(
        tmp_path,
        """
        from moto import mock_batch_simple, mock_lambda_simple, mock_s3


        @mock_s3
        @mock_batch_simple
        @mock_lambda_simple
        def test_jobs():
            pass


        def test_jobs_in_with():
            with mock_batch_simple(), mock_s3(), mock_lambda_simple():
                pass
        """,
    )
    assert text == src(
        """
        from moto import mock_aws


        @mock_aws(config={"batch": {"use_docker": False}, "lambda": {"use_docker": False}})
        def test_jobs():
            pass


        def test_jobs_in_with():
            with mock_aws(config={"batch": {"use_docker": False}, "lambda": {"use_docker": False}}):
                pass
        """
    )


def test_a_configured_mock_aws_keeps_its_config_and_gains_the_simple_one(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        from moto import mock_aws, mock_batch_simple


        @mock_aws(config={"iam": {"load_aws_managed_policies": True}})
        @mock_batch_simple
        def test_jobs():
            pass
        """,
    )
    assert text == src(
        """
        from moto import mock_aws


        @mock_aws(config={"iam": {"load_aws_managed_policies": True}, "batch": {"use_docker": False}})
        def test_jobs():
            pass
        """
    )


def test_configs_that_cannot_be_merged_for_certain_stay_stacked(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        from moto import mock_aws, mock_batch_simple

        CONFIG = {"iam": {"load_aws_managed_policies": True}}


        @mock_aws(config=CONFIG)
        @mock_batch_simple
        def test_jobs():
            pass
        """,
    )
    assert text == src(
        """
        from moto import mock_aws

        CONFIG = {"iam": {"load_aws_managed_policies": True}}


        @mock_aws(config=CONFIG)
        @mock_aws(config={"batch": {"use_docker": False}})
        def test_jobs():
            pass
        """
    )


def test_unittest_class_decorators_collapse(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        import unittest

        from moto import mock_s3, mock_sqs


        @mock_s3
        @mock_sqs
        class TestQueue(unittest.TestCase):
            def setUp(self):
                self.started = True

            def test_send(self):
                assert self.started
        """,
    )
    assert text == src(
        """
        import unittest

        from moto import mock_aws


        @mock_aws
        class TestQueue(unittest.TestCase):
            def setUp(self):
                self.started = True

            def test_send(self):
                assert self.started
        """
    )


def test_an_alias_left_unused_by_the_collapse_is_removed(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        from moto import mock_s3 as s3_mock, mock_sqs as sqs_mock


        @s3_mock
        @sqs_mock
        def test_a():
            pass
        """,
    )
    assert text == src(
        """
        from moto import mock_aws as s3_mock


        @s3_mock
        def test_a():
            pass
        """
    )


def test_an_alias_still_used_elsewhere_is_kept(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        from moto import mock_s3 as s3_mock, mock_sqs as sqs_mock


        @s3_mock
        @sqs_mock
        def test_a():
            pass


        def test_b():
            with sqs_mock():
                pass
        """,
    )
    assert text == src(
        """
        from moto import mock_aws as s3_mock, mock_aws as sqs_mock


        @s3_mock
        def test_a():
            pass


        def test_b():
            with sqs_mock():
                pass
        """
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            """
            import boto3
            from moto.core import DEFAULT_ACCOUNT_ID
            from moto.s3 import mock_s3
            """,
            """
            import boto3
            from moto import mock_aws
            from moto.core import DEFAULT_ACCOUNT_ID
            """,
        ),
        (
            """
            import boto3
            from moto import mock_s3, mock_xray_client, settings
            from moto.core import DEFAULT_ACCOUNT_ID
            """,
            """
            import boto3
            from moto import mock_aws, settings
            from moto.core import DEFAULT_ACCOUNT_ID
            from moto.xray import mock_xray_client
            """,
        ),
        (
            """
            import boto3
            from moto import settings
            from moto.core import DEFAULT_ACCOUNT_ID
            from moto.s3 import mock_s3
            """,
            """
            import boto3
            from moto import mock_aws, settings
            from moto.core import DEFAULT_ACCOUNT_ID
            """,
        ),
    ],
    ids=["service-module", "xray-moves", "joins-from-moto"],
)
def test_sorted_imports_stay_sorted(tmp_path: Path, before: str, after: str) -> None:
    extra = "settings, mock_xray_client" if "xray" in before else "settings" if "settings" in before else "0"
    tail = f"\n\n@mock_s3\ndef test_a():\n    print(DEFAULT_ACCOUNT_ID, boto3, {extra})\n"
    source = src(before) + tail
    (tmp_path / "before.py").write_text(source)
    assert _isort_clean(tmp_path / "before.py")
    text, _ = fixed(tmp_path, source)
    assert text == src(after) + tail.replace("@mock_s3", "@mock_aws")
    assert _isort_clean(tmp_path / "test_it.py")


def test_an_unsorted_block_is_left_in_its_order(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        from moto.sqs import mock_sqs
        import boto3
        from moto.core import DEFAULT_ACCOUNT_ID


        @mock_sqs
        def test_a():
            print(boto3, DEFAULT_ACCOUNT_ID)
        """,
    )
    assert text == src(
        """
        from moto import mock_aws
        import boto3
        from moto.core import DEFAULT_ACCOUNT_ID


        @mock_aws
        def test_a():
            print(boto3, DEFAULT_ACCOUNT_ID)
        """
    )


def test_a_compatibility_shim_file_is_left_alone(tmp_path: Path) -> None:
    source = """
        try:
            from moto import mock_aws
        except ImportError:  # moto < 5
            from moto import mock_s3 as mock_aws
        from moto import mock_sqs


        @mock_aws
        def test_a():
            pass


        @mock_sqs
        def test_b():
            pass
        """
    text, outcome = fixed(tmp_path, source, "--show-fixes")
    assert text == src(source)
    assert "the file keeps a moto 4/5 compatibility shim" in outcome.err


def test_mock_all_becomes_mock_aws(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        from moto import mock_all


        @mock_all()
        def test_a():
            pass
        """,
    )
    assert text == src(
        """
        from moto import mock_aws


        @mock_aws()
        def test_a():
            pass
        """
    )


def test_the_fix_reports_what_it_did_per_file(tmp_path: Path) -> None:
    path = tmp_path / "test_it.py"
    path.write_text(src("from moto import mock_s3\n\n\n@mock_s3\ndef test_a():\n    pass\n"))
    outcome = run("--fix", "--show-fixes", str(path))
    assert "1 x SCP401 (removed-moto-api)" in outcome.err


def test_names_moto_5_moved_are_imported_from_their_new_module(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        from moto import XRaySegment, mock_s3
        from moto.core import DEFAULT_ACCOUNT_ID, BaseBackend, BaseModel


        class FakeBackend(BaseBackend):
            model = BaseModel


        @mock_s3
        def test_x():
            with XRaySegment():
                assert DEFAULT_ACCOUNT_ID
        """,
    )
    assert text == src(
        """
        from moto import mock_aws
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.core.base_backend import BaseBackend
        from moto.core.common_models import BaseModel
        from moto.xray import XRaySegment


        class FakeBackend(BaseBackend):
            model = BaseModel


        @mock_aws
        def test_x():
            with XRaySegment():
                assert DEFAULT_ACCOUNT_ID
        """
    )


def test_moved_names_are_reported_per_destination(tmp_path: Path) -> None:
    path = tmp_path / "test_it.py"
    path.write_text("from moto.core import BackendDict, BaseBackend\nfrom moto.core import BaseModel, BaseBackend\n")
    outcome = run("--no-cache", "--target-moto-version", "5", str(path))
    assert outcome.out.splitlines() == [
        f"{path}:1:1: SCP401 BackendDict, BaseBackend moved to moto.core.base_backend in moto 5"
        " (`ImportError` from moto.core)",
        f"{path}:2:1: SCP401 BaseModel, BaseBackend moved out of moto.core in moto 5 (`ImportError`)",
    ]


def test_nested_with_blocks_of_service_mocks_keep_the_outer_one(tmp_path: Path) -> None:
    # prefect-aws's ECS fixtures: moto 5 counts nested starts, so the inner blocks do nothing.
    text, _ = fixed(
        tmp_path,
        """
        import pytest
        from moto import mock_ec2, mock_ecs, mock_logs


        @pytest.fixture
        def ecs_mocks():
            with mock_ecs() as ecs:
                with mock_ec2():
                    with mock_logs():
                        yield ecs


        def test_commented():
            with mock_ecs():
                with mock_ec2():  # kept: the comment has nowhere to go
                    pass


        def test_more_after_the_inner_block():
            with mock_ecs():
                with mock_ec2():
                    pass
                print("still mocked")
        """,
    )
    assert text == src(
        """
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def ecs_mocks():
            with mock_aws() as ecs:
                yield ecs


        def test_commented():
            with mock_aws():
                with mock_aws():  # kept: the comment has nowhere to go
                    pass


        def test_more_after_the_inner_block():
            with mock_aws():
                with mock_aws():
                    pass
                print("still mocked")
        """
    )
