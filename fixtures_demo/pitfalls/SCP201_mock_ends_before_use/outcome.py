"""SCP201 mock-ends-before-use: what its bad and good examples really do in CI (moto 5.2.5, botocore 1.44.5)."""

from __future__ import annotations

from fixtures_demo.pitfalls.outcomes import ENVS, Row, escapes

# CI environment -> the outcome of the bad example.
OUTCOMES = {
    env: escapes("test_fixture_bucket_is_listed", "s3.amazonaws.com")
    for env in ENVS  # the client carries moto's FOOBARKEY, so it signs even in noenv
}
# Every test of the good example; each must pass in both environments.
GOOD_TESTS = ("test_fixture_bucket_is_listed",)
# Its row in README.md's table (python -m scopecheck.docs_build writes the table).
TABLE = Row(
    bad_noenv=(
        '**escapes** (signed with moto\'s `FOOBARKEY`): `EndpointConnectionError ... "https://s3.amazonaws.com/"`'
    ),
    bad_fakeenv="same",
    good="pass",
)
