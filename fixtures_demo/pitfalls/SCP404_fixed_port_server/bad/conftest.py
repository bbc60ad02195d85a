"""Proof harness for SCP404, not part of the hazard: bounds the hang and serialises the runs.

``ThreadedMotoServer.start()`` waits with no timeout, so the hang would last forever: an alarm
turns it into an error after 10 s. The proof runs this example in two CI environments at the same
time, and a fixed port is exactly what they would fight over: a lock file makes them take turns.
"""

import fcntl
import os
import signal
import tempfile

import pytest

_LOCK = os.path.join(tempfile.gettempdir(), "scopecheck-SCP404-proof.lock")
_held = []


class StartNeverReturned(Exception):
    pass


def pytest_configure(config):
    handle = open(_LOCK, "w")  # noqa: SIM115 - held until the process exits
    fcntl.flock(handle, fcntl.LOCK_EX)
    _held.append(handle)


def _alarm(signum, frame):
    raise StartNeverReturned("ThreadedMotoServer.start() still waiting after 10 s")


@pytest.fixture(autouse=True)
def watchdog():
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
