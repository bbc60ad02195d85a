"""SCP401 removed-moto-api: what its bad and good examples really do in CI (moto 5.2.5, botocore 1.44.5)."""

from __future__ import annotations

import re

from fixtures_demo.pitfalls.outcomes import ENVS, Outcome, Row

# CI environment -> the outcome of the bad example.
OUTCOMES = {
    env: Outcome(
        "COLLECTION ERROR: the import fails, the session is interrupted, no test runs",
        {"test_queue_and_bucket": "collection error"},
        (re.escape("ImportError: cannot import name 'mock_s3' from 'moto'"),),
        exit_code=2,
    )
    for env in ENVS
}
# Every test of the good example; each must pass in both environments.
GOOD_TESTS = ("test_queue_and_bucket_exist", "test_shimmed_bucket_exists")
# Its row in README.md's table (python -m scopecheck.docs_build writes the table).
TABLE = Row(
    bad_noenv="COLLECTION ERROR `ImportError: cannot import name 'mock_s3' from 'moto'`, exit 2, no test runs",
    bad_fakeenv="same",
    good="pass, a `try`/`except ImportError` shim too",
)
