"""Source positions: ast's UTF-8 byte columns as the 1-based character columns findings use."""

from __future__ import annotations

import ast

from scopecheck.findings import Location
from scopecheck.source import split_lines


class Positions:
    """Turns ast's UTF-8 byte columns into 1-based character columns."""

    def __init__(self, text: str) -> None:
        self.lines = split_lines(text)

    def _col(self, line: int, byte_col: int) -> int:
        if 0 < line <= len(self.lines):
            raw = self.lines[line - 1]
            if not raw.isascii():
                return len(raw.encode("utf-8")[:byte_col].decode("utf-8", "replace")) + 1
        return byte_col + 1

    def of(self, node: ast.AST) -> Location:
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0)
        end_line = getattr(node, "end_lineno", None) or line
        end_col = getattr(node, "end_col_offset", None)
        end_col = col if end_col is None else end_col
        return Location(line, self._col(line, col), end_line, self._col(end_line, end_col))

    def span(self, start: ast.AST, end: ast.AST) -> Location:
        """From where *start* begins to where *end* ends (``with`` up to its mock's call)."""
        first, last = self.of(start), self.of(end)
        return Location(first.line, first.column, last.end_line, last.end_column)
