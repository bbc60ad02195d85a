"""SCP301: a mock activated while another mock is already active for the same code."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.facts.model import FileFacts, FunctionFacts, MockActivation
from scopecheck.findings import Location, Severity
from scopecheck.model.suite import _overlaps
from scopecheck.rules.base import Context, Example, Hit, Rule


def _describe(activation: MockActivation) -> str:
    if activation.kind == "decorator":
        return f"@{activation.factory}"
    if activation.kind == "with":
        return f"`with {activation.factory}()`"
    return f"`{activation.key or activation.factory + '()'}.start()`"


def _message(ctx: Context, inner: MockActivation, outer: str) -> str:
    if ctx.moto_major >= 5:
        effect = (
            "on moto 5 this is redundant (the state is kept, only the outermost start resets), "
            "but on moto 4 it reset the backends and wiped the outer mock's data"
        )
    else:
        effect = "on moto < 5 this restarts the mock and wipes the data the outer mock created"
    return f"{_describe(inner)} is activated while {outer} is already active: {effect}; remove the inner mock"


def _local_outer(facts: FileFacts, fn: FunctionFacts, inner: MockActivation) -> str | None:
    """Which earlier activation of the same function (or its decorators) *inner* nests in."""
    candidates: list[tuple[MockActivation, str]] = [(d, f"the @{d.factory} decorator") for d in fn.mock_decorators]
    cls = next((c for c in facts.classes if c.name == fn.class_name), None)
    if cls is not None and fn.fixture is None and not (fn.is_classmethod or fn.is_staticmethod):
        candidates += [(d, f"the @{d.factory} decorator on class {cls.name}") for d in cls.mock_decorators]
    for act in fn.activations:
        if act is inner:
            break
        candidates.append((act, f"{_describe(act)} on line {act.loc.line}"))
    return next((label for act, label in candidates if _overlaps(act, inner)), None)


def check(ctx: Context) -> Iterator[Hit]:
    suite = ctx.suite
    seen: set[tuple[str, Location]] = set()

    def once(facts: FileFacts, inner: MockActivation, outer: str) -> Iterator[Hit]:
        key = (facts.path, inner.loc)
        if key not in seen and facts.path in ctx.targets:
            seen.add(key)
            yield Hit(facts, inner.loc, _message(ctx, inner, outer))

    for facts in ctx.target_files():
        for fn in facts.functions:
            for inner in fn.nested_activations:
                outer = _local_outer(facts, fn, inner)
                if outer:
                    yield from once(facts, inner, outer)
    for run in suite.tests():
        for inner, outer in run.nested:
            facts = inner.fixture.file if inner.fixture else run.file
            yield from once(facts, inner.activation, outer.owner)
    # Fixtures that nest a mock inside a mock fixture they request, used by no scanned test.
    for facts in ctx.target_files():
        for fn in facts.functions:
            holds = fn.holds_mock if fn.fixture else None
            if holds is None:
                continue
            layers = suite.layers_for(facts.path, fn.class_name)
            for dep in suite.setup_order(layers, [a for a in fn.args if a != fn.fixture.name]):
                dep_holds = dep.fn.holds_mock
                if dep.fn is not fn and dep_holds is not None and _overlaps(dep_holds, holds):
                    yield from once(facts, holds, dep.describe())
                    break


RULE = Rule(
    code="SCP301",
    name="nested-mock",
    severity=Severity.INFO,
    severity_moto4=Severity.ERROR,
    short="a mock activated while another one is active",
    summary=(
        "A mock is activated while another one is already active for that code: through a "
        "fixture, an autouse fixture, a class decorator or an enclosing `with`."
    ),
    why=(
        "moto 5 counts active mocks in one class-wide counter and resets its backends only when "
        "the count goes from 0 to 1, so an inner `mock_aws` is redundant: the fixture's buckets are "
        "still there (measured on moto 5.2.5). moto 4 reset the backends on every start, so the "
        "inner mock wiped what the outer one had created (`assert [] == ['fixture-bucket']` on "
        '4.2.14). This is the warning of the popular article that a second mock "starts a new mock '
        'session": true on moto 4, false on moto 5. Different moto<5 services (`@mock_s3` over '
        "`@mock_sqs`) do not nest."
    ),
    instead="Activate the mock once: drop the decorator when a fixture already holds the mock.",
    versions="moto >= 5: info (redundant). moto < 5: error (wipes state).",
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
            }
        ),
        Example.of(
            """
            from moto import mock_s3


            @mock_s3
            def test_nested_same_service():
                with mock_s3():  # expect: SCP301
                    pass
            """,
            target_moto=4,
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
            from moto import mock_s3, mock_sqs


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
    ),
)
