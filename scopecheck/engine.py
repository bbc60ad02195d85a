"""The pipeline: discovered files -> per-file facts -> pytest model -> rules -> findings."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Callable

import pathspec

from scopecheck.analysis import Analysed, analyse_bytes, analyse_path, is_conftest, read_bytes
from scopecheck.config import Settings, ini_sets_default_region, project_root, root_is_guessed
from scopecheck.discovery import SourcePath, discover
from scopecheck.facts.model import FileFacts
from scopecheck.findings import Finding
from scopecheck.model.imports import ImportResolver
from scopecheck.model.modules import find_on_path
from scopecheck.model.suite import Suite
from scopecheck.rules import ALL_RULES
from scopecheck.rules.base import Context, Hit, Rule
from scopecheck.selection import is_enabled
from scopecheck.source import SourceError, decode_source
from scopecheck.suppressions import Suppressions


@dataclass
class LintRequest:
    paths: list[str]
    settings: Settings
    select: list[str]
    ignore: list[str]
    moto_major: int
    stdin_text: bytes | None = None
    stdin_filename: str | None = None
    force_exclude: bool = False
    project_root: str | None = None
    jobs: int = 1
    progress: Callable[[int, int], None] | None = None  # (files analysed, files to analyse)
    cache_dir: str | None = None


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


def _root_start(request: LintRequest) -> str:
    first = request.stdin_filename if request.stdin_text is not None and request.stdin_filename else None
    return first or (request.paths[0] if request.paths else ".")


def _project_root(request: LintRequest) -> str:
    if request.project_root:
        return os.path.abspath(request.project_root)
    return project_root(_root_start(request))


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

        self.cache = FactsCache.open(request.cache_dir, request) if request.cache_dir else None
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


def lint(request: LintRequest) -> LintResult:
    result = LintResult()
    settings = request.settings
    root = _project_root(request)
    guessed = not request.project_root and root_is_guessed(_root_start(request))
    result.guessed_root = root if guessed else None
    rules = enabled_rules(request.select, request.ignore, request.moto_major)
    analyser = Analyser(request)

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
    ini_region = ini_sets_default_region(root)
    context = _context_files(targets, settings, root, analyser)

    # A warm run with nothing changed reuses the previous run's findings outright.
    run_key = None
    cache = analyser.cache
    if cache is not None and request.stdin_text is None:
        target_paths = [t.abspath for t in targets]
        options = repr(
            (
                request.select,
                request.ignore,
                sorted(settings.per_file_ignores.items()),
                settings.base_dir,
                request.moto_major,
                root,
                ini_region,
                [t.display for t in targets],
                result.skipped,
            )
        )
        run_key = cache.run_key(options, target_paths + context)
        payload = cache.load_run(run_key)
        if payload is not None:
            result.findings, result.files_scanned, result.skipped = payload
            result.cache_hits = len(targets)
            return result
    analyser.many([t.abspath for t in targets])

    display_of = {t.abspath: t.display for t in targets}
    files = {}
    for target in targets:
        analysed = analyser.done[target.abspath]
        if analysed.ignored:
            result.skipped.append((target.display, "# scopecheck: ignore-file"))
            continue
        files[target.abspath] = analysed.facts
    result.files_scanned = len(targets)

    analyser.many(context)
    for path in context:
        analysed = analyser.done[path]
        if not analysed.ignored and analysed.facts.parse_error is None:
            files[path] = analysed.facts

    def load(path: str) -> FileFacts | None:
        if path in files:
            return files[path]
        analysed = analyser.one(path)
        return None if analysed.ignored else analysed.facts

    scanned_dirs = [os.path.abspath(p) for p in request.paths if os.path.isdir(p)]
    imports = ImportResolver(project_root=root, roots=scanned_dirs, load=load, guessed_root=guessed)
    suite = Suite(files, root=root, imports=imports)
    ctx = Context(
        suite=suite,
        targets=set(display_of) & set(files),
        moto_major=request.moto_major,
        ini_sets_region=ini_region,
    )
    per_file = _PerFileIgnores(settings)
    suppressions: dict[str, Suppressions] = {}
    seen: set[tuple[str, int, int, str]] = set()
    for rule in rules:
        severity = rule.severity_for(request.moto_major)
        for hit in _guarded(rule, ctx, result):
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
            result.findings.append(
                Finding(display, hit.loc, rule.code, rule.name, severity, hit.message, hit.fix, help=hit.help)
            )
    result.findings.sort(key=Finding.sort_key)
    result.cache_hits = analyser.hits
    if cache is not None:
        if run_key is not None and not result.internal_errors:
            covered = {t.abspath for t in targets} | set(context)
            cache.store_run(
                run_key,
                covered,
                (result.findings, result.files_scanned, result.skipped),
                imports.probed,
            )
        cache.close()
    return result


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
