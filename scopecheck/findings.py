"""The finding record every stage passes along, and severities."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    """Ordered so that ``severity >= threshold`` reads naturally."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None


@dataclass(frozen=True)
class Location:
    """1-based line and column span of a node in a source file."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
class Finding:
    path: str
    location: Location
    code: str
    name: str
    severity: Severity
    message: str
    fix: str | None = None
    # Lines that carry this finding's suppression comment (the anchor line by default).
    noqa_lines: tuple[int, ...] = field(default=(), compare=False)

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.location.line, self.location.column, self.code)

    def to_dict(self) -> dict[str, Any]:
        loc = self.location
        return {
            "path": self.path,
            "line": loc.line,
            "column": loc.column,
            "end_line": loc.end_line,
            "end_column": loc.end_column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.label,
            "message": self.message,
            "fix": self.fix,
        }
