"""SCP104 client-via-import: what its bad and good examples really do in CI (moto 5.2.5, botocore 1.44.5)."""

from __future__ import annotations

from fixtures_demo.pitfalls.outcomes import FAKEENV, NO_CREDENTIALS, NOENV, Row, escapes, fails

# CI environment -> the outcome of the bad example.
OUTCOMES = {
    NOENV: fails(
        "test_bucket_names_lists_the_new_bucket",
        NO_CREDENTIALS,
        "FAILS: app.storage froze 'no credentials' when the test imported it",
    ),
    FAKEENV: escapes("test_bucket_names_lists_the_new_bucket", "s3.amazonaws.com"),
}
# The second: a helper's import-time Session, built after moto's import, is served by moto.
GOOD_TESTS = ("test_bucket_names_lists_the_new_bucket", "test_queue_is_served_by_moto")
# Its row in README.md's table (python -m scopecheck.docs_build writes the table).
TABLE = Row(
    bad_noenv="FAIL `NoCredentialsError`",
    bad_fakeenv='**escapes**: `EndpointConnectionError ... "https://s3.amazonaws.com/"`',
    good="pass",
)
