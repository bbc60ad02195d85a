"""Write docs/rules/SCPnnn.md from the rule definitions: ``python -m scopecheck.docs_build``."""

from __future__ import annotations

import sys
from pathlib import Path

from scopecheck.docs import render_rule
from scopecheck.rules import ALL_RULES


def expected_pages() -> dict[str, str]:
    return {f"{rule.code}.md": render_rule(rule) for rule in ALL_RULES}


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "docs" / "rules"
    out.mkdir(parents=True, exist_ok=True)
    for name, text in expected_pages().items():
        (out / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(ALL_RULES)} rule pages to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
