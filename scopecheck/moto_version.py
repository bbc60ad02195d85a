"""Which moto major version rules speak of: config, else the installed moto, else 5."""

from __future__ import annotations

DEFAULT_MAJOR = 5


def installed_moto_major() -> int | None:
    """Read moto's version from package metadata, without importing moto."""
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
