"""The ``scopecheck`` command line: its options, the run, the exit status.

Checking the options and resolving the run's configuration is cli_options' job; what is printed
is cli_output's.
"""

from __future__ import annotations

import os
import sys

import click

from scopecheck import __version__, cli_options, cli_output
from scopecheck.reporters import FORMATS

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


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
        click.echo(cli_output.explain(explain), nl=False)
        return EXIT_CLEAN
    moto_major_cli = cli_options.moto_major(target_moto_version)
    if list_rules:
        click.echo(cli_output.list_rules(target_moto_major(moto_major_cli), output_format), nl=False)
        return EXIT_CLEAN
    fix = fix or fix_only
    cli_options.check_fix_flags(fix, diff, show_fixes, unsafe_fixes, exit_non_zero_on_fix)
    if cache_dir is not None and not no_cache:
        cli_options.check_cache_dir(cache_dir)
    path_list, reads_stdin = cli_options.check_inputs(paths, stdin_filename, config_path, no_config)

    start = (stdin_filename or ".") if reads_stdin else path_list[0]
    config = cli_options.run_config(
        start,
        config_path=config_path,
        no_config=no_config,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        target_moto=moto_major_cli,
        fail_on=fail_on,
        cache=not (no_cache or reads_stdin),
        cache_dir=cache_dir,
    )
    from scopecheck.engine import LintRequest, lint
    from scopecheck.parallel import default_jobs

    threshold = config.fail_on
    stdin_bytes = cli_options.read_stdin() if reads_stdin else None
    request = LintRequest(
        paths=[] if reads_stdin else path_list,
        config=config,
        stdin_text=stdin_bytes,
        stdin_filename=stdin_filename,
        force_exclude=force_exclude,
        jobs=jobs or default_jobs(),
        progress=cli_output.progress_bar() if not quiet else None,
    )
    runtime = cli_options.runtime_reports(runtime_report)
    result = lint(request)
    if runtime is not None:
        cli_output.print_cross_check(result.findings, runtime, output_format)
        return EXIT_CLEAN
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

    cli_output.print_report(
        result,
        request,
        output_format,
        color=color,
        show_source=show_source,
        threshold=threshold,
        statistics=statistics,
    )
    if not quiet:
        cli_output.print_summary(result, path_list, reads_stdin)
    if fixing is not None and fixing.fail:
        return EXIT_FINDINGS
    for problem in result.internal_errors:
        click.echo(f"scopecheck: {problem}", err=True)
    if exit_zero:
        return EXIT_CLEAN
    if result.internal_errors:
        return EXIT_FINDINGS
    return EXIT_FINDINGS if any(f.severity >= threshold for f in result.findings) else EXIT_CLEAN


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
