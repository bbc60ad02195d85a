"""Reading a file's bytes into text the way Python itself would (BOM, coding cookie)."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

# Python ends a line only at \r\n, \r or \n; str.splitlines() also breaks at form feeds,
# \x1c-\x1e, \x85 and \u2028, which would shift every line number after them.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


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
