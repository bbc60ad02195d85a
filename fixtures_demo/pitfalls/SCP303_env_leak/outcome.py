"""SCP303 env-leak: what its bad and good examples really do in CI (moto 5.2.5, botocore 1.44.5)."""

from __future__ import annotations

import re

from fixtures_demo.pitfalls.outcomes import ENVS, Outcome, Row

# CI environment -> the outcome of the bad example.
OUTCOMES = {
    env: Outcome(
        "LEAKS: the fixture's AWS_PROFILE stays; a later @mock_aws test that never asked for it FAILS",
        {"test_a_dev_profile_is_selected": "passed", "test_b_bucket_is_created": "failed"},
        (re.escape("ProfileNotFound: The config profile (dev) could not be found"),),
    )
    for env in ENVS
}
# Every test of the good example; each must pass in both environments.
GOOD_TESTS = ("test_a_dev_profile_is_selected", "test_b_bucket_is_created")
# Its row in README.md's table (python -m scopecheck.docs_build writes the table).
TABLE = Row(
    bad_noenv=(
        'a fixture\'s `os.environ["AWS_PROFILE"] = "dev"` stays: a later `@mock_aws` test that never asked for'
        " it FAILS `ProfileNotFound: The config profile (dev) could not be found`"
    ),
    bad_fakeenv="same",
    good="pass (`monkeypatch.setenv`)",
)
