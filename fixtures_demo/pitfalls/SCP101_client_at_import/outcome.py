"""SCP101 client-at-import: what its bad and good examples really do in CI (moto 5.2.5, botocore 1.44.5)."""

from __future__ import annotations

from fixtures_demo.pitfalls.outcomes import FAKEENV, NO_CREDENTIALS, NOENV, Row, escapes, fails

# CI environment -> the outcome of the bad example.
OUTCOMES = {
    NOENV: fails(
        "test_create_bucket_is_served_by_moto",
        NO_CREDENTIALS,
        "FAILS: the client froze 'no credentials' at import, moto's come too late",
    ),
    FAKEENV: escapes("test_create_bucket_is_served_by_moto", "reports.s3.amazonaws.com"),
}
# Every test of the good example; each must pass in both environments.
GOOD_TESTS = ("test_create_bucket_is_served_by_moto", "test_session_client_is_served_by_moto")
# Its row in README.md's table (python -m scopecheck.docs_build writes the table).
TABLE = Row(
    bad_noenv="FAIL `NoCredentialsError: Unable to locate credentials`",
    bad_fakeenv=(
        "**escapes**: `EndpointConnectionError: Could not connect to the endpoint URL: "
        '"https://reports.s3.amazonaws.com/"`'
    ),
    good="pass",
)
