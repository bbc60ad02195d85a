"""SCP301: a mock activated while another mock is already active for the same code."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from scopecheck.facts.interpret import flow_of
from scopecheck.facts.model import FileFacts, MockActivation
from scopecheck.findings import Location, Severity
from scopecheck.model.suite import Nesting
from scopecheck.rules.base import Context, Example, Hit, Rule


def _describe(activation: MockActivation) -> str:
    if activation.kind == "decorator":
        return f"@{activation.factory}"
    if activation.kind == "with":
        return f"`with {activation.factory}()`"
    return f"`{activation.key or activation.factory + '()'}.start()`"


@dataclass
class _Outer:
    """The mock that was already active: what it is, and every inner mock started under it."""

    label: str  # "fixture 's3' (tests/conftest.py:12)", "@mock_aws at test_x.py:3"
    activation: MockActivation
    created_data: bool  # a fixture known to write to AWS under its mock before the tests run
    inners: list[tuple[FileFacts, MockActivation]] = field(default_factory=list)


def _where(ctx: Context, path: str, line: int) -> str:
    rel = os.path.relpath(path, ctx.suite.root)
    return f"{os.path.basename(path) if rel.startswith('..') else rel}:{line}"


def _outer(ctx: Context, nesting: Nesting) -> _Outer:
    act, fdef = nesting.outer, nesting.outer_fixture
    if fdef is None:
        return _Outer(f"{_describe(act)} at {_where(ctx, nesting.outer_path, act.loc.line)}", act, False)
    kind = "autouse fixture" if fdef.autouse else "fixture"
    label = f"{kind} '{fdef.name}' ({_where(ctx, fdef.file.path, act.loc.line)})"
    return _Outer(label, act, flow_of(fdef.fn).writes_under_mock)


def _harmless(ctx: Context, inner: MockActivation) -> bool:
    """On moto 5 a configured inner mock is not redundant: its config= applies when it starts."""
    return ctx.moto_major >= 5 and inner.has_config


def _message(ctx: Context, outer: _Outer, inner: MockActivation, more: int) -> str:
    tail = f"; +{more} more" if more else ""
    if ctx.moto_major >= 5:
        if outer.activation.has_config and not inner.has_config and inner.kind == "decorator":
            # The decorator's instance copied moto's default config when the module was imported.
            return f"{_describe(inner)} resets config= of {outer.label} to defaults{tail}"
        return f"{_describe(inner)} is redundant under {outer.label}{tail}"
    effect = "wipes the data it created" if outer.created_data else "can wipe its data"
    return f"{_describe(inner)} under {outer.label} {effect}{tail}"


def check(ctx: Context) -> Iterator[Hit]:
    outers: dict[tuple[str, Location], _Outer] = {}
    seen: set[tuple[str, Location]] = set()
    for nesting in ctx.suite.nestings():
        facts, inner = nesting.inner_file, nesting.inner
        if (facts.path, inner.loc) in seen or not ctx.is_target(facts) or _harmless(ctx, inner):
            continue
        seen.add((facts.path, inner.loc))
        key = (nesting.outer_path, nesting.outer.loc)
        if key not in outers:
            outers[key] = _outer(ctx, nesting)
        outers[key].inners.append((facts, inner))
    # One cause, one finding: every inner mock under one outer mock is reported once, at the
    # first of them in path order, with how many more there are.
    for group in outers.values():
        inners = sorted(group.inners, key=lambda pair: (pair[0].path, pair[1].loc.line, pair[1].loc.column))
        facts, first = inners[0]
        yield Hit(facts, first.loc, _message(ctx, group, first, len(inners) - 1))


RULE = Rule(
    code="SCP301",
    name="nested-mock",
    severity=Severity.INFO,
    severity_by_moto={range(1, 5): Severity.ERROR},
    opt_in_from_moto=5,
    short="a mock activated while another one is active",
    summary=(
        "A mock is activated while another one is already active for that code: through a "
        "fixture, an autouse fixture, a class decorator or an enclosing `with`. Every inner mock "
        "under one outer mock is one finding, at the first of them, with how many more there are."
    ),
    why=(
        "moto 5 counts active mocks in one class-wide counter and resets its backends only when "
        "the count goes from 0 to 1, so an inner plain `mock_aws` is redundant: the fixture's buckets are "
        "still there (measured on moto 5.2.5). That is harmless, so on moto 5 the rule is off unless "
        "selected. Two shapes are not redundant there: an inner `mock_aws(config=...)` applies its "
        "config when it starts (an autouse `with mock_aws(): yield` plus "
        '`@mock_aws(config={"iam": {"load_aws_managed_policies": True}})` sees the managed policies; it is '
        "never reported), and a plain `@mock_aws` decorator under a mock started with `config=` "
        "puts moto's default config back (the decorator copied the defaults when the module was "
        "imported): a `service_whitelist` of the fixture stops applying. moto < 5 reset the backends "
        "on every start, so a nested same-service mock wiped what the outer one had created "
        "(`assert [] == ['fixture-bucket']` on 4.2.14, and the same on 1.3.16): the message says it "
        "wipes when the outer fixture is seen creating data (`create_*`, `put_*`, ...), else that it "
        "can. Different moto<5 services (`@mock_s3` over `@mock_sqs`) do not nest."
    ),
    instead=(
        "Activate the mock once: drop the inner decorator or `with` when a fixture already holds the "
        "mock (keep it when it passes `config=`)."
    ),
    versions=(
        "moto >= 5: info, off by default (redundant; `--extend-select SCP301` turns it on). "
        "moto < 5: error, on by default (wipes state)."
    ),
    check=check,
    bad=(
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def s3():
                with mock_aws():
                    yield boto3.client("s3", region_name="us-east-1")


            @mock_aws  # expect: SCP301
            def test_bucket(s3):
                s3.create_bucket(Bucket="b")
            """
        ),
        Example.suite(
            {
                "conftest.py": """
                import pytest
                from moto import mock_aws


                @pytest.fixture(autouse=True)
                def moto_everywhere():
                    with mock_aws():
                        yield
                """,
                "test_inner.py": """
                import moto


                def test_inner_with():
                    with moto.mock_aws():  # expect: SCP301
                        pass
                """,
                "test_more.py": """
                from moto import mock_aws


                @mock_aws
                def test_decorated_too():
                    pass


                @mock_aws
                def test_and_again():
                    pass
                """,
            }
        ),
        Example.of(
            """
            from moto import mock_s3  # expect: SCP401


            @mock_s3
            def test_nested_same_service():
                with mock_s3():  # expect: SCP301
                    pass
            """,
            target_moto=4,
        ),
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_s3  # expect: SCP401


            @pytest.fixture
            def s3():
                with mock_s3():
                    client = boto3.client("s3", region_name="us-east-1")
                    client.create_bucket(Bucket="fixture-bucket")
                    yield client


            @mock_s3  # expect: SCP301
            def test_bucket_is_gone(s3):
                assert s3.list_buckets()["Buckets"] == []
            """,
            target_moto=4,
        ),
        Example.of(
            """
            import pytest
            from moto import mock_aws


            @pytest.fixture(autouse=True)
            def only_s3():
                with mock_aws(config={"core": {"service_whitelist": ["s3"]}}):
                    yield


            @mock_aws  # expect: SCP301
            def test_whitelist_is_gone():
                pass
            """
        ),
    ),
    good=(
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def s3():
                with mock_aws():
                    yield boto3.client("s3", region_name="us-east-1")


            def test_bucket(s3):
                s3.create_bucket(Bucket="b")
            """
        ),
        Example.of(
            """
            from moto import mock_s3, mock_sqs  # noqa: SCP401 (a moto 4 suite)


            @mock_s3
            @mock_sqs
            def test_two_services_on_moto4():
                pass
            """,
            target_moto=4,
        ),
        Example.of(
            """
            from moto import mock_aws


            def test_one_after_another():
                with mock_aws():
                    pass
                with mock_aws():
                    pass
            """
        ),
        Example.suite(
            {
                "conftest.py": """
                import pytest
                from moto import mock_aws


                @pytest.fixture(autouse=True)
                def moto_everywhere():
                    with mock_aws():
                        yield
                """,
                "test_policies.py": """
                import boto3
                from moto import mock_aws


                @mock_aws(config={"iam": {"load_aws_managed_policies": True}})
                def test_sees_aws_managed_policies():
                    iam = boto3.client("iam", region_name="us-east-1")
                    assert iam.list_policies(Scope="AWS")["Policies"]
                """,
            }
        ),
    ),
)
