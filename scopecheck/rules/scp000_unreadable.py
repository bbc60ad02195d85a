"""SCP000: a file that scopecheck could not read or parse."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.findings import Severity
from scopecheck.rules.base import Context, Example, Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    for path in sorted(ctx.targets):
        facts = ctx.suite.files.get(path)
        if facts is not None and facts.parse_error is not None:
            loc, reason = facts.parse_error
            yield Hit(facts, loc, f"cannot analyse this file: {reason}; fix the syntax or exclude the file")


RULE = Rule(
    code="SCP000",
    name="unreadable-file",
    severity=Severity.ERROR,
    short="a file that could not be read, decoded or parsed",
    summary="A file could not be read, decoded or parsed, so none of its code was checked.",
    why=(
        "A syntax error, a bad encoding, null bytes or an unreadable file hide every other finding "
        "in that file. pytest would fail to collect it too. scopecheck reports it and goes on with "
        "the other files."
    ),
    instead="Fix the file (or exclude it with `exclude`/`extend-exclude` if it is not Python).",
    versions="All.",
    check=check,
    bad=(
        Example.of("def test_broken(:  # expect: SCP000\n    pass\n"),
        Example.of("x = (1,  # expect: SCP000\n"),
        Example.of("print 'python 2'  # expect: SCP000\n"),
    ),
    good=(
        Example.of("def test_fine():\n    pass\n"),
        Example.of(""),
        Example.of("# just a comment\n"),
    ),
)
