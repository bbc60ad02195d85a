"""``# noqa`` / ``# noqa: SCP101,SCP203`` on an anchor line, ``# scopecheck: ignore-file``.

Only real comments count: the text is tokenized, so ``"# noqa"`` inside a string suppresses nothing.
"""

from __future__ import annotations

import io
import re
import tokenize

from scopecheck.source import split_lines

_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
# Only a comment that starts with the directive counts (as with ruff's file-level noqa): one that
# mentions it in passing ("use # scopecheck: ignore-file to ...") skips nothing.
_IGNORE_FILE = re.compile(r"#\s*scopecheck:\s*ignore-file\b", re.IGNORECASE)  # matched at the start


def comments_by_line(text: str) -> dict[int, str]:
    found: dict[int, str] = {}
    try:
        # newline=None reads \r and \r\n as line ends, numbering lines as ast does.
        for tok in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
            if tok.type == tokenize.COMMENT:
                found[tok.start[0]] = tok.string
    except (tokenize.TokenError, IndentationError, SyntaxError, ValueError):
        # Unfinished code: fall back to a line scan for what was not tokenized yet.
        for number, line in enumerate(split_lines(text), start=1):
            if number not in found and "#" in line:
                found[number] = line[line.index("#") :]
    return found


_NOQA_HINT = re.compile(r"#\s*noqa", re.IGNORECASE)


class Suppressions:
    def __init__(self, text: str) -> None:
        self._text = text
        self._comments: dict[int, str] | None = None
        # Tokenizing is slow; a file that never mentions noqa needs none of it.
        self._has_noqa = bool(_NOQA_HINT.search(text))

    @property
    def comments(self) -> dict[int, str]:
        if self._comments is None:
            self._comments = comments_by_line(self._text) if "#" in self._text else {}
        return self._comments

    def ignores_file(self) -> bool:
        return any(_IGNORE_FILE.match(c) for c in self.comments.values())

    def suppresses(self, line: int, code: str) -> bool:
        if not self._has_noqa:
            return False
        comment = self.comments.get(line)
        if not comment:
            return False
        match = _NOQA.search(comment)
        if match is None:
            return False
        codes = match.group("codes")
        if not codes:
            return True
        return any(code.startswith(c.upper()) for c in re.split(r"[\s,]+", codes) if c)


def may_ignore_file(data: bytes) -> bool:
    """Cheap pre-check before tokenizing."""
    return b"scopecheck:" in data and b"ignore-file" in data
