"""SCP103 unmocked-client-fixture: what its bad and good examples really do in CI (moto 5.2.5, botocore 1.44.5)."""

from __future__ import annotations

from fixtures_demo.pitfalls.outcomes import FAKEENV, NO_CREDENTIALS, NOENV, Row, fails, passes

# CI environment -> the outcome of the bad example.
OUTCOMES = {
    NOENV: fails(
        "test_bucket_is_created",
        NO_CREDENTIALS,
        "FAILS: the module-scoped client fixture is set up before the mock fixture",
    ),
    FAKEENV: passes("test_bucket_is_created", summary="passes (exported credentials hide the bug)"),
}
# Every test of the good example; each must pass in both environments.
GOOD_TESTS = ("test_bucket_is_created",)
# Its row in README.md's table (python -m scopecheck.docs_build writes the table).
TABLE = Row(
    bad_noenv="FAIL `NoCredentialsError`",
    bad_fakeenv="pass (environment-dependent)",
    good="pass",
)
