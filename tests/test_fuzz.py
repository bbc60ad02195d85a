"""Property-based tests: whatever program scopecheck reads, it never raises, never hangs, and every
finding points at a line and column that exist in the file.

Inputs: hypothesmith's grammar- and libcst-node-generated programs, plus a strategy that assembles
moto/boto3/pytest-flavoured modules (fixtures, ``with mock_aws()``, decorators, clients, start/stop)
and sometimes breaks them a little, so the rules' own code paths get exercised, not only the parser.

Profiles: ``ci`` (default, a few minutes for the whole suite at most) and ``long`` (the documented
soak run, see docs/reliability.md), chosen with ``SCOPECHECK_FUZZ_PROFILE``.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from datetime import timedelta

import hypothesmith
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scopecheck.analysis import analyse_bytes
from scopecheck.cli import main
from scopecheck.config import Settings
from scopecheck.engine import LintRequest, LintResult, lint
from scopecheck.run_config import resolve

# A generous deadline: the machine is shared with other test runs, and what we guard against is
# a hang (seconds to forever), not a slow example.
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
    derandomize=False,
    print_blob=True,
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("SCOPECHECK_FUZZ_EXAMPLES", "3000")),
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
    print_blob=True,
)
PROFILE = os.environ.get("SCOPECHECK_FUZZ_PROFILE", "ci")
# hypothesmith compiles what it generates; CPython's compiler warnings about that code are noise.
pytestmark = pytest.mark.filterwarnings("ignore:.*perhaps you missed a comma:SyntaxWarning")
FUZZ = settings.get_profile(PROFILE)


class Hang(Exception):
    """An analysis that ran far past any reasonable time."""


@contextlib.contextmanager
def hang_guard(seconds: int = 60) -> Iterator[None]:
    """Interrupt a hang (the hypothesis deadline only judges examples that finish)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise Hang(f"no result after {seconds}s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def scaled(ci: int) -> settings:
    """Settings with *ci* examples under the ci profile, proportionally more under ``long``."""
    factor = FUZZ.max_examples // settings.get_profile("ci").max_examples
    return settings(FUZZ, max_examples=max(1, ci * factor))


# -- invariants -----------------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def python_lines(text: str) -> list[str]:
    """Lines as Python numbers them; a file always has at least line 1."""
    lines = _LINE_BREAK.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines or [""]


def check_positions(result: LintResult, texts: dict[str, str]) -> None:
    """Every finding points into its file: 1 <= line <= lines, 1 <= column <= line length + 1."""
    for finding in result.findings:
        loc = finding.location
        text = texts.get(finding.path)
        assert text is not None, f"finding for a file that was not linted: {finding.path}"
        lines = python_lines(text)
        assert 1 <= loc.line <= len(lines), (finding, len(lines))
        assert 1 <= loc.column <= len(lines[loc.line - 1]) + 1, (finding, lines[loc.line - 1])
        assert loc.end_line >= loc.line, finding
        assert finding.message and "\n" not in finding.message, finding
        assert "internal error" not in finding.message, finding


def lint_dir(root: str, *, jobs: int = 1, cache_dir: str | None = None) -> LintResult:
    settings = Settings(base_dir=root, respect_gitignore=False)
    config = resolve(settings, root, target_moto=5, root=root, cache=cache_dir is not None, cache_dir=cache_dir)
    request = LintRequest(paths=[root], config=config, jobs=jobs)
    return lint(request)


def write_files(root: str, files: dict[str, bytes]) -> dict[str, str]:
    """Write *files* under *root*; returns display path -> decoded text (as lint reports paths)."""
    texts = {}
    for name, data in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
        texts[path] = data.decode("utf-8", "replace").lstrip("\ufeff")
    return texts


# -- moto / boto3 / pytest flavoured programs --------------------------------------------------------

SERVICES = st.sampled_from(["s3", "sqs", "dynamodb", "ec2", "iam", "sts", "lambda", "sns"])
MOCKS = st.sampled_from(["mock_aws", "mock_s3", "moto.mock_aws", "mock_sqs", "m"])
SCOPES = st.sampled_from(["", 'scope="function"', 'scope="module"', 'scope="session"', 'scope="class"', "autouse=True"])
NAMES = st.sampled_from(["s3", "client", "sqs", "aws", "mocked", "creds", "table", "res"])

IMPORTS = st.lists(
    st.sampled_from(
        [
            "import boto3",
            "import boto3 as b3",
            "from boto3 import client, resource",
            "import boto3.session",
            "import pytest",
            "import moto",
            "from moto import mock_aws",
            "from moto import mock_aws as m",
            "from moto import mock_s3, mock_sqs",
            "import os",
            "from helpers import make_client",
            "from . import helpers",
            "import helpers",
        ]
    ),
    min_size=1,
    max_size=6,
    unique=True,
)


@st.composite
def client_expr(draw: st.DrawFn) -> str:
    service = draw(SERVICES)
    region = draw(
        st.sampled_from(["", ', region_name="us-east-1"', ", config=Config(region_name='eu-west-1')", ", **kw"])
    )
    factory = draw(
        st.sampled_from(
            [
                "boto3.client",
                "boto3.resource",
                "b3.client",
                "client",
                "resource",
                "boto3.session.Session().client",
                "boto3.Session(region_name='us-east-1').client",
                "session.client",
                "make_client",
            ]
        )
    )
    return f'{factory}("{service}"{region})'


@st.composite
def simple_statement(draw: st.DrawFn) -> str:
    name = draw(NAMES)
    mock = draw(MOCKS)
    return draw(
        st.sampled_from(
            [
                f"{name} = {draw(client_expr())}",
                f"{name}.list_buckets()",
                f"{mock}().start()",
                f"{name} = {mock}()",
                f"{name}.start()",
                f"{name}.stop()",
                f"self.{name} = {mock}()",
                f"self.{name}.start()",
                f"self.{name}.stop()",
                f"yield {name}",
                "yield",
                f"return {name}",
                f"return {draw(client_expr())}",
                'os.environ["AWS_DEFAULT_REGION"] = "us-east-1"',
                'monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")',
                f"request.addfinalizer({name}.stop)",
                "boto3.setup_default_session(region_name='us-east-1')",
                "pass",
                f"assert {name}",
                f"{name} = request.getfixturevalue('{draw(NAMES)}')",
            ]
        )
    )


def _indent(lines: list[str], level: int) -> list[str]:
    return ["    " * level + line if line else line for line in lines]


@st.composite
def block(draw: st.DrawFn, depth: int = 0) -> list[str]:
    """A function body: simple statements, ``with mock():`` blocks, ifs and tries, nested a little."""
    out: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["simple", "simple", "with", "if", "try"] if depth < 3 else ["simple"]))
        if kind == "simple":
            out.append(draw(simple_statement()))
        elif kind == "with":
            target = draw(st.sampled_from(["", " as mocked", f" as {draw(NAMES)}"]))
            item = draw(st.sampled_from([f"{draw(MOCKS)}()", draw(NAMES), f"{draw(MOCKS)}(), {draw(MOCKS)}()"]))
            out.append(f"with {item}{target}:")
            out.extend(_indent(draw(block(depth + 1)), 1))
        elif kind == "if":
            out.append(draw(st.sampled_from(["if True:", "if os.environ.get('CI'):", "for _ in range(2):"])))
            out.extend(_indent(draw(block(depth + 1)), 1))
        else:
            out.append("try:")
            out.extend(_indent(draw(block(depth + 1)), 1))
            out.append("finally:")
            out.extend(_indent(draw(block(depth + 1)), 1))
    return out


@st.composite
def decorators(draw: st.DrawFn, *, fixture: bool) -> list[str]:
    found = []
    if fixture:
        scope = draw(SCOPES)
        found.append(draw(st.sampled_from([f"@pytest.fixture({scope})", "@pytest.fixture", "@fixture"])))
    for _ in range(draw(st.integers(0, 2))):
        found.append(
            draw(
                st.sampled_from(
                    [
                        f"@{draw(MOCKS)}",
                        f"@{draw(MOCKS)}()",
                        f'@pytest.mark.usefixtures("{draw(NAMES)}")',
                        f'@pytest.mark.parametrize("n", [{draw(client_expr())}])',
                        "@staticmethod",
                        "@classmethod",
                    ]
                )
            )
        )
    return draw(st.permutations(found))


@st.composite
def function(draw: st.DrawFn, *, in_class: bool = False) -> list[str]:
    is_fixture = draw(st.booleans())
    hooks = ["setup_method", "teardown_method", "setup_class", "teardown_class", "setUp", "tearDown"]
    base_names = ["test_one", "test_two", "test_" + draw(NAMES)] + (hooks if in_class else ["setup_module"])
    name = draw(NAMES) if is_fixture else draw(st.sampled_from(base_names))
    params = draw(
        st.lists(
            st.sampled_from([*["s3", "client", "aws", "mocked", "creds"], "request", "monkeypatch"]),
            max_size=3,
            unique=True,
        )
    )
    if in_class:
        params = ["self", *params]
    default = draw(st.sampled_from(["", f", region={draw(client_expr())}"]))
    prefix = draw(st.sampled_from(["def", "def", "async def"]))
    lines = draw(decorators(fixture=is_fixture))
    lines.append(f"{prefix} {name}({', '.join(params)}{default}):")
    lines.extend(_indent(draw(block()), 1))
    return lines


@st.composite
def pattern(draw: st.DrawFn) -> list[str]:
    """A near miss or a hit for one rule, with random names, scopes and services, so the
    generated suites reach each rule's own logic and not only its early exits."""
    service = draw(SERVICES)
    region = draw(st.sampled_from(["", ', region_name="us-east-1"']))
    factory = draw(st.sampled_from(["boto3.client", "boto3.resource", "boto3.Session(region_name='eu-west-1').client"]))
    client = f'{factory}("{service}"{region})'
    mock = draw(st.sampled_from(["mock_aws", "mock_aws", "moto.mock_aws"]))
    name, other = draw(st.lists(NAMES, min_size=2, max_size=2, unique=True))
    scope, other_scope = draw(SCOPES), draw(SCOPES)
    end = draw(st.sampled_from(["return", "yield"]))
    kind = draw(st.sampled_from(["return-in-mock", "fixture-order", "client-then-mock", "decorated", "start", "hook"]))
    if kind == "return-in-mock":
        lines = [f"@pytest.fixture({scope})", f"def {name}():", f"    with {mock}():", f"        {end} {client}"]
    elif kind == "fixture-order":
        lines = [
            f"@pytest.fixture({scope})",
            f"def {name}():",
            f"    {end} {client}",
            "",
            f"@pytest.fixture({other_scope})",
            f"def {other}():",
            f"    with {mock}():",
            "        yield",
            "",
            f"def test_{name}({', '.join(draw(st.permutations([name, other])))}):",
            f"    {name}.list_buckets()",
        ]
    elif kind == "client-then-mock":
        lines = [
            f"def test_{name}():",
            f"    {name} = {client}",
            f"    with {mock}():",
            f"        {name}.list_buckets()",
        ]
    elif kind == "decorated":
        decorators = draw(st.permutations([f"@pytest.fixture({scope})", f"@{mock}"]))
        lines = [*decorators, f"def {name}():", f"    {end} {client}"]
    elif kind == "start":
        stop = draw(st.sampled_from(["", f"    {name}.stop()", f"    {name}.stop()\n    {name}.stop()"]))
        lines = [
            f"@pytest.fixture({scope})",
            f"def {other}():",
            f"    {name} = {mock}()",
            f"    {name}.start()",
            "    yield",
        ]
        lines += stop.split("\n") if stop else []
    else:
        hook = draw(st.sampled_from(["setup_class", "teardown_class", "setup_method", "setUpClass"]))
        lines = [
            f"@{mock}",
            "class TestHooks:",
            "    @classmethod" if hook in ("setup_class", "teardown_class", "setUpClass") else "",
            f"    def {hook}(cls):",
            f"        cls.{name} = {client}",
            "",
            "    def test_it(self):",
            "        pass",
        ]
    return [line for line in lines if line is not None]


@st.composite
def module_source(draw: st.DrawFn) -> str:
    lines = list(draw(IMPORTS))
    if draw(st.integers(0, 3)):  # usually the imports the rules look for
        lines += ["import boto3", "import pytest", "import moto", "from moto import mock_aws"]
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["function", "pattern", "pattern", "class", "statement", "main"]))
        lines.append("")
        if kind == "pattern":
            lines.extend(draw(pattern()))
        elif kind == "function":
            lines.extend(draw(function()))
        elif kind == "class":
            lines.extend(draw(st.sampled_from([[], [f"@{draw(MOCKS)}"], ['@pytest.mark.usefixtures("aws")']])))
            lines.append(draw(st.sampled_from(["class TestThing:", "class TestThing(unittest.TestCase):"])))
            lines.extend(_indent([draw(simple_statement())], 1))
            for _ in range(draw(st.integers(1, 3))):
                lines.extend(_indent(draw(function(in_class=True)), 1))
        elif kind == "statement":
            lines.append(draw(simple_statement()))
        else:
            lines.append('if __name__ == "__main__":')
            lines.extend(_indent(draw(block()), 1))
    if draw(st.booleans()):
        # A suppression comment somewhere, with or without codes.
        at = draw(st.integers(0, len(lines) - 1))
        lines[at] += draw(
            st.sampled_from(["  # noqa", "  # noqa: SCP101", "  # noqa:SCP2", "  # scopecheck: ignore-file"])
        )
    return "\n".join(lines) + "\n"


@st.composite
def mutated(draw: st.DrawFn, source: str) -> str:
    """Sometimes break the program a little: cut, duplicate or insert characters, odd line ends."""
    action = draw(st.sampled_from(["keep"] * 6 + ["cut", "insert", "truncate", "crlf", "cr", "dedent"]))
    if action == "keep" or not source:
        return source
    at = draw(st.integers(0, len(source)))
    if action == "cut":
        return source[:at] + source[at + draw(st.integers(1, 20)) :]
    if action == "insert":
        return (
            source[:at]
            + draw(st.sampled_from(["(", ")", ":", "\t", "    ", "é", "\x0c", "'", '"""', "\\", "\n"]))
            + source[at:]
        )
    if action == "truncate":
        return source[:at]
    if action == "crlf":
        return source.replace("\n", "\r\n")
    if action == "cr":
        return source.replace("\n", "\r")
    return textwrap.dedent(source[at:])


@st.composite
def moto_program(draw: st.DrawFn) -> str:
    return draw(mutated(draw(module_source())))


@st.composite
def moto_project(draw: st.DrawFn) -> dict[str, bytes]:
    """A conftest.py, one or two test modules and maybe a helper module that makes a client."""
    files = {"conftest.py": draw(moto_program()), "test_gen.py": draw(moto_program())}
    if draw(st.booleans()):
        files["sub/test_deeper.py"] = draw(moto_program())
    if draw(st.booleans()):
        files["helpers.py"] = (
            "import boto3\n\n\ndef make_client(name, **kw):\n    return boto3.client(name)\n\n"
            f"S3 = {draw(client_expr())}\n"
        )
    return {name: text.encode("utf-8") for name, text in files.items()}


# -- the properties ---------------------------------------------------------------------------------


def _lint_source(text: str, name: str = "test_gen.py") -> None:
    with tempfile.TemporaryDirectory() as root, hang_guard():
        texts = write_files(root, {name: text.encode("utf-8", "surrogatepass")})
        check_positions(lint_dir(root), texts)


@FUZZ
@given(hypothesmith.from_grammar())
def test_grammar_generated_programs_are_analysed_without_error(source: str) -> None:
    _lint_source(source)


@scaled(ci=30)
@given(hypothesmith.from_node())
def test_libcst_generated_programs_are_analysed_without_error(source: str) -> None:
    _lint_source(source)


@FUZZ
@given(moto_project())
def test_moto_flavoured_projects_are_linted_without_error(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as root, hang_guard():
        texts = write_files(root, files)
        first = lint_dir(root)
        check_positions(first, texts)
        assert not first.internal_errors
        # `pytest --hypothesis-show-statistics` shows how much of the rule code was reached.
        for code in sorted({f.code for f in first.findings}) or ["no findings"]:
            event(code)
        # Deterministic: a second run over the same files reports exactly the same.
        assert lint_dir(root).findings == first.findings


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    with hang_guard():
        analysed = analyse_bytes("test_bytes.py", data)
    if analysed.facts.parse_error is not None:
        loc, reason = analysed.facts.parse_error
        assert reason and "\n" not in reason and loc.line >= 1 and loc.column >= 1
        assert "internal error" not in reason


@scaled(ci=30)
@given(st.text(alphabet=st.sampled_from("()[]{}:=\n\r\t \\'\"#@xé\x0c\x00,.*"), max_size=300))
def test_punctuation_soup_never_raises(text: str) -> None:
    _lint_source(text.replace("\x00", ""), name="conftest.py")


def _cli(args: list[str]) -> int:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
        except SystemExit as exc:
            code = exc.code
    assert "Traceback" not in err.getvalue(), err.getvalue()
    assert isinstance(code, int)
    return code


def _parses(data: bytes) -> bool:
    try:
        ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


@scaled(ci=25)
@given(moto_project())
def test_fix_output_always_parses_and_a_second_fix_changes_nothing(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as root, hang_guard(120):
        write_files(root, files)
        args = ["--fix", "--unsafe-fixes", "--no-cache", "--no-config", "-q", "--exit-zero", root]
        assert _cli(args) == 0
        once = {}
        for name, before in files.items():
            with open(os.path.join(root, name), "rb") as handle:
                once[name] = handle.read()
            if _parses(before):
                assert _parses(once[name]), (name, once[name].decode("utf-8", "replace"))
            else:
                assert once[name] == before, f"--fix changed {name}, which did not parse"
        assert _cli(args) == 0
        for name in files:
            with open(os.path.join(root, name), "rb") as handle:
                assert handle.read() == once[name], f"a second --fix changed {name}"


@settings(FUZZ, max_examples=5)
@given(moto_project())
def test_the_command_line_reports_generated_projects_as_json_without_tracebacks(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as root:
        texts = write_files(root, files)
        proc = subprocess.run(
            [sys.executable, "-m", "scopecheck", "--format", "json", "--no-cache", "--no-config", root],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.returncode in (0, 1), proc.stderr
        reported = json.loads(proc.stdout)
        assert (proc.returncode == 1) == bool(reported)
        for item in reported:
            lines = python_lines(texts[item["path"]])
            assert 1 <= item["line"] <= len(lines) and item["column"] >= 1, item


@pytest.mark.parametrize("profile", ["ci", "long"])
def test_both_fuzz_profiles_are_registered(profile: str) -> None:
    assert settings.get_profile(profile).max_examples >= 1
