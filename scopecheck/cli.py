"""The ``scopecheck`` command line."""

from __future__ import annotations

import os
import sys
from collections import Counter
from typing import TYPE_CHECKING, TextIO

import click

from scopecheck import __version__
from scopecheck.config import ConfigError, Settings, load_settings, parse_moto_version
from scopecheck.findings import Severity
from scopecheck.reporters import FORMATS
from scopecheck.selection import split_codes, validate_codes

if TYPE_CHECKING:  # imported when used: a plain lint never loads the cross-check
    from scopecheck.findings import Finding
    from scopecheck.runtime_report import Runtime

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageProblem(click.UsageError):
    """A bad option value or config: reported as one line, exit status 2."""


def _codes(option: str, values: tuple[str, ...]) -> list[str]:
    try:
        return validate_codes(split_codes(values))
    except ValueError as exc:
        raise UsageProblem(f"{option}: {exc}") from None


def _list_rules(moto_major: int, output_format: str = "text") -> str:
    from scopecheck.rules import ALL_RULES

    if output_format == "json":
        import json

        items = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity_for(moto_major).label,
                "summary": r.short,
                "fixable": _fixable(r.code),
                "url": r.url,
            }
            for r in ALL_RULES
        ]
        return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
    rows = []
    for rule in ALL_RULES:
        severity = rule.severity_for(moto_major).label
        off = "" if rule.on_by_default(moto_major) else f" (off by default on moto >= {rule.opt_in_from_moto})"
        rows.append(f"{rule.code}  {rule.name:<24} {severity:<8} {rule.short}{off}")
    return "\n".join(rows) + "\n"


def _fixable(code: str) -> bool:
    from scopecheck.fixes.registry import fixable

    return fixable(code)


def _explain(code: str) -> str:
    from scopecheck.docs import render_rule
    from scopecheck.rules import RULES_BY_CODE

    rule = RULES_BY_CODE.get(code.strip().upper())
    if rule is None:
        raise UsageProblem(f"--explain: unknown rule code {code!r} (see --list-rules)")
    return render_rule(rule)


def _use_color(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _summary(findings_by_severity: Counter, files: int) -> str:
    total = sum(findings_by_severity.values())
    plural = "s" if files != 1 else ""
    if not total:
        return f"scopecheck: no findings in {files} file{plural}."
    parts = []
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        count = findings_by_severity.get(severity, 0)
        if count:
            name = severity.label + ("s" if count != 1 and severity != Severity.INFO else "")
            parts.append(f"{count} {name}")
    return f"scopecheck: {total} finding{'s' if total != 1 else ''} ({', '.join(parts)}) in {files} file{plural}."


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("paths", nargs=-1, metavar="[PATHS]...")
@click.option("--select", multiple=True, metavar="CODES", help="Only these codes or prefixes (comma-separated).")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Add codes to the selection.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these codes or prefixes.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    help="Lowest severity that makes the exit status 1 [default: info].",
)
@click.option("--statistics", is_flag=True, help="Count findings per code.")
@click.option("--show-source", is_flag=True, help="Print the offending line and the fix (help:) under each finding.")
@click.option("--target-moto-version", metavar="VERSION", help="moto major version the rules speak of.")
@click.option("--config", "config_path", metavar="PATH", help="Read settings from this TOML file.")
@click.option("--no-config", is_flag=True, help="Ignore pyproject.toml settings.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line on stderr.")
@click.option("--list-rules", is_flag=True, help="List every rule and exit.")
@click.option("--explain", metavar="CODE", help="Print a rule's documentation and exit.")
@click.option("--stdin-filename", metavar="PATH", help="The file name to report for `-` (stdin).")
@click.option("--force-exclude", is_flag=True, help="Apply excludes to files named on the command line too.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes [default: cores].")
@click.option("--no-cache", is_flag=True, help="Do not read or write the facts cache.")
@click.option("--cache-dir", metavar="DIR", help="Cache directory [default: .scopecheck_cache].")
@click.option("--color/--no-color", default=None, help="Colour the output [default: on a terminal].")
@click.option("--fix", is_flag=True, help="Apply safe fixes in place, then report what remains.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix/--diff: also apply unsafe fixes.")
@click.option("--diff", is_flag=True, help="Print the diff --fix would apply; change nothing.")
@click.option("--show-fixes", is_flag=True, help="With --fix/--diff: list the fixes per file (stderr).")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="With --fix: exit 1 if anything was fixed.")
@click.option("--fix-only", is_flag=True, help="Apply safe fixes; do not report what remains (implies --fix).")
@click.option(
    "--runtime-report",
    multiple=True,
    metavar="FILE.json",
    help="Cross-check the findings with a `pytest -p scopecheck.guard` report (repeatable: one per environment).",
)
@click.version_option(__version__, "-V", "--version", prog_name="scopecheck")
def cli(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    exit_zero: bool,
    fail_on: str | None,
    statistics: bool,
    show_source: bool,
    target_moto_version: str | None,
    config_path: str | None,
    no_config: bool,
    quiet: bool,
    list_rules: bool,
    explain: str | None,
    stdin_filename: str | None,
    force_exclude: bool,
    jobs: int | None,
    no_cache: bool,
    cache_dir: str | None,
    color: bool | None,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    show_fixes: bool,
    exit_non_zero_on_fix: bool,
    fix_only: bool,
    runtime_report: tuple[str, ...] = (),
) -> int:
    """Lint moto + boto3 + pytest test suites: clients built before the mock, fixtures that end the
    mock early, leaked mock starts, removed moto<5 APIs, and more.

    PATHS are files or directories (default: the current directory); `-` reads stdin."""
    from scopecheck.moto_version import target_moto_major

    if explain is not None:
        click.echo(_explain(explain), nl=False)
        return EXIT_CLEAN
    try:
        moto_major_cli = None
        if target_moto_version is not None:
            moto_major_cli = parse_moto_version("--target-moto-version", target_moto_version)
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None
    if list_rules:
        click.echo(_list_rules(target_moto_major(moto_major_cli), output_format), nl=False)
        return EXIT_CLEAN
    fix = fix or fix_only
    for flag, given in (
        ("--show-fixes", show_fixes),
        ("--unsafe-fixes", unsafe_fixes),
        ("--exit-non-zero-on-fix", exit_non_zero_on_fix),
    ):
        if given and not (fix or diff):
            raise UsageProblem(f"{flag} does nothing without --fix or --diff")
    if cache_dir is not None and not no_cache:
        _check_cache_dir(cache_dir)

    path_list = list(paths) or ["."]
    reads_stdin = path_list == ["-"]
    if "-" in path_list and not reads_stdin:
        raise UsageProblem("`-` (stdin) cannot be combined with other paths")
    if stdin_filename and not reads_stdin:
        raise UsageProblem("--stdin-filename needs `-` as the only path")
    for path in path_list:
        if path != "-" and not os.path.lexists(path):
            raise UsageProblem(f"path {path!r} does not exist")
    if config_path and no_config:
        raise UsageProblem("--config and --no-config cannot be used together")
    if config_path and not os.path.isfile(config_path):
        raise UsageProblem(f"--config: {config_path!r} is not a file")

    start = (stdin_filename or ".") if reads_stdin else path_list[0]
    try:
        settings: Settings = load_settings(start, config_path=config_path, use_config=not no_config)
    except ConfigError as exc:
        raise UsageProblem(f"config: {exc}") from None

    from scopecheck.engine import LintRequest, lint
    from scopecheck.parallel import default_jobs
    from scopecheck.run_config import resolve

    config = resolve(
        settings,
        start,
        select=_codes("--select", select) if select else None,
        extend_select=_codes("--extend-select", extend_select) if extend_select else (),
        ignore=_codes("--ignore", ignore) if ignore else (),
        target_moto=moto_major_cli,
        fail_on=Severity.parse(fail_on) if fail_on else None,
        cache=not (no_cache or reads_stdin),
        cache_dir=cache_dir,
    )
    if not _any_rule_on(list(config.select), list(config.ignore)):
        raise UsageProblem("the selection turns every rule off (see --select, --ignore and the config's select)")
    threshold = config.fail_on
    stdin_bytes = _read_stdin() if reads_stdin else None
    request = LintRequest(
        paths=[] if reads_stdin else path_list,
        config=config,
        stdin_text=stdin_bytes,
        stdin_filename=stdin_filename,
        force_exclude=force_exclude,
        jobs=jobs or default_jobs(),
        progress=_progress_bar() if not quiet else None,
    )
    runtime = None
    if runtime_report:
        from scopecheck.runtime_report import RuntimeReportError, load

        try:
            runtime = load(list(runtime_report))
        except RuntimeReportError as exc:
            raise UsageProblem(str(exc)) from None
    result = lint(request)
    if runtime is not None:
        return _cross_check(result.findings, runtime, output_format)
    if result.guessed_root is not None and not quiet:
        click.echo(
            f"scopecheck: no pyproject.toml, setup.cfg, tox.ini or .git found; project root: {result.guessed_root}",
            err=True,
        )
    fixing = None
    if fix or diff:
        from scopecheck.fixes.command import FixOptions, run_fixes

        fixing = run_fixes(
            request,
            result,
            FixOptions(not diff, unsafe_fixes, show_fixes, quiet, exit_zero, exit_non_zero_on_fix, threshold),
        )
        if fixing.exit_code is not None:
            return fixing.exit_code
        if fix_only:  # the pre-commit fix hook: the report is the other hook's job
            return EXIT_FINDINGS if fixing.fail else EXIT_CLEAN
        result = fixing.result

    from scopecheck.reporters import ReportOptions, get_reporter

    try:
        reporter = get_reporter(output_format)
    except ImportError:
        raise UsageProblem(f"--format {output_format} is not available in this version") from None
    options = ReportOptions(
        color=_use_color(color) and output_format == "text", show_source=show_source, fail_on=threshold
    )
    if output_format in ("json", "sarif"):
        from scopecheck.fixes.applicability import applicabilities

        options.fixes = applicabilities(result, request)
    output = reporter(result, options)
    click.echo(output, nl=False, color=options.color)
    if statistics:
        counts = Counter((f.code, f.name) for f in result.findings)
        lines = [f"{n:>5}  {code}  {name}" for (code, name), n in sorted(counts.items())]
        if lines:
            click.echo("\n".join(lines), err=output_format != "text")
    if not quiet:
        for path, reason in result.skipped:
            click.echo(f"scopecheck: skipped {path}: {reason}", err=True)
        click.echo(_summary(Counter(f.severity for f in result.findings), result.files_scanned), err=True)
        if not result.files_scanned and not reads_stdin and not result.skipped:
            # As ruff does: a path with nothing to lint is worth a line, not a silent pass.
            click.echo(f"scopecheck: warning: no Python files found in {', '.join(path_list)}", err=True)
    if fixing is not None and fixing.fail:
        return EXIT_FINDINGS
    for problem in result.internal_errors:
        click.echo(f"scopecheck: {problem}", err=True)
    if exit_zero:
        return EXIT_CLEAN
    if result.internal_errors:
        return EXIT_FINDINGS
    return EXIT_FINDINGS if any(f.severity >= threshold for f in result.findings) else EXIT_CLEAN


def _cross_check(findings: list[Finding], runtime: Runtime, output_format: str) -> int:
    import json

    from scopecheck.runtime_report import cross_check, render, to_json

    check = cross_check(findings, runtime)
    if output_format == "json":
        click.echo(json.dumps(to_json(check), indent=2))
    else:
        click.echo(render(check), nl=False)
    return EXIT_CLEAN


def _check_cache_dir(cache_dir: str) -> None:
    """A file in the way is a mistake worth saying; an unwritable directory only costs the cache."""
    existing = os.path.abspath(cache_dir)
    while not os.path.lexists(existing) and os.path.dirname(existing) != existing:
        existing = os.path.dirname(existing)
    if os.path.lexists(existing) and not os.path.isdir(existing):
        shown = cache_dir if os.path.abspath(cache_dir) == existing else existing
        raise UsageProblem(f"--cache-dir: {cache_dir!r} is not a directory ({shown} is a file)")


def _any_rule_on(select: list[str], ignore: list[str]) -> bool:
    from scopecheck.rules import ALL_RULES
    from scopecheck.selection import is_enabled

    return any(is_enabled(rule.code, select, ignore) for rule in ALL_RULES)


class _ProgressBar:
    """A one-line counter on stderr while many files are analysed; erased when done."""

    MIN_FILES = 200

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if total < self.MIN_FILES:
            return
        write = self.stream.write
        write(f"\rscopecheck: analysing {done}/{total} files")
        self.shown = True
        if done >= total:
            write("\r\x1b[K")
            self.shown = False
        self.stream.flush()


def _progress_bar() -> _ProgressBar | None:
    """Only on a terminal: redirected or piped stderr gets no progress noise."""
    stream = sys.stderr
    return _ProgressBar(stream) if stream.isatty() else None


def _read_stdin() -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    return stream.read() if stream is not None else sys.stdin.read().encode("utf-8")


def _tolerant_streams() -> None:
    """File names that are not UTF-8 (surrogates) or text the terminal's encoding lacks must not
    crash the output: write the original bytes (UTF-8) or an escape (other encodings) instead."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            utf8 = (getattr(stream, "encoding", "") or "").lower().replace("-", "") == "utf8"
            stream.reconfigure(errors="surrogateescape" if utf8 else "backslashreplace")


def main(argv: list[str] | None = None) -> None:
    _tolerant_streams()
    try:
        code = cli.main(args=argv, prog_name="scopecheck", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.exceptions.Abort:
        click.echo("scopecheck: aborted", err=True)
        code = 130
    except click.UsageError as exc:
        click.echo(f"scopecheck: error: {exc.format_message()}", err=True)
        code = EXIT_USAGE
    except click.ClickException as exc:
        click.echo(f"scopecheck: error: {exc.format_message()}", err=True)
        code = exc.exit_code
    except BrokenPipeError:
        # Output piped into `head`: stop quietly, as other command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_FINDINGS
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:  # noqa: BLE001 - a bug of ours must still end in one readable line
        click.echo(f"scopecheck: internal error: {type(exc).__name__}: {exc} (please report this)", err=True)
        code = EXIT_USAGE
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)
