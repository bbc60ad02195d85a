"""SCP401: the per-service moto<5 mocks (``mock_s3``, ``mock_sqs``...) that moto 5 removed."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.findings import Severity
from scopecheck.rules.base import Context, Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    for facts in ctx.target_files():
        for use in facts.legacy_uses:
            if use.names == ["mock_xray_client"]:
                yield Hit(
                    facts,
                    use.loc,
                    "mock_xray_client is no longer exported by the top-level moto package in moto 5 "
                    "(`ImportError` at collection); import it from moto.xray",
                    fix="import mock_xray_client from moto.xray",
                )
                continue
            names = ", ".join(use.names)
            it = "it" if len(use.names) == 1 else "them"
            if ctx.moto_major >= 5:
                effect = (
                    f"moto 5 removed {it}: `ImportError` at collection, so no test in the run executes"
                    if use.is_import
                    else f"moto 5 removed {it}: `AttributeError: module 'moto' has no attribute`"
                )
            else:
                effect = f"moto 5 removes {it}; migrate before upgrading"
            yield Hit(
                facts,
                use.loc,
                f"{names} {'is' if len(use.names) == 1 else 'are'} the moto<5 per-service API; {effect}; "
                "use mock_aws (one @mock_aws "
                "replaces stacked service decorators)",
                fix="replace with mock_aws",
            )


RULE = Rule(
    code="SCP401",
    name="removed-moto-api",
    severity=Severity.ERROR,
    severity_moto4=Severity.INFO,
    short="mock_s3, mock_sqs, ... removed in moto 5",
    summary=(
        "`mock_<service>` (anything but `mock_aws`) is imported or used from moto: the moto<5 API removed in moto 5.0."
    ),
    why=(
        "moto 5 replaced every per-service decorator with a single `mock_aws`. `from moto import "
        "mock_s3` raises `ImportError: cannot import name 'mock_s3' from 'moto'` while pytest "
        "collects the module, which interrupts the whole session (exit status 2, no test runs); "
        "`moto.mock_dynamodb` raises `AttributeError`."
    ),
    instead="`from moto import mock_aws` and `@mock_aws`; stacked service decorators collapse into one `@mock_aws`.",
    versions="moto >= 5: error. moto < 5: info (a migration hint; the API still exists there).",
    check=check,
    fix_safety="Safe: names are rewritten to `mock_aws`, aliases are kept, stacked decorators collapse into one.",
    bad=(
        Example.of(
            """
            import boto3
            from moto import mock_s3  # expect: SCP401


            @mock_s3
            def test_bucket():
                boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="b")
            """
        ),
        Example.of(
            """
            import moto


            @moto.mock_dynamodb  # expect: SCP401
            def test_table():
                pass
            """
        ),
        Example.of(
            """
            from moto import mock_xray_client  # expect: SCP401
            """
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
            """
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
            from moto.moto_api._internal import mock_random
            from moto.xray import mock_xray_client


            @mock_xray_client
            def test_still_in_moto5():
                assert mock_random.get_random_hex()
            """
        ),
    ),
)
