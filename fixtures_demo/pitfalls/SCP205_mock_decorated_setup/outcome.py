"""SCP205 mock-decorated-setup: what its bad and good examples really do in CI (moto 5.2.5, botocore 1.44.5)."""

from __future__ import annotations

import re

from fixtures_demo.pitfalls.outcomes import ENVS, Outcome, Row

# CI environment -> the outcome of the bad example.
OUTCOMES = {
    env: Outcome(
        "FAILS and ESCAPES: setUp's mock ended before the test; its bucket is gone, its "
        "client signs with FOOBARKEY and leaves moto toward https://s3.amazonaws.com/",
        {
            "test_decorated_test_sees_the_setup_bucket": "failed",
            "test_plain_test_sees_the_setup_bucket": "failed",
        },
        (
            re.escape("AssertionError: Lists differ: [] != ['setup-bucket']"),
            re.escape('EndpointConnectionError: Could not connect to the endpoint URL: "https://s3.amazonaws.com/"'),
        ),
        escapes_to="s3.amazonaws.com",
    )
    for env in ENVS
}
# Every test of the good example; each must pass in both environments.
GOOD_TESTS = ("test_decorated_test_sees_the_setup_bucket", "test_plain_test_sees_the_setup_bucket")
# Its row in README.md's table (python -m scopecheck.docs_build writes the table).
TABLE = Row(
    bad_noenv=(
        "decorated test FAILS `AssertionError: Lists differ: [] != ['setup-bucket']`; plain test **escapes** "
        '(signed with `FOOBARKEY`): `EndpointConnectionError ... "https://s3.amazonaws.com/"` (same on moto '
        "4.2.14 and 1.3.16)"
    ),
    bad_fakeenv="same",
    good="pass",
)
