"""SCP404 fixed-port-server: what its bad and good examples really do in CI (moto 5.2.5, botocore 1.44.5)."""

from __future__ import annotations

import re

from fixtures_demo.pitfalls.outcomes import ENVS, Outcome, Row

# CI environment -> the outcome of the bad example.
OUTCOMES = {
    env: Outcome(
        "HANGS: the 2nd server cannot bind the fixed port and start() never returns (stopped by a 10 s alarm)",
        {"test_first_bucket_is_created": "passed", "test_second_bucket_is_created": "error"},
        (re.escape("StartNeverReturned: ThreadedMotoServer.start() still waiting after 10 s"),),
    )
    for env in ENVS
}
# Every test of the good example; each must pass in both environments.
GOOD_TESTS = ("test_first_bucket_is_created", "test_second_bucket_is_created")
# Its row in README.md's table (python -m scopecheck.docs_build writes the table).
TABLE = Row(
    bad_noenv=(
        "**hangs**: the 2nd test's server dies with `Address already in use` and `start()` never returns "
        "(ERROR after the proof's 10 s alarm)"
    ),
    bad_fakeenv="same",
    good="pass (`port=0`, `get_host_and_port()`, `stop()` after `yield`)",
)
