"""The finding record every stage passes along, and severities."""

from __future__ import annotations

import enum
import operator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scopecheck.rules.base import Rule


# A finding's message is shorter than this: what is wrong and where the cause is. The why and the
# fix are in the rule's page (--explain) and the finding's help.
MESSAGE_LIMIT = 100

FindingKey = tuple[str, int, int, str]  # path, line, column, code


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


class Location(tuple[int, int, int, int]):
    """1-based line and column span of a node in a source file.

    A tuple underneath, because warm runs unpickle tens of thousands of them from the cache and a
    tuple is rebuilt in C, several times faster than a dataclass."""

    __slots__ = ()

    def __new__(cls, line: int, column: int, end_line: int, end_column: int) -> Location:
        return tuple.__new__(cls, (line, column, end_line, end_column))

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple.__new__, (Location, tuple(self)))

    def __repr__(self) -> str:
        return f"Location(line={self[0]}, column={self[1]}, end_line={self[2]}, end_column={self[3]})"

    line = property(operator.itemgetter(0))
    column = property(operator.itemgetter(1))
    end_line = property(operator.itemgetter(2))
    end_column = property(operator.itemgetter(3))


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
    # A fix hint for this finding only; None: the rule's one-line ``help`` (see ``hint``).
    help: str | None = None

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    @property
    def hint(self) -> str | None:
        """The one-line fix for this finding: its own, else its rule's (None for an unknown code)."""
        if self.help is not None:
            return self.help
        rule = _rule(self.code)
        return rule.help if rule is not None else None

    @property
    def url(self) -> str | None:
        """The rule's documentation page."""
        rule = _rule(self.code)
        return rule.url if rule is not None else None

    @property
    def fix_message(self) -> str | None:
        """The edit a fix makes here: the finding's own words, else its fixer's description."""
        if self.fix is not None:
            return self.fix
        from scopecheck.fixes.registry import FIXERS

        fixer = FIXERS.get(self.code)
        return fixer.description if fixer is not None else None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.location.line, self.location.column, self.code)

    def key(self) -> FindingKey:
        """What tells this finding apart within one run (for per-finding extras such as the fix)."""
        return (self.path, self.location.line, self.location.column, self.code)

    def to_dict(self, applicability: str | None = None) -> dict[str, Any]:
        """*applicability*: what ``--fix`` does with this finding, ``safe`` or ``unsafe`` (only with
        ``--unsafe-fixes``); None when it leaves it alone, and then ``fix`` is null."""
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
            "fix": None if applicability is None else {"applicability": applicability, "message": self.fix_message},
            "help": self.hint,
            "url": self.url,
        }


def _rule(code: str) -> Rule | None:
    # Imported here: the rules import this module.
    from scopecheck.rules import RULES_BY_CODE

    return RULES_BY_CODE.get(code)
