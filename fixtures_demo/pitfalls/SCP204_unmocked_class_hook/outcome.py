"""SCP204 unmocked-class-hook: what its bad and good examples really do in CI (moto 5.2.5, botocore 1.44.5)."""

from __future__ import annotations

from fixtures_demo.pitfalls.outcomes import FAKEENV, NO_CREDENTIALS, NOENV, Row, escapes, fails

# CI environment -> the outcome of the bad example.
OUTCOMES = {
    NOENV: fails(
        "test_class_bucket_is_listed",
        NO_CREDENTIALS,
        "ERRORS in setup: setup_class runs unmocked, without credentials",
        outcome="error",
    ),
    FAKEENV: escapes("test_class_bucket_is_listed", "class-bucket.s3.amazonaws.com", outcome="error"),
}
# Every test of the good example; each must pass in both environments.
GOOD_TESTS = ("test_class_bucket_is_listed",)
# Its row in README.md's table (python -m scopecheck.docs_build writes the table).
TABLE = Row(
    bad_noenv="ERROR in setup `NoCredentialsError`",
    bad_fakeenv='ERROR in setup, **escapes**: `EndpointConnectionError ... "https://class-bucket.s3.amazonaws.com/"`',
    good="pass",
)
