"""What a pitfall proof expects, and the loader of the proof folders.

Each folder ``SCPnnn_<name>/`` describes itself in its ``outcome.py``:

* ``OUTCOMES``: CI environment (``NOENV``, ``FAKEENV``) -> the :class:`Outcome` of the bad example;
* ``GOOD_TESTS``: every test of the good example (each must pass in both environments);
* ``TABLE``: its :class:`Row` of README.md's table (``python -m scopecheck.docs_build`` writes it).

``test_pitfall_proofs.py`` and ``scopecheck.docs_build`` find the folders with :func:`load_pitfalls`,
so adding a rule's proof is adding its folder: there is no list to keep.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
NOENV, FAKEENV = "noenv", "fakeenv"
ENVS = (NOENV, FAKEENV)
FOLDER = re.compile(r"(SCP\d{3})_\w+")
NO_CREDENTIALS = "NoCredentialsError: Unable to locate credentials"


@dataclass(frozen=True)
class Outcome:
    """What one run of an example must show, measured with moto 5.2.5 / botocore 1.44.5."""

    summary: str  # one line for humans: what happens and why it matters
    tests: dict[str, str]  # junit test name -> passed | failed | error | collection error
    evidence: tuple[str, ...] = ()  # regexes that the failure/error reports must contain
    escapes_to: str = ""  # the AWS host a request tried to reach, "" when nothing escaped
    exit_code: int = 1


def passes(*tests: str, summary: str = "passes") -> Outcome:
    return Outcome(summary, dict.fromkeys(tests, "passed"), exit_code=0)


def fails(test: str, evidence: str, summary: str, outcome: str = "failed") -> Outcome:
    return Outcome(summary, {test: outcome}, (re.escape(evidence),))


def escapes(test: str, host: str, outcome: str = "failed") -> Outcome:
    error = f'EndpointConnectionError: Could not connect to the endpoint URL: "https://{host}/"'
    summary = f"ESCAPES: the request leaves moto toward https://{host}/ (blocked offline)"
    return Outcome(summary, {test: outcome}, (re.escape(error),), escapes_to=host)


class Row(NamedTuple):
    """The measured cells of a rule's row in README.md's table (Markdown)."""

    bad_noenv: str
    bad_fakeenv: str  # "same" when the environment changes nothing
    good: str


@dataclass(frozen=True)
class Pitfall:
    code: str
    path: Path  # the folder SCPnnn_<name>/
    bad: dict[str, Outcome]  # CI environment -> outcome of the bad example
    good_tests: tuple[str, ...]  # every test of the good example, all must pass
    row: Row

    @property
    def folder(self) -> str:
        return self.path.name

    @property
    def environment_dependent(self) -> bool:
        return self.bad[NOENV] != self.bad[FAKEENV]


class ProofError(Exception):
    """A proof folder that does not describe itself (the message says what is missing)."""


def proof_folders(root: Path = HERE) -> list[Path]:
    """Every ``SCPnnn_<name>/`` folder under *root*, in code order."""
    return sorted((p for p in root.iterdir() if p.is_dir() and FOLDER.fullmatch(p.name)), key=lambda p: p.name)


def load_pitfall(folder: Path) -> Pitfall:
    """The proof described by ``folder/outcome.py``; ProofError when it is missing or incomplete."""
    code = folder.name[:6]
    source = folder / "outcome.py"
    where = f"{folder.name}/outcome.py"
    if not source.is_file():
        raise ProofError(f"{code}: {folder.name}/ has no outcome.py (OUTCOMES, GOOD_TESTS, TABLE)")
    spec = importlib.util.spec_from_file_location(f"pitfall_outcome_{code.lower()}", source)
    if spec is None or spec.loader is None:
        raise ProofError(f"{code}: {where} cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # a broken outcome.py fails its own tests, not the whole module
        raise ProofError(f"{code}: {where} raised {type(error).__name__}: {error}") from error
    missing = [name for name in ("OUTCOMES", "GOOD_TESTS", "TABLE") if not hasattr(module, name)]
    if missing:
        raise ProofError(f"{code}: {where} does not define {', '.join(missing)}")
    outcomes, good_tests, row = module.OUTCOMES, module.GOOD_TESTS, module.TABLE
    if not isinstance(outcomes, dict) or sorted(outcomes) != sorted(ENVS):
        raise ProofError(f"{code}: {where}: OUTCOMES must map exactly {ENVS} to an Outcome")
    if not all(isinstance(outcome, Outcome) for outcome in outcomes.values()):
        raise ProofError(f"{code}: {where}: every OUTCOMES value must be an Outcome")
    if not isinstance(good_tests, tuple) or not all(isinstance(test, str) for test in good_tests):
        raise ProofError(f"{code}: {where}: GOOD_TESTS must be a tuple of test names")
    if not isinstance(row, Row):
        raise ProofError(f"{code}: {where}: TABLE must be a Row")
    return Pitfall(code, folder, dict(outcomes), good_tests, row)


def load_pitfalls(root: Path = HERE) -> tuple[tuple[Pitfall, ...], dict[str, str]]:
    """Every proof folder's Pitfall in code order, and code -> problem for those that do not load."""
    pitfalls: list[Pitfall] = []
    problems: dict[str, str] = {}
    for folder in proof_folders(root):
        try:
            pitfalls.append(load_pitfall(folder))
        except ProofError as error:
            problems[folder.name[:6]] = str(error)
    return tuple(pitfalls), problems
