"""``--format junit``: JUnit XML for CI test dashboards (Jenkins, GitLab, Azure, ...).

One ``<testsuite>`` per file with findings and one ``<testcase>`` per finding: failing when the
finding is at or above ``fail-on`` (it fails the run), passing with the finding in its
``<system-out>`` when it is below (the run passes, so the dashboard stays green). A clean run is a
single passing test case, so dashboards show "scopecheck passed" instead of an empty report.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from itertools import groupby
from typing import TYPE_CHECKING

from scopecheck.findings import Finding, Severity

if TYPE_CHECKING:
    from scopecheck.engine import LintResult
    from scopecheck.reporters import ReportOptions

SUITES_NAME = "scopecheck"
# Characters XML 1.0 cannot carry at all, even escaped; lone surrogates stand for the undecodable
# bytes of a file name (surrogateescape) and are no characters either.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _classname(path: str) -> str:
    """``tests/test_s3.py`` -> ``tests.test_s3``: dashboards split class names at dots into packages."""
    stem = path[:-3] if path.endswith(".py") else path
    parts = [p for p in os.path.normpath(stem).replace(os.sep, "/").split("/") if p not in ("", ".", "..")]
    return _clean(".".join(parts))


def _testcase(finding: Finding, fails: bool) -> ET.Element:
    loc = finding.location
    case = ET.Element(
        "testcase",
        {
            "name": _clean(f"{finding.code} {finding.name} at line {loc.line}, column {loc.column}"),
            "classname": _classname(finding.path),
            "file": _clean(finding.path),
            "line": str(loc.line),
            "time": "0",
        },
    )
    text = f"{finding.path}:{loc.line}:{loc.column}: {finding.code} {finding.message}"
    if finding.url:  # the rule's page, for the why and the fix
        text += f"\n{finding.url}"
    if fails:
        kind = {"message": _clean(finding.message), "type": f"{finding.code} ({finding.severity.label})"}
        ET.SubElement(case, "failure", kind).text = _clean(text)
    else:
        ET.SubElement(case, "system-out").text = _clean(f"{finding.severity.label} (below fail-on): {text}")
    return case


def _suite(name: str, cases: list[ET.Element], failures: int) -> ET.Element:
    suite = ET.Element(
        "testsuite",
        {
            "name": _clean(name),
            "tests": str(len(cases)),
            "failures": str(failures),
            "errors": "0",
            "skipped": "0",
            "time": "0",
        },
    )
    suite.extend(cases)
    return suite


def build(result: LintResult, fail_on: Severity = Severity.INFO) -> ET.Element:
    root = ET.Element("testsuites", {"name": SUITES_NAME})
    total = len(result.findings)
    failing = sum(1 for f in result.findings if f.severity >= fail_on)
    if not result.findings:
        passing = ET.Element("testcase", {"name": "no findings", "classname": SUITES_NAME, "time": "0"})
        root.append(_suite(SUITES_NAME, [passing], 0))
    for path, findings in groupby(result.findings, key=lambda f: f.path):
        mine = list(findings)
        cases = [_testcase(f, f.severity >= fail_on) for f in mine]
        root.append(_suite(path, cases, sum(1 for f in mine if f.severity >= fail_on)))
    root.set("tests", str(max(total, 1)))
    root.set("failures", str(failing))
    root.set("errors", "0")
    return root


def render(result: LintResult, options: ReportOptions) -> str:
    root = build(result, options.fail_on)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
