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


def versions_label(majors: range) -> str:
    """``range(1, 5)`` -> "moto < 5"; ``range(4, 5)`` -> "moto 4"; ``range(2, 4)`` -> "moto 2 to 3"."""
    last = majors.stop - 1
    if majors.start <= 1:
        return f"moto < {majors.stop}"
    return f"moto {majors.start}" if majors.start == last else f"moto {majors.start} to {last}"


def _default_versions_label(rule: Rule) -> str:
    """Where ``rule.severity`` applies: "moto >= N" when the ranges cover every older major."""
    top = max(majors.stop for majors in rule.severity_by_moto)
    if all(any(major in majors for majors in rule.severity_by_moto) for major in range(1, top)):
        return f"moto >= {top}"
    return "other moto versions"


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
    if rule.severity_by_moto:
        others = ", ".join(f"{sev.label} ({versions_label(majors)})" for majors, sev in rule.severity_by_moto.items())
        severity += f" ({_default_versions_label(rule)}), {others}"
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
    opt_in_from = rule.opt_in_from_moto
    opt_in = opt_in_from is not None and opt_in_from <= 5
    if opt_in:
        cell += ", **off by default**"
    notes = []
    for majors, severity in rule.severity_by_moto.items():
        if 5 in majors:
            continue
        on = " and on by default" if opt_in_from is not None and opt_in and majors.stop <= opt_in_from else ""
        notes.append(f"{severity.label}{on} on {versions_label(majors)}")
    if opt_in and not notes:
        notes.append(f"on by default on moto < {opt_in_from}")
    return cell + (f" ({'; '.join(notes)})" if notes else "")


def render_rule_table(rules: tuple[Rule, ...]) -> str:
    """The README's rule table, one row per rule, linking each rule's page."""
    rows = ["| code | name | severity (moto 5) | finds |", "|---|---|---|---|"]
    rows += [
        f"| [{rule.code}](docs/rules/{rule.code}.md) | {rule.name} | {_severity_cell(rule)} | {rule.short} |"
        for rule in rules
    ]
    return "\n".join(rows) + "\n"
