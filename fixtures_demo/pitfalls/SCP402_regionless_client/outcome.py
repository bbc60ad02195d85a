"""SCP402 regionless-client: what its bad and good examples really do in CI (moto 5.2.5, botocore 1.44.5)."""

from __future__ import annotations

import re

from fixtures_demo.pitfalls.outcomes import FAKEENV, NOENV, Outcome, Row, passes

# CI environment -> the outcome of the bad example.
OUTCOMES = {
    NOENV: Outcome(
        "FAILS: moto sets credentials, never a region; a region fixture covers only its users",
        {
            "test_jobs_queue_is_created": "failed",
            "test_events_queue_is_created": "failed",
            "test_with_the_region_fixture_passes": "passed",
        },
        (re.escape("NoRegionError: You must specify a region."),),
    ),
    FAKEENV: passes(
        "test_jobs_queue_is_created",
        "test_events_queue_is_created",
        "test_with_the_region_fixture_passes",
        summary="passes (AWS_DEFAULT_REGION hides the bug)",
    ),
}
# Every test of the good example; each must pass in both environments.
GOOD_TESTS = ("test_jobs_queue_is_created",)
# Its row in README.md's table (python -m scopecheck.docs_build writes the table).
TABLE = Row(
    bad_noenv=(
        "FAIL `NoRegionError: You must specify a region.`, also in a test that does not request the region "
        "fixture (the one that does passes)"
    ),
    bad_fakeenv="pass (environment-dependent)",
    good="pass",
)
