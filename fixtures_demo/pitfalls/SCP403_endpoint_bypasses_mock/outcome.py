"""SCP403 endpoint-bypasses-mock: what its bad and good examples really do in CI (moto 5.2.5, botocore 1.44.5)."""

from __future__ import annotations

import re

from fixtures_demo.pitfalls.outcomes import ENVS, Outcome, Row

# CI environment -> the outcome of the bad example.
OUTCOMES = {
    env: Outcome(
        "BYPASSES moto: the requests go to localhost:4566 and to the MinIO host (blocked offline)",
        {"test_localstack_bucket_is_created": "failed", "test_minio_bucket_is_created": "failed"},
        (
            re.escape('EndpointConnectionError: Could not connect to the endpoint URL: "http://localhost:4566/'),
            re.escape(
                'EndpointConnectionError: Could not connect to the endpoint URL: "https://minio.internal.example:9000/'
            ),
        ),
    )
    for env in ENVS
}
# Every test of the good example; each must pass in both environments.
GOOD_TESTS = ("test_minio_bucket_is_created", "test_china_bucket_is_created", "test_server_bucket_is_created")
# Its row in README.md's table (python -m scopecheck.docs_build writes the table).
TABLE = Row(
    bad_noenv=(
        '**bypasses moto**: `EndpointConnectionError ... "http://localhost:4566/"`; the MinIO host '
        "`minio.internal.example` was tried (blocked)"
    ),
    bad_fakeenv="same",
    good=(
        "pass: MinIO listed in `MOTO_S3_CUSTOM_ENDPOINTS`, `amazonaws.com.cn`, a ThreadedMotoServer endpoint "
        "under `@mock_aws`"
    ),
)
