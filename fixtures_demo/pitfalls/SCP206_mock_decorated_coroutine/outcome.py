"""SCP206 mock-decorated-coroutine: what its bad and good examples really do in CI (moto 5.2.5, botocore 1.44.5)."""

from __future__ import annotations

import re

from fixtures_demo.pitfalls.outcomes import ENVS, Outcome, Row

# CI environment -> the outcome of the bad example.
OUTCOMES = {
    env: Outcome(
        "FAILS, and PASSES WITHOUT RUNNING: the pytest test is not run as async; the "
        "IsolatedAsyncioTestCase methods pass although their bodies raise",
        {
            "test_bucket_is_created": "failed",
            "test_queue_body_never_runs": "passed",
            "test_table_body_never_runs": "passed",
        },
        (re.escape("async def functions are not natively supported"),),
    )
    for env in ENVS
}
# Every test of the good example; each must pass in both environments.
GOOD_TESTS = (
    "test_bucket_is_created",
    "test_queue_is_created_under_a_fixture_mock",
    "test_table_list_is_empty",
    "test_sync_test_keeps_its_decorator",
)
# Its row in README.md's table (python -m scopecheck.docs_build writes the table).
TABLE = Row(
    bad_noenv=(
        "pytest-asyncio test FAILS `async def functions are not natively supported` (pytest 8.3.5 + "
        "pytest-asyncio 1.3.0: skipped, exit 0); `IsolatedAsyncioTestCase` methods whose bodies raise **pass "
        "without running**"
    ),
    bad_fakeenv="same",
    good="pass: `with mock_aws():` inside the coroutine",
)
