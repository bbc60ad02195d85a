"""SCP105 async-client-in-mock: what its bad and good examples really do in CI (moto 5.2.5, botocore 1.44.5)."""

from __future__ import annotations

import re

from fixtures_demo.pitfalls.outcomes import ENVS, Outcome, Row

# CI environment -> the outcome of the bad example.
OUTCOMES = {
    env: Outcome(
        "FAILS: moto's in-process response is not awaitable for aiobotocore; the sync boto3 test beside it passes",
        {"test_async_bucket_is_created": "failed", "test_sync_bucket_is_created": "passed"},
        (re.escape("TypeError: object bytes can't be used in 'await' expression"),),
    )
    for env in ENVS
}
# Every test of the good example; each must pass in both environments.
GOOD_TESTS = (
    "test_server_client_works_under_the_mock",
    "test_server_client_without_a_mock",
    "test_sync_bucket_is_created",
)
# Its row in README.md's table (python -m scopecheck.docs_build writes the table).
TABLE = Row(
    bad_noenv=(
        "FAIL `TypeError: object bytes can't be used in 'await' expression` (aiobotocore 3.10; the sync boto3"
        " test beside it passes)"
    ),
    bad_fakeenv="same",
    good="pass: aiobotocore against a `ThreadedMotoServer`, also while `mock_aws` is active",
)
