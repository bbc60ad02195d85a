"""The two simulated CI machines every proof runs in (``moto-ground-truth.md``): the environment of
an inner pytest process, shared by the rule proofs and the guard proofs."""

from __future__ import annotations

import os
from pathlib import Path

from fixtures_demo.pitfalls.outcomes import FAKEENV

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def scrubbed(name: str) -> bool:
    """Variables that must not leak from the outer run into a simulated CI machine."""
    upper = name.upper()
    return (
        upper.startswith(("AWS_", "PYTEST_", "MOTO_", "BOTO"))
        or upper in {"TEST_SERVER_MODE", "PYTHONPATH", "PYTHONSTARTUP"}
        or upper.endswith("_PROXY")
    )


def ci_environment(kind: str, scratch: Path, guard_dir: Path, net_log: Path) -> dict[str, str]:
    home = scratch / "home"
    home.mkdir()
    absent = scratch / "absent"  # never created: botocore finds no config or credentials file
    env = {name: value for name, value in os.environ.items() if not scrubbed(name)}
    env.update(
        HOME=str(home),
        AWS_CONFIG_FILE=str(absent / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(absent / "credentials"),
        PYTHONPATH=str(guard_dir),
        PYTHONDONTWRITEBYTECODE="1",
        # Only the plugins named below: nothing installed may import moto or boto3 early.
        PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
        PITFALL_NET_LOG=str(net_log),
    )
    if kind == FAKEENV:
        env.update(FAKE_CREDENTIALS)
    return env
