"""SCP202 mock-decorated-fixture: what its bad and good examples really do in CI (moto 5.2.5, botocore 1.44.5)."""

from __future__ import annotations

from fixtures_demo.pitfalls.outcomes import ENVS, Row, fails

# CI environment -> the outcome of the bad example.
OUTCOMES = {
    env: fails(
        "test_fixture_bucket_is_listed",
        "AttributeError: 'generator' object has no attribute 'list_buckets'",
        "FAILS: the test receives a generator object; the fixture body never ran",
    )
    for env in ENVS
}
# Every test of the good example; each must pass in both environments.
GOOD_TESTS = ("test_fixture_bucket_is_listed",)
# Its row in README.md's table (python -m scopecheck.docs_build writes the table).
TABLE = Row(
    bad_noenv="FAIL `AttributeError: 'generator' object has no attribute 'list_buckets'`",
    bad_fakeenv="same",
    good="pass",
)
