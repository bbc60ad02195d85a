"""Reading a file's bytes into text the way Python itself would (BOM, coding cookie)."""

from __future__ import annotations

import errno
import io
import os
import re
import stat
import tokenize
from dataclasses import dataclass

# Python ends a line only at \r\n, \r or \n; str.splitlines() also breaks at form feeds,
# \x1c-\x1e, \x85 and \u2028, which would shift every line number after them.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def read_bytes(path: str) -> bytes:
    """The file's bytes; refuses FIFOs and devices, which would block or never end."""
    # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", path)
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        return handle.read()


class SourceError(Exception):
    """The file cannot be turned into text; the message says why, in one line."""


@dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str


def decode_source(data: bytes) -> SourceText:
    if b"\x00" in data:
        raise SourceError("file contains null bytes; not Python source")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise SourceError(f"cannot determine encoding: {exc.msg if hasattr(exc, 'msg') else exc}") from None
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise SourceError(f"cannot decode as {encoding}: {exc.reason if hasattr(exc, 'reason') else exc}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return SourceText(text=text, encoding=encoding)


def split_lines(text: str) -> list[str]:
    """The lines of *text* as Python's tokenizer counts them (no trailing empty line)."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines
