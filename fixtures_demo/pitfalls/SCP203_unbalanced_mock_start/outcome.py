"""SCP203 unbalanced-mock-start: what its bad and good examples really do in CI (moto 5.2.5, botocore 1.44.5)."""

from __future__ import annotations

from fixtures_demo.pitfalls.outcomes import ENVS, Outcome, Row

# CI environment -> the outcome of the bad example.
OUTCOMES = {
    env: Outcome(
        "LEAKS STATE: the 1st test's bucket shows up in the 2nd test",
        {
            "test_first_bucket_is_the_only_one": "passed",
            "test_second_bucket_is_the_only_one": "failed",
        },
        ("AssertionError", "'bucket-from-test-1'"),
    )
    for env in ENVS
}
# Every test of the good example; each must pass in both environments.
GOOD_TESTS = ("test_first_bucket_is_the_only_one", "test_second_bucket_is_the_only_one")
# Its row in README.md's table (python -m scopecheck.docs_build writes the table).
TABLE = Row(
    bad_noenv="**leaks state**: 1st test passes, 2nd FAILS `AssertionError` with `'bucket-from-test-1'` in the diff",
    bad_fakeenv="same",
    good="pass",
)
