"""SCP301 nested-mock: what its bad and good examples really do in CI (moto 5.2.5, botocore 1.44.5)."""

from __future__ import annotations

import re

from fixtures_demo.pitfalls.outcomes import ENVS, Outcome, Row

# CI environment -> the outcome of the bad example.
OUTCOMES = {
    env: Outcome(
        "state survives the inner mock (moto 4 wiped it); an inner plain @mock_aws drops the "
        "outer mock's config= (the service whitelist no longer applies)",
        {
            "test_fixture_bucket_survives_the_inner_mock": "passed",
            "test_sqs_is_still_refused": "failed",
        },
        (re.escape("DID NOT RAISE"),),
    )
    for env in ENVS
}
# Every test of the good example; each must pass in both environments.
GOOD_TESTS = ("test_fixture_bucket_survives", "test_configured_inner_mock_loads_managed_policies")
# Its row in README.md's table (python -m scopecheck.docs_build writes the table).
TABLE = Row(
    bad_noenv=(
        "pass, the fixture's bucket survives (moto 4.2.14: FAIL `assert [] == ['fixture-bucket']`); a plain "
        "`@mock_aws` under a `config=` mock FAILS `DID NOT RAISE` (the whitelist is reset)"
    ),
    bad_fakeenv="same",
    good=(
        "pass; a configured inner `@mock_aws(config=...)` under an autouse mock takes effect (managed policies loaded)"
    ),
)
