"""The primer's bookkeeping: snapshot and baseline files, their comparison, and the per-rule report.

No network, no subprocess: ``run.py`` feeds this module what scopecheck printed, and the unit
tests (tests/test_primer.py) feed it synthetic snapshots.

A finding is keyed by (suite, path relative to the suite, line, code): the suites are pinned, so
lines do not move, while messages change as rules are reworded (the message is kept for reading).
Several findings with one key (same line, same code) are one entry with ``count``.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

VERDICTS = ("hazard", "hint", "fp")
UNAUDITED = "unaudited"
TRUE_VERDICTS = ("hazard", "hint")
LOUD = ("error", "warning")

Key = tuple[str, str, int, str]

# The cause a message names: the first `path.py:line` in it (a creation line, a fixture's line).
_CAUSE = re.compile(r"(?<![\w./-])([\w./-]+\.pyi?:\d+)")


@dataclass
class Finding:
    suite: str
    path: str
    line: int
    code: str
    severity: str
    message: str
    count: int = 1
    verdict: str = UNAUDITED
    reason: str = ""

    @property
    def key(self) -> Key:
        return (self.suite, self.path, self.line, self.code)

    def cause(self) -> str:
        """What the message blames, for grouping "one cause repeated": the `path:line` it names,
        else the finding's own line."""
        m = _CAUSE.search(self.message)
        return m.group(1) if m else f"{self.path}:{self.line}"

    def to_json(self, with_verdict: bool) -> dict:
        out: dict = {"suite": self.suite, "path": self.path, "line": self.line, "code": self.code}
        if with_verdict:
            out["verdict"] = self.verdict
            out["reason"] = self.reason
        out["severity"] = self.severity
        if self.count != 1:
            out["count"] = self.count
        out["message"] = self.message
        return out

    @classmethod
    def from_json(cls, data: dict) -> Finding:
        return cls(
            suite=str(data["suite"]),
            path=str(data["path"]),
            line=int(data["line"]),
            code=str(data["code"]),
            severity=str(data.get("severity", "")),
            message=str(data.get("message", "")),
            count=int(data.get("count", 1)),
            verdict=str(data.get("verdict", UNAUDITED)),
            reason=str(data.get("reason", "")),
        )


def merge_raw(suite: str, raw: list[dict]) -> list[Finding]:
    """scopecheck's JSON findings of one suite (paths already relative to the suite) as entries,
    one per key, sorted."""
    by_key: dict[Key, Finding] = {}
    for item in raw:
        f = Finding(
            suite=suite,
            path=str(item["path"]).replace("\\", "/"),
            line=int(item.get("line") or 0),
            code=str(item["code"]),
            severity=str(item.get("severity", "")),
            message=str(item.get("message", "")),
        )
        if f.key in by_key:
            by_key[f.key].count += 1
        else:
            by_key[f.key] = f
    return sorted(by_key.values(), key=lambda f: f.key)


# --- files -------------------------------------------------------------------------------------


def dump_entries(header: dict, findings: list[Finding], with_verdict: bool) -> str:
    """JSON with one finding per line, sorted: diffs stay one line per changed finding."""
    head = json.dumps(header, ensure_ascii=False, sort_keys=True, indent=1)
    lines = [json.dumps(f.to_json(with_verdict), ensure_ascii=False) for f in sorted(findings, key=lambda f: f.key)]
    body = ",\n".join(lines)
    return f'{{"header": {head},\n"findings": [\n{body}\n]}}\n' if lines else f'{{"header": {head},\n"findings": []}}\n'


def load_entries(path: Path) -> tuple[dict, list[Finding]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data.get("header", {}), [Finding.from_json(x) for x in data.get("findings", [])]


# --- comparison --------------------------------------------------------------------------------


@dataclass
class RuleStats:
    code: str
    findings: int = 0  # snapshot findings (with counts)
    new: int = 0  # not in the baseline
    gone: int = 0  # in the baseline, not found
    gone_true: int = 0  # gone and judged hazard/hint
    verdicts: Counter = field(default_factory=Counter)  # hazard/hint/fp/unaudited over snapshot findings
    loud_verdicts: Counter = field(default_factory=Counter)  # the same, error+warning only
    largest_group: tuple[int, str] = (0, "")  # (size, "suite: cause")

    @staticmethod
    def _precision(counter: Counter) -> float | None:
        audited = sum(counter[v] for v in VERDICTS)
        if not audited:
            return None
        return sum(counter[v] for v in TRUE_VERDICTS) / audited

    @property
    def precision(self) -> float | None:
        return self._precision(self.verdicts)

    @property
    def loud_precision(self) -> float | None:
        return self._precision(self.loud_verdicts)

    @property
    def loud_findings(self) -> int:
        return sum(self.loud_verdicts.values())


@dataclass
class Comparison:
    current: list[Finding]  # snapshot findings, carrying the baseline's verdict where known
    new: list[Finding]
    gone: list[Finding]
    unaudited: list[Finding]  # new ones and those still marked unaudited
    rules: dict[str, RuleStats]
    total: RuleStats
    # Verdicts whose disappearance fails the run; run.py --allow-gone-hints narrows it to hazards
    # (for a deliberate change, e.g. a rule leaving the default selection).
    must_stay: tuple[str, ...] = TRUE_VERDICTS

    @property
    def gone_true(self) -> list[Finding]:
        return [f for f in self.gone if f.verdict in self.must_stay]

    @property
    def failed(self) -> bool:
        return bool(self.unaudited or self.gone_true)


def compare(snapshot: list[Finding], baseline: list[Finding], suites: set[str] | None = None) -> Comparison:
    """Compare the snapshot with the baseline, over `suites` only (the ones that ran) when given."""
    if suites is not None:
        snapshot = [f for f in snapshot if f.suite in suites]
        baseline = [f for f in baseline if f.suite in suites]
    known = {f.key: f for f in baseline}
    found = {f.key for f in snapshot}
    current, new = [], []
    for f in snapshot:
        old = known.get(f.key)
        entry = Finding(**{**f.__dict__})
        if old is None:
            entry.verdict, entry.reason = UNAUDITED, ""
            new.append(entry)
        else:
            entry.verdict, entry.reason = old.verdict, old.reason
        current.append(entry)
    gone = [f for f in baseline if f.key not in found]
    unaudited = [f for f in current if f.verdict not in VERDICTS]

    rules: dict[str, RuleStats] = {}
    total = RuleStats("all")

    def stats(code: str) -> RuleStats:
        return rules.setdefault(code, RuleStats(code))

    groups: dict[str, Counter] = defaultdict(Counter)
    new_keys = {f.key for f in new}
    for f in current:
        verdict = f.verdict if f.verdict in VERDICTS else UNAUDITED
        for s in (stats(f.code), total):
            s.findings += f.count
            s.new += f.count if f.key in new_keys else 0
            s.verdicts[verdict] += f.count
            if f.severity in LOUD:
                s.loud_verdicts[verdict] += f.count
        groups[f.code][f"{f.suite}: {f.cause()}"] += f.count
    for f in gone:
        for s in (stats(f.code), total):
            s.gone += f.count
            s.gone_true += f.count if f.verdict in TRUE_VERDICTS else 0
    for code, counter in groups.items():
        cause, size = min(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        rules[code].largest_group = (size, cause)
        if size > total.largest_group[0]:
            total.largest_group = (size, f"{code} {cause}")
    return Comparison(current, new, gone, unaudited, dict(sorted(rules.items())), total)


def with_verdicts(cmp: Comparison, suites_run: set[str], baseline: list[Finding]) -> list[Finding]:
    """The baseline `--update` writes: the snapshot's findings with their known verdicts (new ones
    unaudited), plus the untouched entries of suites that did not run."""
    kept = [f for f in baseline if f.suite not in suites_run]
    return sorted(kept + cmp.current, key=lambda f: f.key)


# --- report ------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def report_lines(cmp: Comparison) -> list[str]:
    head = (
        f"{'rule':<7} {'findings':>8} {'new':>5} {'gone':>5} {'hazard':>6} {'hint':>5} {'fp':>5} "
        f"{'unaud':>5} {'e+w':>5} {'prec e+w':>8} {'prec all':>8}  largest one-cause group"
    )
    lines = [head, "-" * len(head)]
    for s in [*cmp.rules.values(), cmp.total]:
        v = s.verdicts
        size, cause = s.largest_group
        group = f"{size} x {cause}" if size else "-"
        lines.append(
            f"{s.code:<7} {s.findings:>8} {s.new:>5} {s.gone:>5} {v['hazard']:>6} {v['hint']:>5} {v['fp']:>5} "
            f"{v[UNAUDITED]:>5} {s.loud_findings:>5} {_pct(s.loud_precision):>8} {_pct(s.precision):>8}  {group}"
        )
    return lines


def compact(f: Finding, width: int = 140) -> str:
    """One line for the lead to audit: suite, path:line, code, severity, message."""
    count = f" (x{f.count})" if f.count != 1 else ""
    line = f"{f.suite}  {f.path}:{f.line}  {f.code} {f.severity}{count}  {f.message}"
    return line if len(line) <= width else line[: width - 1] + "…"


def problem_lines(cmp: Comparison, limit: int = 50, width: int = 140) -> list[str]:
    lines: list[str] = []
    if cmp.unaudited:
        lines.append(f"{len(cmp.unaudited)} finding(s) without a verdict:")
        lines += ["  " + compact(f, width) for f in cmp.unaudited[:limit]]
        if len(cmp.unaudited) > limit:
            lines.append(f"  ... and {len(cmp.unaudited) - limit} more (all in the snapshot)")
    if cmp.gone_true:
        lines.append(f"{len(cmp.gone_true)} finding(s) judged {'/'.join(cmp.must_stay)} are gone:")
        lines += [f"  [{f.verdict}] " + compact(f, width) for f in cmp.gone_true[:limit]]
        if len(cmp.gone_true) > limit:
            lines.append(f"  ... and {len(cmp.gone_true) - limit} more")
    return lines


def markdown_rules(cmp: Comparison) -> list[str]:
    """The per-rule table of docs/accuracy.md."""
    lines = [
        "| rule | findings | hazard | hint | fp | unaudited | error+warning | precision e+w | precision all "
        "| largest one-cause group |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for s in [*cmp.rules.values(), cmp.total]:
        v = s.verdicts
        size, cause = s.largest_group
        group = f"{size} x `{cause}`" if size else "-"
        name = "**all**" if s is cmp.total else s.code
        lines.append(
            f"| {name} | {s.findings} | {v['hazard']} | {v['hint']} | {v['fp']} | {v[UNAUDITED]} | {s.loud_findings} "
            f"| {_pct(s.loud_precision)} | {_pct(s.precision)} | {group} |"
        )
    return lines
