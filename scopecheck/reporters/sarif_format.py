"""``--format sarif``: SARIF 2.1.0, the format GitHub code scanning and other dashboards import.

Every rule is described in ``tool.driver.rules`` (so a dashboard can show its documentation even for
a clean run), and each finding becomes a result pointing at a relative, forward-slash URI.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from scopecheck import REPOSITORY_URL, __version__
from scopecheck.findings import Finding, FindingKey, Severity
from scopecheck.rules import ALL_RULES
from scopecheck.rules.base import Rule

if TYPE_CHECKING:
    from scopecheck.engine import LintResult
    from scopecheck.reporters import ReportOptions

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FALLBACK_INFORMATION_URI = REPOSITORY_URL  # when scopecheck runs without its package metadata
SRCROOT = "%SRCROOT%"
_SURROGATES = re.compile("[\ud800-\udfff]")
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def information_uri() -> str:
    """The project's home page from its package metadata, when it declares one."""
    try:
        from importlib.metadata import PackageNotFoundError, metadata

        for entry in metadata("scopecheck").get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip().lower() in ("repository", "source", "homepage", "home") and url.strip():
                return url.strip()
    except (ImportError, PackageNotFoundError):
        pass
    return FALLBACK_INFORMATION_URI


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    from scopecheck.docs import render_rule

    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        # The one-line fix as text; the whole rule page (why, examples, fix) for viewers that render markdown.
        "help": {"text": rule.help, "markdown": render_rule(rule)},
        "helpUri": rule.url,
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["moto", "pytest"]},
    }


def artifact_location(path: str) -> dict[str, str]:
    """Relative paths stay relative to the checkout (%SRCROOT%); absolute ones outside it become file URIs."""
    if os.path.isabs(path):
        try:
            relative = os.path.relpath(path)
        except ValueError:  # another drive on Windows
            relative = ".."
        if relative.startswith(".."):
            return {"uri": Path(path).as_uri()}
        path = relative
    posix = os.path.normpath(path).replace(os.sep, "/")
    # surrogateescape: a file name that is not valid UTF-8 keeps its original bytes, percent-encoded.
    return {"uri": quote(posix, safe="/", errors="surrogateescape"), "uriBaseId": SRCROOT}


def region(finding: Finding) -> dict[str, int]:
    loc = finding.location
    end_column = loc.end_column
    if loc.end_line == loc.line and end_column <= loc.column:
        end_column = loc.column + 1  # SARIF's end column is exclusive, as ours is: keep the span non-empty
    return {"startLine": loc.line, "startColumn": loc.column, "endLine": loc.end_line, "endColumn": end_column}


def _text(text: str) -> str:
    """Lone surrogates (undecodable bytes of a file name in a message) would make the JSON invalid UTF-8."""
    return _SURROGATES.sub("\ufffd", text)


def result_entry(finding: Finding, rule_index: dict[str, int], applicability: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"ruleId": finding.code}
    if finding.code in rule_index:
        entry["ruleIndex"] = rule_index[finding.code]
    entry["level"] = LEVELS[finding.severity]
    entry["message"] = {"text": _text(finding.message)}
    entry["locations"] = [
        {"physicalLocation": {"artifactLocation": artifact_location(finding.path), "region": region(finding)}}
    ]
    properties: dict[str, Any] = {}
    if finding.help is not None:  # a hint for this place, beside the rule's help
        properties["help"] = _text(finding.help)
    if applicability is not None:  # what --fix does here: "safe", or "unsafe" (needs --unsafe-fixes)
        properties["fix"] = {"applicability": applicability, "message": _text(finding.fix_message or "")}
    if properties:
        entry["properties"] = properties
    return entry


def build(result: LintResult, fixes: dict[FindingKey, str] | None = None) -> dict[str, Any]:
    fixes = fixes or {}
    rule_index = {rule.code: i for i, rule in enumerate(ALL_RULES)}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "scopecheck",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": information_uri(),
                        "rules": [rule_descriptor(rule) for rule in ALL_RULES],
                    }
                },
                # Our columns count characters (code points), not UTF-16 units.
                "columnKind": "unicodeCodePoints",
                "results": [result_entry(f, rule_index, fixes.get(f.key())) for f in result.findings],
            }
        ],
    }


def render(result: LintResult, options: ReportOptions) -> str:
    return json.dumps(build(result, options.fixes), indent=2, ensure_ascii=False) + "\n"
