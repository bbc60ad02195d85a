"""Write the generated docs from the rule definitions: ``python -m scopecheck.docs_build``.

* ``docs/rules/SCPnnn.md``: one page per rule;
* ``README.md``: the rule table, between its ``<!-- BEGIN rules -->`` / ``<!-- END rules -->`` markers;
* ``fixtures_demo/README.md``: a copy of the measured pitfall table of ``fixtures_demo/pitfalls/README.md``
  (that table is written by hand from the proofs; a test checks it has one row per rule, in order).

A test fails when any of them is stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from scopecheck.docs import render_rule, render_rule_table
from scopecheck.rules import ALL_RULES

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


def expected_files(root: Path = REPO) -> dict[Path, str]:
    """Every generated file under *root* with its expected text (READMEs only where they exist)."""
    files = {root / "docs" / "rules" / name: text for name, text in expected_pages().items()}
    readme = root / "README.md"
    if readme.is_file():
        files[readme] = replace_region(readme.read_text(encoding="utf-8"), "rules", render_rule_table(ALL_RULES))
    pitfalls, demo = root / PITFALLS_README, root / "fixtures_demo" / "README.md"
    if pitfalls.is_file() and demo.is_file():
        table = region(pitfalls.read_text(encoding="utf-8"), "pitfalls")
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
