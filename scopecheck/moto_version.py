"""Which moto major version rules speak of: config, else the installed moto, else 5."""

from __future__ import annotations

import os
import sys

DEFAULT_MAJOR = 5
# The newest moto major version there is; a higher target is a typo, not a forecast.
LATEST_MAJOR = 5


def _from_dist_info() -> int | None:
    """The fast path: the name of moto's ``*.dist-info`` folder on sys.path."""
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.startswith("moto-") and name.endswith((".dist-info", ".egg-info")):
                major = name[len("moto-") :].split(".")[0]
                if major.isdigit():
                    return int(major)
    return None


def installed_moto_major() -> int | None:
    """Read moto's version from package metadata, without importing moto."""
    fast = _from_dist_info()
    if fast is not None:
        return fast
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover
        return None
    try:
        text = version("moto")
    except PackageNotFoundError:
        return None
    major = text.split(".")[0]
    return int(major) if major.isdigit() else None


def target_moto_major(configured: int | None) -> int:
    if configured is not None:
        return configured
    return installed_moto_major() or DEFAULT_MAJOR
