"""SCP401: the per-service moto<5 mocks (``mock_s3``, ``mock_sqs``...) that moto 5 removed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from scopecheck.facts.model import FileFacts, LegacyApiUse
from scopecheck.facts.names import BOTO2_SUFFIX, MOVED_IN_MOTO5
from scopecheck.findings import Severity
from scopecheck.rules.base import Context, Example, Hit, Rule

# Renamed in moto 4.0 (moto 3.1.18 exports them, 4.0.0 does not), with their moto 4 names.
REMOVED_IN_MOTO4 = {"mock_dynamodb2": "mock_dynamodb", "mock_rds2": "mock_rds"}


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:2])
    return shown + (f" +{len(names) - 2}" if len(names) > 2 else "")


# name -> (the module moto 4 had it in, the module moto 5 has it in)
MOVED = {name: (module, dest) for (module, name), dest in MOVED_IN_MOTO5.items()}


def _in_shim(facts: FileFacts, use: LegacyApiUse) -> bool:
    return any(first <= use.loc.line <= last for first, last in facts.import_shims)


def _boto2_message(ctx: Context, use: LegacyApiUse, names: list[str]) -> str:
    """``mock_<service>_deprecated`` mocked boto2; mock_aws does not, so it is no replacement."""
    subject = f"{_names(names)} (boto2 {'mock' if len(names) == 1 else 'mocks'})"
    if ctx.moto_major < 3:
        return f"{subject}: removed in moto 3 with boto2 support; these tests need boto3"
    error = "ImportError" if use.is_import else "AttributeError"
    return f"{subject}: removed in moto 3, `{error}`; these tests need boto3"


def _message(ctx: Context, facts: FileFacts, use: LegacyApiUse) -> str:
    error = "`ImportError` at collection" if use.is_import else "`AttributeError`"
    if ctx.moto_major >= 5:
        if use.is_import and any(a <= use.loc.line <= b for a, b in facts.import_guards):
            return f"{_names(use.names)}: moto<5 API; its `ImportError` on moto 5 is caught here; use mock_aws"
        return f"{_names(use.names)}: moto<5 API, {error} on moto 5; use mock_aws"
    # moto 4.0 already removed the two renamed mocks: an error on the targeted version too.
    renamed = [n for n in use.names if n in REMOVED_IN_MOTO4]
    if renamed and ctx.moto_major >= 4:
        return f"{_names(renamed)}: removed in moto 4, {error}; use {REMOVED_IN_MOTO4[renamed[0]]}"
    if renamed:
        return f"{_names(renamed)}: renamed {REMOVED_IN_MOTO4[renamed[0]]} in moto 4; moto 5 has mock_aws only"
    it = "it" if len(use.names) == 1 else "them"
    return f"{_names(use.names)}: removed in moto 5, where mock_aws replaces {it}"


def _moved(facts: FileFacts, use: LegacyApiUse) -> Hit:
    module = MOVED[use.names[0]][0]
    dests = sorted({MOVED[n][1] for n in use.names})
    if len(dests) == 1:
        message = f"{_names(use.names)} moved to {dests[0]} in moto 5 (`ImportError` from {module})"
    else:
        message = f"{_names(use.names)} moved out of {module} in moto 5 (`ImportError`)"
    return Hit(facts, use.loc, message, fix=f"import from {' / '.join(dests)}")


def _finding(ctx: Context, facts: FileFacts, use: LegacyApiUse) -> Hit:
    """The one finding of a legacy import or use: moved names, boto2 mocks, or removed mocks."""
    moved = [n for n in use.names if n in MOVED] if use.is_import else []
    if moved and len(moved) == len(use.names):
        return _moved(facts, use)
    if moved:  # mocks and moved names in one import: the fix does both, the message the mocks
        use = replace(use, names=[n for n in use.names if n not in MOVED])
    boto2 = [n for n in use.names if n.endswith(BOTO2_SUFFIX)]
    if boto2:
        return Hit(facts, use.loc, _boto2_message(ctx, use, boto2))
    return Hit(facts, use.loc, _message(ctx, facts, use), fix="replace with mock_aws")


def check(ctx: Context) -> Iterator[Hit]:
    for facts in ctx.target_files():
        for use in facts.legacy_uses:
            if _in_shim(facts, use):
                continue  # try/except ImportError between the two APIs: works on both
            yield _finding(ctx, facts, use)


RULE = Rule(
    code="SCP401",
    name="removed-moto-api",
    severity=Severity.ERROR,
    severity_by_moto={range(1, 5): Severity.INFO},
    short="mock_s3, mock_sqs, ... removed in moto 5",
    summary=(
        "`mock_<service>` (anything but `mock_aws`) is imported or used from moto: the moto<5 API "
        "removed in moto 5.0. An import inside `try:` whose `except ImportError` falls back to "
        "`mock_aws` (or the reverse), or a branch of an `if` on a version whose other branch binds "
        "`mock_aws`, is a compatibility shim and is not reported. boto2's "
        "`mock_<service>_deprecated` mocks are reported as what they are. Names moto 5 moved "
        "(`mock_xray_client` and `XRaySegment` to `moto.xray`; `BaseBackend`, `BackendDict`, "
        "`SERVICE_BACKEND` to `moto.core.base_backend`; `BaseModel`, `CloudFormationModel`, "
        "`CloudWatchMetricProvider` to `moto.core.common_models`) are reported where they are "
        "imported from their moto 4 place."
    ),
    why=(
        "moto 5 replaced every per-service decorator with a single `mock_aws`. `from moto import "
        "mock_s3` raises `ImportError: cannot import name 'mock_s3' from 'moto'` while pytest "
        "collects the module, which interrupts the whole session (exit status 2, no test runs); "
        "`moto.mock_dynamodb` raises `AttributeError`. The `mock_<service>_deprecated` decorators "
        "mocked boto2 (moto 1.0 moved boto2 support to them); moto 3.0 removed them together with "
        'boto2 support (its changelog: "All deprecated decorators have been removed"; moto 2.3.2 '
        "still exports them, 3.0.0 does not). `mock_aws` does not mock boto2 either, so the fix "
        "there is to port those tests to boto3, not to rename the decorator."
    ),
    instead=(
        "`from moto import mock_aws` and `@mock_aws`; stacked service decorators collapse into one "
        "`@mock_aws`. A suite that must run on moto 4 and 5 can keep a shim: `try: from moto import "
        "mock_aws` / `except ImportError: from moto import mock_s3 as mock_aws`. boto2 tests: rewrite "
        "them with boto3 clients. A moved name: import it from its moto 5 module, which moto 4.2.14 "
        "has too."
    ),
    versions=(
        "moto >= 5: error. moto < 5: info (a migration hint; the API still exists there). The boto2 "
        "`*_deprecated` mocks are gone from moto 3.0 on, `mock_dynamodb2` and `mock_rds2` from moto 4.0 "
        "on (`mock_dynamodb`, `mock_rds`); the message says so for those targets (read from the "
        "wheels' `moto/__init__.py`: 1.3.16, 2.3.2, 3.0.0, 3.1.18, 4.0.0, 4.2.14)."
    ),
    fixer="scopecheck.fixes.scp401_mock_aws:MockAwsMigration",
    fix_safety=(
        "Safe: names are rewritten to `mock_aws`, aliases are kept, stacked decorators collapse into "
        "one; stacked configured mocks merge their literal `config=` dicts (moto 5 applies only the "
        "innermost mock's config). Moved names are imported from their moto 5 module. Never "
        "applied to a shim (it is not reported) or to boto2's `*_deprecated` mocks."
    ),
    check=check,
    bad=(
        Example.of(
            """
            import boto3
            from moto import mock_s3  # expect: SCP401


            @mock_s3
            def test_bucket():
                boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="b")
            """,
            fixed="""
            import boto3
            from moto import mock_aws  # expect: SCP401


            @mock_aws
            def test_bucket():
                boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="b")
            """,
        ),
        Example.of(
            """
            import moto


            @moto.mock_dynamodb  # expect: SCP401
            def test_table():
                pass
            """,
            fixed="""
            import moto


            @moto.mock_aws  # expect: SCP401
            def test_table():
                pass
            """,
        ),
        Example.of(
            """
            from moto import mock_xray_client  # expect: SCP401
            """,
            fixed="""
            # expect: SCP401
            from moto.xray import mock_xray_client
            """,
        ),
        Example.of(
            """
            from moto.core import DEFAULT_ACCOUNT_ID, BaseBackend  # expect: SCP401


            class FakeBackend(BaseBackend):
                account = DEFAULT_ACCOUNT_ID
            """,
            fixed="""
            from moto.core import DEFAULT_ACCOUNT_ID  # expect: SCP401
            from moto.core.base_backend import BaseBackend


            class FakeBackend(BaseBackend):
                account = DEFAULT_ACCOUNT_ID
            """,
        ),
        Example.of(
            """
            from moto import (  # expect: SCP401
                mock_sqs as sqs_mock,
                mock_sns,
            )


            def test_topics():
                with sqs_mock(), mock_sns():
                    pass
            """,
            fixed="""
            from moto import (  # expect: SCP401
                mock_aws as sqs_mock,
                mock_aws,
            )


            def test_topics():
                with sqs_mock():
                    pass
            """,
        ),
        Example.of(
            """
            import boto
            from moto import mock_s3_deprecated  # expect: SCP401


            @mock_s3_deprecated
            def test_boto2_bucket():
                boto.connect_s3().create_bucket("b")
            """,
            fixed={},
        ),
        Example.of(
            """
            try:
                from moto import mock_aws
            except ImportError:
                from moto import mock_s3 as mock_aws
            from moto import mock_sqs  # expect: SCP401


            @mock_sqs
            def test_shim_does_not_cover_other_imports():
                pass


            @mock_aws
            def test_shimmed():
                pass
            """,
            fixed={},
        ),
    ),
    good=(
        Example.of(
            """
            from moto import mock_aws


            @mock_aws
            def test_bucket():
                pass
            """
        ),
        Example.of(
            """
            from unittest import mock


            def mock_s3():
                return mock.MagicMock()


            def test_local_helper_named_like_moto():
                assert mock_s3() is not None
            """
        ),
        Example.of(
            '''
            """Migration notes: `mock_s3` was replaced by mock_aws in moto 5."""
            import moto

            OLD = "moto.mock_s3"


            @moto.mock_aws
            def test_new_api():
                pass
            '''
        ),
        Example.of(
            """
            from moto.core import DEFAULT_ACCOUNT_ID, patch_client
            from moto.core.base_backend import BaseBackend
            from moto.moto_api._internal import mock_random
            from moto.xray import XRaySegment, mock_xray_client


            @mock_xray_client
            def test_still_in_moto5():
                assert mock_random.get_random_hex() and XRaySegment and BaseBackend
                assert patch_client and DEFAULT_ACCOUNT_ID
            """
        ),
        Example.of(
            """
            try:
                from moto import mock_aws
            except ImportError:  # moto < 5
                from moto import mock_s3 as mock_aws


            @mock_aws
            def test_runs_on_moto4_and_moto5():
                pass
            """
        ),
        Example.of(
            """
            import moto

            try:
                from moto import mock_dynamodb, mock_s3
            except ImportError:
                mock_dynamodb = mock_s3 = moto.mock_aws


            @mock_s3
            def test_reverse_shim():
                pass
            """
        ),
    ),
)
