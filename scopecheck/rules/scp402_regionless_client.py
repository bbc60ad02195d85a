"""SCP402: a regional client created with no region while the suite sets no default region."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from scopecheck.facts.model import ClientCall, FileFacts, FunctionFacts
from scopecheck.findings import Severity
from scopecheck.model.regions import RegionCoverage, needs_region
from scopecheck.rules.base import Context, Hit, Rule
from scopecheck.rules.scp402_examples import BAD, GOOD


def _message(client: ClientCall, gap: str, sdk: str = "boto3") -> str:
    what = f"{sdk} {client.kind} for '{client.service}'{' (partial)' if client.deferred else ''} has no region"
    if gap == "at import":
        return f"{what}, built at import: NoRegionError at collection"
    if gap:
        return f"{what}; {gap}"
    return f"{what} and nothing sets AWS_DEFAULT_REGION for it"


def reports_at_import(ctx: Context, facts: FileFacts, client: ClientCall) -> bool:
    """Whether this rule reports *client*, built at import time: SCP101 then leaves it alone (one
    cause, one finding: the client is never built, so nothing else about it matters)."""
    if ctx.ini_sets_region or not needs_region(client, facts) or not ctx.suite.uses_moto(facts):
        return False
    return RegionCoverage(ctx.suite, facts).gap(client, None) is not None


def _served_async_clients(ctx: Context, facts: FileFacts) -> Iterator[tuple[FunctionFacts, ClientCall]]:
    """aiobotocore clients with an ``endpoint_url`` (a moto server's: SCP105 has those under the
    in-process mock) and no region, in a file whose suite starts moto's server. Their context
    raises NoRegionError when entered, inside the test (measured: aiobotocore 2.25 and 3.10)."""
    if not any(c.has_endpoint and not c.has_region for fn in facts.functions for c in fn.async_clients):
        return
    if not any(layer.file.moto_server for layer in ctx.suite.layers_for(facts.path, None)):
        return
    for fn in facts.functions:
        for client in fn.async_clients:
            if client.has_endpoint and needs_region(client, facts):
                yield fn, client


def check(ctx: Context) -> Iterator[Hit]:
    suite = ctx.suite
    if ctx.ini_sets_region:
        return
    for facts in ctx.target_files():
        served = list(_served_async_clients(ctx, facts))
        if served:
            coverage = RegionCoverage(ctx.suite, facts)
            for fn, client in served:
                # Served by moto (its server) wherever it runs: judged as a client under a mock.
                gap = coverage.gap(dataclasses.replace(client, mocked_locally=True), fn)
                if gap is not None:
                    yield Hit(facts, client.loc, _message(client, gap, "aiobotocore"))
        regional = [c for c in facts.all_clients if needs_region(c, facts)]
        if not regional or not suite.uses_moto(facts):
            continue
        coverage = RegionCoverage(ctx.suite, facts)
        owner = {id(c): fn for fn in facts.functions for c in fn.clients}
        for client in regional:
            if client.deferred:  # called who knows where: only a suite that never sets it is reported
                gap = None if coverage.anywhere() else ""
            else:
                gap = coverage.gap(client, owner.get(id(client)))
            if gap is not None:
                yield Hit(facts, client.loc, _message(client, gap))


RULE = Rule(
    code="SCP402",
    name="regionless-client",
    severity=Severity.WARNING,
    short="a regional client with no region while nothing sets AWS_DEFAULT_REGION",
    summary=(
        "A client for a regional service (anything but the 21 services botocore builds without a "
        "region: s3, iam, sts, route53, cloudfront, organizations, ...) is created without "
        "`region_name` (argument, `Config(region_name=...)`, its Session, or the arguments of "
        "`functools.partial(boto3.client, ...)`) where nothing sets `AWS_DEFAULT_REGION` for it: "
        "not the test configuration (pytest-env `env` settings, tox `setenv`, a GitHub Actions "
        "workflow's `env`), not module-level code of the file or its conftest.py files, not a "
        "fixture the test uses or an autouse one, not a setup hook of its class. Clients that never "
        "run under moto (a real-AWS test takes the region from the developer's profile), calls that "
        "are a `TypeError` (`region=`), and calls inside `try: ... except NoRegionError:` are not "
        "reported. aiobotocore / aioboto3 clients with an `endpoint_url`, in a suite that starts "
        "moto's server (`ThreadedMotoServer`), are checked the same way: they raise `NoRegionError` "
        "when entered (`async with`), not at import (measured, aiobotocore 2.25 and 3.10)."
    ),
    why=(
        "moto supplies fake credentials but never a region. botocore raises `NoRegionError: You "
        "must specify a region.` when the client is built and neither the call nor "
        "`AWS_DEFAULT_REGION` nor `~/.aws/config` gives one (measured with moto 1.3.16, 4.2.14 and "
        "5.2.5): the test passes on a laptop with a configured profile and fails on a clean CI "
        "runner. A client built at import fails during collection, which interrupts the whole "
        "session. `AWS_REGION` is not read by boto3 (botocore 1.37 to 1.44: still NoRegionError), "
        "`passenv = AWS_DEFAULT_REGION` in tox.ini only passes on a variable CI does not have, and a "
        "fixture that sets the region helps only the tests that use it."
    ),
    instead="Pass `region_name=`, or set `AWS_DEFAULT_REGION` for the whole suite: an autouse "
    'conftest fixture using `monkeypatch.setenv`, or pytest-env (`env = ["D:AWS_DEFAULT_REGION=us-east-1"]` '
    "in `[tool.pytest.ini_options]`).",
    versions="All moto versions (1.x to 5.x): moto never sets a region.",
    check=check,
    bad=BAD,
    good=GOOD,
)
