"""Rule documentation rendered from the rule definitions (for --explain and docs/rules/)."""

from __future__ import annotations

import re

from scopecheck.rules.base import Example, Rule

# One marker may name several codes: ``# expect: SCP101, SCP301``.
_MARKER = re.compile(r"# expect: (SCP\d{3}(?:, SCP\d{3})*)")


def _example_block(example: Example) -> str:
    parts = []
    for name, source in example.files.items():
        header = f"# {name}\n" if len(example.files) > 1 else ""
        shown = _MARKER.sub(r"# <- \1 reported here", source.rstrip())
        parts.append(f"```python\n{header}{shown}\n```")
    if example.target_moto != 5:
        parts.insert(0, f"(with `target-moto-version = {example.target_moto}`)")
    return "\n".join(parts)


def _selection_note(rule: Rule) -> str:
    if rule.opt_in_from_moto is None:
        return ""
    return (
        f"Not in the default selection on moto >= {rule.opt_in_from_moto}: turn it on with "
        f'`--extend-select {rule.code}` (or `extend-select = ["{rule.code}"]` in `[tool.scopecheck]`); '
        f"`--select ALL` and prefixes more specific than `SCP` (`{rule.code[:4]}`) include it. "
        f"On moto < {rule.opt_in_from_moto} it is on by default."
    )


def render_rule(rule: Rule) -> str:
    severity = rule.severity.label
    if rule.severity_moto4 is not None:
        severity += f" (moto >= 5), {rule.severity_moto4.label} (moto < 5)"
    sections = [
        f"# {rule.code} {rule.name}",
        f"Default severity: **{severity}**.",
        _selection_note(rule),
        "## What it does",
        rule.summary,
        "## Why is this bad?",
        rule.why,
        "## Example",
        _example_block(rule.bad[0]) if rule.bad else "",
        "## Use instead",
        rule.instead,
        _example_block(rule.good[0]) if rule.good else "",
    ]
    if rule.fix_safety:
        sections += ["## Fix safety", rule.fix_safety]
    sections += ["## Which moto versions", rule.versions]
    sections += [
        "## Suppressing it",
        f'`# noqa: {rule.code}` on the reported line, or `ignore = ["{rule.code}"]` / '
        f"`per-file-ignores` in `[tool.scopecheck]`.",
    ]
    return "\n\n".join(s for s in sections if s) + "\n"


def _severity_cell(rule: Rule) -> str:
    """The README's severity column: moto 5's, then what differs on older moto."""
    cell = rule.severity_for(5).label
    opt_in = rule.opt_in_from_moto is not None and rule.opt_in_from_moto <= 5
    if opt_in:
        cell += ", **off by default**"
    older = rule.severity_for(4)
    if older != rule.severity_for(5) and opt_in:
        cell += f" ({older.label} and on by default on moto < 5)"
    elif older != rule.severity_for(5):
        cell += f" ({older.label} on moto < 5)"
    elif opt_in:
        cell += " (on by default on moto < 5)"
    return cell


def render_rule_table(rules: tuple[Rule, ...]) -> str:
    """The README's rule table, one row per rule, linking each rule's page."""
    rows = ["| code | name | severity (moto 5) | finds |", "|---|---|---|---|"]
    rows += [
        f"| [{rule.code}](docs/rules/{rule.code}.md) | {rule.name} | {_severity_cell(rule)} | {rule.short} |"
        for rule in rules
    ]
    return "\n".join(rows) + "\n"
