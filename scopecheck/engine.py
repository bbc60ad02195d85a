"""The pipeline: discovered files -> per-file facts -> pytest model -> rules -> findings."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Callable

import pathspec

from scopecheck.analysis import Analysed, analyse_bytes, analyse_path, is_conftest, read_bytes
from scopecheck.config import Settings
from scopecheck.discovery import SourcePath, discover
from scopecheck.facts.model import FileFacts
from scopecheck.findings import Finding
from scopecheck.model.imports import ImportResolver
from scopecheck.model.modules import find_on_path
from scopecheck.model.suite import Suite
from scopecheck.rules import ALL_RULES
from scopecheck.rules.base import Context, Hit, Rule
from scopecheck.run_config import RunConfig
from scopecheck.selection import is_enabled
from scopecheck.source import SourceError, decode_source
from scopecheck.suppressions import Suppressions


@dataclass
class LintRequest:
    """What to lint (paths or stdin) with which resolved configuration; ``jobs`` and ``progress``
    change how fast, never what is found."""

    paths: list[str]
    config: RunConfig
    stdin_text: bytes | None = None
    stdin_filename: str | None = None
    force_exclude: bool = False
    jobs: int = 1
    progress: Callable[[int, int], None] | None = None  # (files analysed, files to analyse)


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    files_scanned: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # display path -> source, for --show-source
    cache_hits: int = 0
    internal_errors: list[str] = field(default_factory=list)  # a rule that failed; the run fails too
    guessed_root: str | None = None  # the project root used when no marker file was found

    def source_of(self, display: str, path: str | None = None) -> str | None:
        """A reported file's text, read from *path* (else *display*) the first time it is asked
        for: cached facts and run-cache hits carry no text."""
        if display not in self.texts:
            try:
                self.texts[display] = decode_source(read_bytes(path or display)).text
            except (OSError, SourceError):
                return None
        return self.texts[display]


def enabled_rules(select: list[str], ignore: list[str], moto_major: int = 5) -> list[Rule]:
    return [
        rule for rule in ALL_RULES if is_enabled(rule.code, select, ignore, opt_in=not rule.on_by_default(moto_major))
    ]


def _conftests_above(path: str, root: str) -> Iterable[str]:
    directory = os.path.dirname(path)
    while directory.startswith(root):
        candidate = os.path.join(directory, "conftest.py")
        if os.path.isfile(candidate):
            yield candidate
        if directory == root:
            break
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent


def _context_files(targets: list[SourcePath], settings: Settings, root: str, analyser: Analyser) -> list[str]:
    """Files that take part in the model without being reported on: the conftest.py files above
    the targets; the modules their ``pytest_plugins`` name (so that one file linted alone sees
    the same fixtures as the whole tree); and, for a conftest.py named on its own (as pre-commit
    does), the test modules below it, whose use of its fixtures decides some of its findings
    (SCP103, SCP301)."""
    known = {t.abspath for t in targets}
    context = {c for path in known for c in _conftests_above(path, root) if c not in known}
    lone_conftests = [t for t in targets if t.explicit and is_conftest(t.abspath)]
    if lone_conftests:
        below = discover([os.path.dirname(t.abspath) for t in lone_conftests], settings)
        context |= {f.abspath for f in below.files if f.abspath not in known}
    # Conftests always; other targets only in small runs (pre-commit, an editor): a plugin named
    # by a test module of a whole-tree run is almost always in that tree already.
    scan = context | {t.abspath for t in targets if is_conftest(t.abspath) or len(targets) <= _PLUGIN_SCAN_LIMIT}
    context |= {p for p in _plugin_modules(scan, root, analyser) if p not in known}
    return sorted(context)


_PLUGIN_SCAN_LIMIT = 256


def _plugin_modules(paths: Iterable[str], root: str, analyser: Analyser) -> set[str]:
    """Project files named by ``pytest_plugins`` in *paths*, and by those files in turn, read from
    their facts (one batch per level, so the analysis runs in parallel and through the cache)."""
    level = sorted(set(paths))
    seen: set[str] = set()
    found: set[str] = set()
    while level:
        seen.update(level)
        analyser.many(level)
        named: set[str] = set()
        for path in level:
            analysed = analyser.done[path]
            for name in () if analysed.ignored else analysed.facts.pytest_plugins:
                target = find_on_path(name, path, root)
                if target is not None:
                    found.add(target)
                    named.add(target)
        level = sorted(named - seen)
    return found


class Analyser:
    """Analyses files, through the cache when there is one, and remembers the results."""

    def __init__(self, request: LintRequest) -> None:
        from scopecheck.cache import FactsCache

        cache_dir = request.config.cache_dir
        self.cache = FactsCache.open(cache_dir) if cache_dir else None
        self.jobs = request.jobs
        self.progress = request.progress
        self.done: dict[str, Analysed] = {}
        self.hits = 0

    def many(self, paths: list[str]) -> None:
        todo = [p for p in paths if p not in self.done]
        if self.cache is not None:
            for path, analysed in self.cache.lookup(todo).items():
                self.done[path] = analysed
                self.hits += 1
            todo = [p for p in todo if p not in self.done]
        if not todo:
            return
        from scopecheck.parallel import analyse_all

        fresh = analyse_all(todo, self.jobs, self.progress)
        self.done.update(fresh)
        if self.cache is not None:
            self.cache.store(fresh)

    def one(self, path: str) -> Analysed:
        if path not in self.done:
            self.many([path])
        return self.done[path]


@dataclass
class Inputs:
    """The files of one run: *targets* are reported on; *context* files (conftest.py chain,
    ``pytest_plugins`` modules, tests below a lone conftest) only take part in the model."""

    targets: list[SourcePath]
    context: list[str]

    @property
    def display_of(self) -> dict[str, str]:
        return {t.abspath: t.display for t in self.targets}


def lint(request: LintRequest) -> LintResult:
    config = request.config
    result = LintResult(guessed_root=config.root if config.root_guessed else None)
    analyser = Analyser(request)
    inputs = collect_inputs(request, analyser, result)
    run_key = _run_key(request, analyser, inputs, result)
    if run_key is not None and _reuse_run(analyser, run_key, inputs, result):
        return result
    files = analyse_files(inputs, analyser, result)
    suite = build_model(files, request, analyser)
    ctx = Context(
        suite=suite,
        targets=set(inputs.display_of) & set(files),
        moto_major=config.moto_major,
        ini_sets_region=config.ini_sets_region,
    )
    hits = run_rules(enabled_rules(list(config.select), list(config.ignore), config.moto_major), ctx, result)
    result.findings = filter_hits(hits, inputs, config, analyser, result)
    finalise(result, analyser, inputs, run_key, suite)
    return result


def collect_inputs(request: LintRequest, analyser: Analyser, result: LintResult) -> Inputs:
    """Discover the targets (or take stdin's text as the one target), then their context files."""
    settings = request.config.settings
    targets: list[SourcePath] = []
    if request.stdin_text is not None:
        stdin_display = request.stdin_filename or "-"
        abspath = os.path.abspath(request.stdin_filename or "stdin.py")
        targets.append(SourcePath(stdin_display, abspath, explicit=True))
        analyser.done[abspath] = analyse_bytes(abspath, request.stdin_text)
    else:
        found = discover(request.paths, settings, force_exclude=request.force_exclude)
        targets = found.files
        result.skipped += found.skipped
    return Inputs(targets, _context_files(targets, settings, request.config.root, analyser))


def _run_key(request: LintRequest, analyser: Analyser, inputs: Inputs, result: LintResult) -> str | None:
    """The key of this run's findings in the run cache: the configuration, the files as given and
    skipped, and the content of every file read (stdin is never cached)."""
    if analyser.cache is None or request.stdin_text is not None:
        return None
    options = repr((request.config.key(), [t.display for t in inputs.targets], result.skipped))
    return analyser.cache.run_key(options, [t.abspath for t in inputs.targets] + inputs.context)


def _reuse_run(analyser: Analyser, run_key: str, inputs: Inputs, result: LintResult) -> bool:
    """A warm run with nothing changed reuses the previous run's findings outright."""
    assert analyser.cache is not None
    payload = analyser.cache.load_run(run_key)
    if payload is None:
        return False
    result.findings, result.files_scanned, result.skipped = payload
    result.cache_hits = len(inputs.targets)
    return True


def analyse_files(inputs: Inputs, analyser: Analyser, result: LintResult) -> dict[str, FileFacts]:
    """Facts of every target and context file that takes part (abspath -> facts)."""
    analyser.many([t.abspath for t in inputs.targets])
    files = {}
    for target in inputs.targets:
        analysed = analyser.done[target.abspath]
        if analysed.ignored:
            result.skipped.append((target.display, "# scopecheck: ignore-file"))
            continue
        files[target.abspath] = analysed.facts
    result.files_scanned = len(inputs.targets)

    analyser.many(inputs.context)
    for path in inputs.context:
        analysed = analyser.done[path]
        if not analysed.ignored and analysed.facts.parse_error is None:
            files[path] = analysed.facts
    return files


def build_model(files: dict[str, FileFacts], request: LintRequest, analyser: Analyser) -> Suite:
    """The pytest model of the suite, with first-party imports resolved on demand."""
    root = request.config.root
    guessed = request.config.root_guessed

    def load(path: str) -> FileFacts | None:
        if path in files:
            return files[path]
        analysed = analyser.one(path)
        return None if analysed.ignored else analysed.facts

    scanned_dirs = [os.path.abspath(p) for p in request.paths if os.path.isdir(p)]
    imports = ImportResolver(project_root=root, roots=scanned_dirs, load=load, guessed_root=guessed)
    return Suite(files, root=root, imports=imports)


def run_rules(rules: list[Rule], ctx: Context, result: LintResult) -> Iterator[tuple[Rule, Hit]]:
    """Every enabled rule's hits, rule by rule; a rule that raises is reported, not fatal."""
    for rule in rules:
        for hit in _guarded(rule, ctx, result):
            yield rule, hit


def filter_hits(
    hits: Iterable[tuple[Rule, Hit]], inputs: Inputs, config: RunConfig, analyser: Analyser, result: LintResult
) -> list[Finding]:
    """The hits to report: in a target, once per place and code, not ignored for the file
    (per-file-ignores) nor suppressed by a comment; sorted."""
    display_of = inputs.display_of
    per_file = _PerFileIgnores(config.settings)
    suppressions: dict[str, Suppressions] = {}
    seen: set[tuple[str, int, int, str]] = set()
    findings: list[Finding] = []
    for rule, hit in hits:
        display = display_of.get(hit.facts.path)
        if display is None:
            continue
        key = (display, hit.loc.line, hit.loc.column, rule.code)
        if key in seen or per_file.ignores(hit.facts.path, rule.code):
            continue
        seen.add(key)
        text = _text_of(analyser, hit.facts.path, display, result)
        if text is not None:
            sup = suppressions.setdefault(display, Suppressions(text))
            if sup.suppresses(hit.loc.line, rule.code):
                continue
        severity = rule.severity_for(config.moto_major)
        findings.append(Finding(display, hit.loc, rule.code, rule.name, severity, hit.message, hit.fix, help=hit.help))
    findings.sort(key=Finding.sort_key)
    return findings


def finalise(result: LintResult, analyser: Analyser, inputs: Inputs, run_key: str | None, suite: Suite) -> None:
    """Count cache hits; store the run's findings (unless a rule failed) and close the cache."""
    result.cache_hits = analyser.hits
    cache = analyser.cache
    if cache is None:
        return
    if run_key is not None and not result.internal_errors:
        covered = {t.abspath for t in inputs.targets} | set(inputs.context)
        cache.store_run(
            run_key,
            covered,
            (result.findings, result.files_scanned, result.skipped),
            suite.imports.probed,
        )
    cache.close()


def _guarded(rule: Rule, ctx: Context, result: LintResult) -> Iterator[Hit]:
    """A rule that fails on some odd input must not take the other rules down with it."""
    try:
        yield from rule.check(ctx)
    except Exception as exc:  # noqa: BLE001
        result.internal_errors.append(
            f"internal error in rule {rule.code} ({type(exc).__name__}: {exc}); please report this"
        )


def _text_of(analyser: Analyser, abspath: str, display: str, result: LintResult) -> str | None:
    """The source of a file with a finding (for noqa comments and --show-source); cached facts
    carry no text, so it is read again here, for these few files only."""
    analysed = analyser.done.get(abspath)
    if display not in result.texts and analysed is not None and analysed.text is not None:
        result.texts[display] = analysed.text
    return result.source_of(display, abspath)


class _PerFileIgnores:
    def __init__(self, settings: Settings) -> None:
        self.base = os.path.abspath(settings.base_dir)
        self.entries = [
            (pathspec.GitIgnoreSpec.from_lines([glob]), codes) for glob, codes in settings.per_file_ignores.items()
        ]

    def ignores(self, abspath: str, code: str) -> bool:
        if not self.entries:
            return False
        rel = os.path.relpath(abspath, self.base).replace(os.sep, "/")
        return any(
            spec.match_file(rel) and any(code.startswith(c) or c == "ALL" for c in codes)
            for spec, codes in self.entries
        )


__all__ = ["LintRequest", "LintResult", "lint", "enabled_rules", "analyse_path", "is_conftest"]
