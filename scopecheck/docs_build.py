"""Write the generated docs from the rule definitions: ``python -m scopecheck.docs_build``.

* ``docs/rules/SCPnnn.md``: one page per rule;
* ``README.md``: the rule table, between its ``<!-- BEGIN rules -->`` / ``<!-- END rules -->`` markers;
* ``fixtures_demo/pitfalls/README.md``: the measured pitfall table, between its ``pitfalls`` markers, one
  row per proof folder ``SCPnnn_<name>/`` (its rule's code and name, and the ``TABLE`` cells of its
  ``outcome.py``), in code order; ``fixtures_demo/README.md`` holds a copy.

A test fails when any of them is stale.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path
from typing import Any

from scopecheck.docs import render_rule, render_rule_table
from scopecheck.rules import ALL_RULES, RULES_BY_CODE

REPO = Path(__file__).resolve().parent.parent
PITFALLS_README = Path("fixtures_demo") / "pitfalls" / "README.md"


def expected_pages() -> dict[str, str]:
    return {f"{rule.code}.md": render_rule(rule) for rule in ALL_RULES}


def _region(name: str) -> re.Pattern[str]:
    # The BEGIN line may carry a note after the name; the body is everything between the lines.
    return re.compile(rf"(<!-- BEGIN {re.escape(name)}\b[^\n]*-->\n)(.*?)(<!-- END {re.escape(name)} -->)", re.S)


def region(text: str, name: str) -> str:
    """The text between the BEGIN/END markers called *name*; ValueError when they are missing."""
    match = _region(name).search(text)
    if match is None:
        raise ValueError(f"no <!-- BEGIN {name} --> ... <!-- END {name} --> markers")
    return match.group(2)


def replace_region(text: str, name: str, body: str) -> str:
    region(text, name)  # the markers must be there
    return _region(name).sub(lambda m: m.group(1) + body + m.group(3), text, count=1)


PITFALL_HEADER = "| rule | folder | bad in noenv | bad in fakeenv | good |\n|---|---|---|---|---|\n"


def _pitfall_outcomes(root: Path) -> Any:
    """fixtures_demo/pitfalls/outcomes.py of the checkout at *root* (a dev-only module, not shipped)."""
    if str(root) not in sys.path:  # the proof folders' outcome.py import it from the fixtures_demo package
        sys.path.insert(0, str(root))
    return importlib.import_module("fixtures_demo.pitfalls.outcomes")


def render_pitfall_table(root: Path = REPO) -> str:
    """The pitfall table: one row per proof folder of a rule, in code order, from its outcome.py.

    A folder whose outcome.py does not load, or that names no rule, gets no row: the proofs' own
    tests fail on it with the reason.
    """
    outcomes = _pitfall_outcomes(root)
    pitfalls, _problems = outcomes.load_pitfalls(root / PITFALLS_README.parent)
    rows = []
    for pitfall in pitfalls:
        rule = RULES_BY_CODE.get(pitfall.code)
        if rule is not None:
            cells = (f"{rule.code} {rule.name}", f"`{pitfall.folder}`", *pitfall.row)
            rows.append("| " + " | ".join(cells) + " |\n")
    return PITFALL_HEADER + "".join(rows)


def expected_files(root: Path = REPO) -> dict[Path, str]:
    """Every generated file under *root* with its expected text (READMEs only where they exist)."""
    files = {root / "docs" / "rules" / name: text for name, text in expected_pages().items()}
    readme = root / "README.md"
    if readme.is_file():
        files[readme] = replace_region(readme.read_text(encoding="utf-8"), "rules", render_rule_table(ALL_RULES))
    pitfalls, demo = root / PITFALLS_README, root / "fixtures_demo" / "README.md"
    if pitfalls.is_file():
        table = render_pitfall_table(root)
        files[pitfalls] = replace_region(pitfalls.read_text(encoding="utf-8"), "pitfalls", table)
        if demo.is_file():
            files[demo] = replace_region(demo.read_text(encoding="utf-8"), "pitfalls", table)
    return files


def main(argv: list[str]) -> int:
    if argv:  # only the rule pages, into another folder
        out = Path(argv[0])
        out.mkdir(parents=True, exist_ok=True)
        for name, text in expected_pages().items():
            (out / name).write_text(text, encoding="utf-8")
        print(f"wrote {len(ALL_RULES)} rule pages to {out}")
        return 0
    (REPO / "docs" / "rules").mkdir(parents=True, exist_ok=True)
    files = expected_files()
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(ALL_RULES)} rule pages and {len(files) - len(ALL_RULES)} README tables under {REPO}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
