"""What a rule is: the single place that defines its code, text, examples and check."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Callable

from scopecheck import REPOSITORY_URL
from scopecheck.facts.model import FileFacts
from scopecheck.findings import Location, Severity
from scopecheck.model.suite import Suite


@dataclass(frozen=True)
class Example:
    """Source files of a small suite. Bad examples mark each expected finding with
    a trailing ``# expect: SCPnnn`` comment on its anchor line.

    The files may include the project's configuration (pyproject.toml, pytest.ini, tox.ini,
    setup.cfg, conftest.py): the example is linted in a project made of exactly these files, with
    its ``[tool.scopecheck]`` read as the command line reads it. *settings* adds
    ``[tool.scopecheck]`` keys on top (``{"per-file-ignores": {"legacy/*": ["SCP402"]}}``).
    *fixed*: file name -> the whole text ``--fix`` (``--unsafe-fixes`` when *unsafe*) turns that
    file into, every other file unchanged (``{}``: nothing changes); checked by the tests, with the
    fix idempotent and its output parsing."""

    files: Mapping[str, str]
    target_moto: int = 5
    settings: Mapping[str, Any] = field(default_factory=dict)
    fixed: Mapping[str, str] | None = None
    unsafe: bool = False

    @classmethod
    def of(
        cls,
        source: str,
        name: str = "test_example.py",
        *,
        target_moto: int = 5,
        settings: Mapping[str, Any] | None = None,
        fixed: str | Mapping[str, str] | None = None,
        unsafe: bool = False,
    ) -> Example:
        """*fixed*: the file's text after the fix, or ``{}`` when ``--fix`` leaves it as it is."""
        if isinstance(fixed, str):
            fixed = {name: fixed}
        return cls(
            {name: _text(source)},
            target_moto,
            dict(settings or {}),
            None if fixed is None else {k: _text(v) for k, v in fixed.items()},
            unsafe,
        )

    @classmethod
    def suite(
        cls,
        files: Mapping[str, str],
        *,
        target_moto: int = 5,
        settings: Mapping[str, Any] | None = None,
        fixed: Mapping[str, str] | None = None,
        unsafe: bool = False,
    ) -> Example:
        return cls(
            {k: _text(v) for k, v in files.items()},
            target_moto,
            dict(settings or {}),
            None if fixed is None else {k: _text(v) for k, v in fixed.items()},
            unsafe,
        )


def _text(source: str) -> str:
    return textwrap.dedent(source).lstrip("\n")


@dataclass(frozen=True)
class Hit:
    """A rule's verdict at one place, before selection and suppression."""

    facts: FileFacts
    loc: Location
    message: str
    fix: str | None = None
    help: str | None = None  # a fix hint for this place only; None: the rule's ``help``


@dataclass
class Context:
    suite: Suite
    targets: set[str]  # absolute paths whose findings are reported
    moto_major: int
    ini_sets_region: bool = False

    def is_target(self, facts: FileFacts) -> bool:
        """Whether findings in this file are reported (the other files are context only)."""
        return facts.path in self.targets

    def target_files(self) -> Iterator[FileFacts]:
        """The reported files that parsed, in path order."""
        for path in sorted(self.targets):
            facts = self.suite.files.get(path)
            if facts is not None and facts.parse_error is None:
                yield facts


Check = Callable[[Context], Iterator[Hit]]

# Each rule's page is docs/rules/<code>.md in the repository: one base, so a move is one edit.
RULE_DOCS_URL = f"{REPOSITORY_URL}/blob/main/docs/rules/"
# Abbreviations whose period does not end a sentence.
_NOT_AN_END = ("e.g.", "i.e.", "etc.", "vs.", "cf.")


def first_sentence(text: str) -> str:
    """The first sentence of *text* on one line; periods inside `code` spans do not end it."""
    flat = " ".join(text.split())
    in_code = False
    for i, char in enumerate(flat):
        if char == "`":
            in_code = not in_code
        elif char in ".!?" and not in_code and (i + 1 == len(flat) or flat[i + 1] == " "):
            if not flat[: i + 1].lower().endswith(_NOT_AN_END):
                return flat[: i + 1]
    return flat


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity  # for every moto version that ``severity_by_moto`` does not name
    short: str  # a few words for listings: what it finds
    summary: str  # what it finds, precisely
    why: str  # why it is bad, with the moto behaviour behind it
    instead: str  # what to write instead
    versions: str  # which moto versions the rule speaks of
    check: Check
    bad: tuple[Example, ...] = ()
    good: tuple[Example, ...] = ()
    # One line: the fix, for --show-source and JSON/SARIF. Unset: the first sentence of ``instead``.
    help: str = ""
    # Where the targeted moto major changes the severity: ranges of majors, e.g.
    # ``{range(1, 5): Severity.ERROR}`` for moto 1.x to 4.x. The first range holding it wins.
    severity_by_moto: Mapping[range, Severity] = field(default_factory=dict)
    fix_safety: str | None = None  # what --fix does, if the rule has a fix
    # The rule's fixer, as "module:Class" (imported only when fixing: libcst is slow to import).
    fixer: str | None = None
    see_also: tuple[str, ...] = field(default=())
    # From this moto major on, the rule is not in the default selection: it reports something
    # harmless there, and runs only when selected by a code more specific than ``SCP`` (or ALL).
    opt_in_from_moto: int | None = None

    def on_by_default(self, moto_major: int) -> bool:
        return self.opt_in_from_moto is None or moto_major < self.opt_in_from_moto

    def severity_for(self, moto_major: int) -> Severity:
        for majors, severity in self.severity_by_moto.items():
            if moto_major in majors:
                return severity
        return self.severity

    def __post_init__(self) -> None:
        if not self.help:
            object.__setattr__(self, "help", first_sentence(self.instead))

    @property
    def url(self) -> str:
        """The rule's documentation page (what --explain prints)."""
        return f"{RULE_DOCS_URL}{self.code}.md"
