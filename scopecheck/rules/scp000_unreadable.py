"""SCP000: a file that scopecheck could not read or parse."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.findings import MESSAGE_LIMIT, Severity
from scopecheck.rules.base import Context, Example, Hit, Rule

PREFIX = "cannot analyse this file: "
REPORT_IT = "; please report this"


def message(reason: str) -> tuple[str, str | None]:
    """The finding's message (the reason on one line, cut to fit) and, when it was cut, a help that
    keeps the rest (Python's own fix, or the whole reason); None: the rule's help."""
    flat = " ".join(reason.split())
    room = MESSAGE_LIMIT - 1 - len(PREFIX)
    if len(flat) <= room:
        return PREFIX + flat, None
    whole = f"{flat.rstrip('.')}. {RULE.help}"
    if flat.endswith(REPORT_IT):  # an internal error: its request to report it outlives the cut
        return f"{PREFIX}{flat[: room - 1 - len(REPORT_IT)].rstrip()}\u2026{REPORT_IT}", flat
    what, _, fix = flat.partition("; ")  # Python's "...; use an 0o prefix ..." is the fix
    if fix and len(what) <= room:
        fix = fix.rstrip(".")
        return PREFIX + what, f"{fix[:1].upper()}{fix[1:]}."
    return f"{PREFIX}{flat[: room - 1].rstrip()}\u2026", whole


def check(ctx: Context) -> Iterator[Hit]:
    for path in sorted(ctx.targets):
        facts = ctx.suite.files.get(path)
        if facts is not None and facts.parse_error is not None:
            loc, reason = facts.parse_error
            text, help_text = message(reason)
            yield Hit(facts, loc, text, help=help_text)


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
        # Python's reason is too long for a message: its "; use an 0o prefix ..." goes to the help.
        Example.of("mode = 0777  # expect: SCP000\n"),
    ),
    good=(
        Example.of("def test_fine():\n    pass\n"),
        Example.of(""),
        Example.of("# just a comment\n"),
    ),
)
