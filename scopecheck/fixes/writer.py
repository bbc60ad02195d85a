"""Writing a fixed file: atomically, with its mode, and never over someone else's edit.

The new content goes to a temporary file in the same directory (so ``os.replace`` is a rename on
one file system), gets the original's permission bits, is flushed to disk, and replaces the file
only if the file still holds exactly the bytes the fix was computed from. Any failure removes
the temporary file and leaves the original untouched.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass

from scopecheck import source


class WriteSkipped(Exception):
    """The file was not written; the message says why, in one line."""


def read_bytes(path: str) -> bytes:
    """The file's current content (a seam for tests that simulate a concurrent edit)."""
    return source.read_bytes(path)


def replace_file(source: str, target: str) -> None:
    """``os.replace``, behind a name tests can make fail."""
    os.replace(source, target)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


@dataclass(frozen=True)
class Written:
    path: str
    size: int


def write_atomically(path: str, data: bytes, expected: bytes) -> Written:
    """Replace *path* with *data* if it still contains *expected*; raise :class:`WriteSkipped`."""
    target = os.path.realpath(path)  # write through a symlink, keep the link
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError as exc:
        raise WriteSkipped(f"cannot stat: {exc.strerror or exc}") from None
    want = digest(expected)
    try:
        if digest(read_bytes(target)) != want:
            raise WriteSkipped("changed on disk since it was read; not overwritten")
    except OSError as exc:
        raise WriteSkipped(f"cannot read: {exc.strerror or exc}") from None
    directory = os.path.dirname(target) or "."
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.", suffix=".scopecheck-fix")
    except OSError as exc:
        raise WriteSkipped(f"cannot create a temporary file: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        # Last look right before the rename: a concurrent edit wins over our fix.
        if digest(read_bytes(target)) != want:
            raise WriteSkipped("changed on disk since it was read; not overwritten")
        replace_file(tmp, target)
    except WriteSkipped:
        _remove(tmp)
        raise
    except OSError as exc:
        _remove(tmp)
        raise WriteSkipped(f"cannot write: {exc.strerror or exc}") from None
    except BaseException:
        _remove(tmp)
        raise
    return Written(path, len(data))


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
