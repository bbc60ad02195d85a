"""--fix / --diff through the real CLI: each fix, safety levels, idempotency, output that parses."""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
import pytest

from scopecheck.cli import cli
from tests.helpers import cli_runner


@dataclass
class Run:
    code: int
    out: str
    err: str


def run(*args: str, stdin: bytes | None = None) -> Run:
    # standalone_mode=False: the command's return value is the exit status, as in `main`.
    result = cli_runner().invoke(cli, ["--no-cache", "--no-config", *args], input=stdin, standalone_mode=False)
    if result.exception is not None:
        raise result.exception
    return Run(int(result.return_value), result.stdout, result.stderr)


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def fixed(tmp_path: Path, source: str, *args: str, name: str = "test_it.py") -> tuple[str, Run]:
    path = tmp_path / name
    path.write_text(src(source), encoding="utf-8")
    outcome = run("--fix", *args, str(path))
    text = path.read_text(encoding="utf-8")
    ast.parse(text)
    cst.parse_module(text)
    again = run("--fix", *args, str(path))
    assert path.read_text(encoding="utf-8") == text, "a second --fix changed the file"
    assert "fixed 0 findings" in again.err
    return text, outcome


def test_service_imports_become_one_mock_aws_and_uses_follow(tmp_path: Path) -> None:
    text, outcome = fixed(
        tmp_path,
        """
        from moto import mock_s3, mock_sqs  # old API


        @mock_s3
        def test_a():
            pass


        def test_b():
            with mock_sqs():
                pass
        """,
    )
    assert text == src(
        """
        from moto import mock_aws  # old API


        @mock_aws
        def test_a():
            pass


        def test_b():
            with mock_aws():
                pass
        """
    )
    assert outcome.code == 0
    assert "fixed 1 finding in 1 file; 0 remaining" in outcome.err


def test_legacy_names_are_dropped_when_mock_aws_is_already_imported(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        from moto import mock_aws, mock_s3


        @mock_s3
        def test_a():
            pass
        """,
    )
    assert text.startswith("from moto import mock_aws\n")
    assert "@mock_aws\ndef test_a" in text


def test_a_second_import_line_is_dropped_once_mock_aws_is_imported_above(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        from moto import mock_s3
        from moto import mock_sqs


        @mock_sqs
        def test_a():
            pass
        """,
    )
    assert text.count("import mock_aws") == 1
    assert "@mock_aws\ndef test_a" in text


def test_aliases_are_kept(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        from moto import mock_s3 as s3mock


        @s3mock
        def test_a():
            pass
        """,
    )
    assert text.startswith("from moto import mock_aws as s3mock\n")
    assert "@s3mock\n" in text


def test_stacked_service_decorators_collapse_into_one_and_keep_comments(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        import moto
        from moto import mock_sqs as sqs_mock


        @moto.mock_s3  # buckets
        @sqs_mock  # queues
        @moto.mock_sns()
        class TestThings:
            def test_a(self):
                pass
        """,
    )
    assert text.count("@") == 1
    assert "@moto.mock_aws  # buckets\n# queues\nclass TestThings" in text


def test_with_items_of_service_mocks_collapse_into_one(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        from moto import mock_s3, mock_sqs


        def test_a():
            with mock_s3(), mock_sqs():
                pass
        """,
    )
    assert "    with mock_aws():\n" in text


def test_with_items_that_bind_a_name_are_kept(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        from moto import mock_s3, mock_sqs


        def test_a():
            with mock_s3() as m, mock_sqs():
                assert m
        """,
    )
    assert "    with mock_aws() as m:\n" in text


def test_attribute_uses_and_service_module_imports_are_rewritten(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        import moto
        import moto.ec2
        from moto.s3 import mock_s3
        from moto.ec2 import ec2_backends, mock_ec2


        def test_a():
            m = moto.mock_sqs()
            m.start()
            with moto.ec2.mock_ec2(), mock_s3(), mock_ec2():
                assert ec2_backends
            m.stop()
        """,
    )
    assert "from moto import mock_aws\n" in text
    assert "from moto.ec2 import ec2_backends\n" in text
    assert "m = moto.mock_aws()" in text
    assert "with moto.mock_aws():" in text


def test_simple_mocks_become_mock_aws_with_the_docker_free_config(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        from moto import mock_batch_simple as batch_no_docker
        from moto import mock_ec2, mock_iam


        @mock_ec2
        @mock_iam
        @batch_no_docker
        def test_a():
            pass
        """,
    )
    assert text == src(
        """
        from moto import mock_aws


        @mock_aws(config={"batch": {"use_docker": False}})
        def test_a():
            pass
        """
    )


def test_xray_client_moves_to_moto_xray(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        from moto import mock_dynamodb, mock_xray_client


        @mock_xray_client
        @mock_dynamodb
        def test_a():
            pass
        """,
    )
    assert "from moto import mock_aws\nfrom moto.xray import mock_xray_client\n" in text


def test_moto_internals_named_mock_are_left_alone(tmp_path: Path) -> None:
    source = "from moto.moto_api._internal import mock_random\n\n\ndef test_a():\n    assert mock_random.uuid4()\n"
    path = tmp_path / "test_it.py"
    path.write_text(source)
    run("--fix", str(path))
    assert path.read_text() == source


def test_scp401_fix_is_unsafe_when_moto_4_is_targeted(tmp_path: Path) -> None:
    source = "from moto import mock_s3\n\n\n@mock_s3\ndef test_a():\n    pass\n"
    path = tmp_path / "test_it.py"
    path.write_text(source)
    outcome = run("--fix", "--target-moto-version", "4", str(path))
    assert path.read_text() == source
    assert "1 more with --unsafe-fixes" in outcome.err
    run("--fix", "--unsafe-fixes", "--target-moto-version", "4", str(path))
    assert "mock_aws" in path.read_text()


def test_a_renamed_name_that_is_shadowed_is_only_an_unsafe_fix(tmp_path: Path) -> None:
    source = src(
        """
        from moto import mock_s3


        def test_a(mock_aws):
            with mock_s3():
                pass
        """
    )
    path = tmp_path / "test_it.py"
    path.write_text(source)
    run("--fix", str(path))
    assert path.read_text() == source


def test_return_inside_the_fixture_mock_becomes_yield(tmp_path: Path) -> None:
    text, outcome = fixed(
        tmp_path,
        """
        import boto3
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def s3():
            with mock_aws():
                client = boto3.client("s3", region_name="us-east-1")
                return client  # the client
        """,
    )
    assert "        yield client  # the client\n" in text
    assert outcome.code == 0


def test_a_fixture_with_another_return_gets_no_scp201_fix(tmp_path: Path) -> None:
    source = src(
        """
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def s3(request):
            if request.param:
                return None
            with mock_aws():
                return 1
        """
    )
    path = tmp_path / "test_it.py"
    path.write_text(source)
    outcome = run("--fix", "--unsafe-fixes", str(path))
    assert path.read_text() == source
    assert outcome.code == 1
    assert "SCP201" in outcome.out


def test_scp201_under_an_if_is_unsafe(tmp_path: Path) -> None:
    source = src(
        """
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def s3():
            if True:
                with mock_aws():
                    return 1
        """
    )
    path = tmp_path / "test_it.py"
    path.write_text(source)
    safe = run("--fix", str(path))
    assert path.read_text() == source
    assert "1 more with --unsafe-fixes" in safe.err
    run("--fix", "--unsafe-fixes", str(path))
    assert "yield 1" in path.read_text()


def test_mock_decorated_generator_fixture_gets_its_body_wrapped(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        import pytest
        from moto import mock_aws


        @pytest.fixture(autouse=True)
        @mock_aws(config={"core": {"reset_boto3_session": True}})  # mocked
        def enable():
            \"\"\"Enable moto.\"\"\"
            # setup
            yield
            print("done")
        """,
    )
    assert text.endswith(
        src(
            '''
            @pytest.fixture(autouse=True)
            # mocked
            def enable():
                """Enable moto."""
                # setup
                with mock_aws(config={"core": {"reset_boto3_session": True}}):
                    yield
                    print("done")
            '''
        )
    )


def test_mock_decorated_plain_fixture_yields_inside_the_with(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        import boto3
        import moto
        import pytest


        @moto.mock_aws
        @pytest.fixture
        def sqs():
            client = boto3.client("sqs", region_name="us-east-1")
            return client
        """,
    )
    assert text.endswith(
        src(
            """
            @pytest.fixture
            def sqs():
                with moto.mock_aws():
                    client = boto3.client("sqs", region_name="us-east-1")
                    yield client
            """
        )
    )


def test_a_plain_fixture_with_early_returns_is_an_unsafe_scp202_fix(tmp_path: Path) -> None:
    source = src(
        """
        import pytest
        from moto import mock_aws


        @pytest.fixture
        @mock_aws
        def thing(request):
            if request.param:
                return 1
            return 2
        """
    )
    path = tmp_path / "test_it.py"
    path.write_text(source)
    safe = run("--fix", str(path))
    assert path.read_text() == source
    assert "1 more with --unsafe-fixes" in safe.err
    run("--fix", "--unsafe-fixes", str(path))
    text = path.read_text()
    assert "            yield 1; return\n" in text
    assert "        yield 2\n" in text
    ast.parse(text)


def test_service_mock_on_a_fixture_is_fixed_by_both_rules_in_one_run(tmp_path: Path) -> None:
    text, _ = fixed(
        tmp_path,
        """
        import pytest
        from moto import mock_s3


        @pytest.fixture
        @mock_s3
        def s3():
            return 1
        """,
    )
    assert "    with mock_aws():\n        yield 1\n" in text
    assert "@mock_s3" not in text


def test_noqa_suppressed_findings_are_not_fixed(tmp_path: Path) -> None:
    source = "from moto import mock_s3  # noqa: SCP401\n\n\n@mock_s3\ndef test_a():\n    pass\n"
    path = tmp_path / "test_it.py"
    path.write_text(source)
    run("--fix", str(path))
    assert path.read_text() == source


def test_only_selected_codes_are_fixed(tmp_path: Path) -> None:
    source = src(
        """
        import pytest
        from moto import mock_s3


        @pytest.fixture
        def s3():
            with mock_s3():
                return 1
        """
    )
    path = tmp_path / "test_it.py"
    path.write_text(source)
    run("--fix", "--select", "SCP201", str(path))
    text = path.read_text()
    assert "yield 1" in text and "mock_s3" in text
    run("--fix", "--ignore", "SCP201", str(path))
    assert "mock_aws" in path.read_text()


def test_diff_prints_the_change_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    source = "from moto import mock_s3\n\n\n@mock_s3\ndef test_a():\n    pass\n"
    path = tmp_path / "test_it.py"
    path.write_text(source)
    outcome = run("--diff", str(path))
    assert outcome.code == 1
    assert f"--- {path}" in outcome.out
    assert "-from moto import mock_s3\n+from moto import mock_aws\n" in outcome.out
    assert path.read_text() == source
    run("--fix", str(path))
    clean = run("--diff", str(path))
    assert (clean.code, clean.out) == (0, "")


def test_exit_status_follows_what_remains_and_exit_non_zero_on_fix(tmp_path: Path) -> None:
    path = tmp_path / "test_it.py"
    source = "from moto import mock_s3\n\n\n@mock_s3\ndef test_a():\n    pass\n"
    path.write_text(source)
    assert run("--fix", str(path)).code == 0
    path.write_text(source)
    outcome = run("--fix", "--exit-non-zero-on-fix", str(path))
    assert outcome.code == 1
    assert outcome.out == ""


def test_show_fixes_lists_what_was_fixed_per_file(tmp_path: Path) -> None:
    path = tmp_path / "test_it.py"
    path.write_text("from moto import mock_s3\n\n\n@mock_s3\ndef test_a():\n    pass\n")
    outcome = run("--fix", "--show-fixes", str(path))
    assert f"Fixed {path}:" in outcome.err
    assert "1 x SCP401 (removed-moto-api)" in outcome.err


def test_json_output_after_fix_lists_only_what_remains(tmp_path: Path) -> None:
    path = tmp_path / "test_it.py"
    path.write_text("from moto import mock_s3\n\n\n@mock_s3\ndef test_a():\n    pass\n")
    outcome = run("--fix", "--format", "json", str(path))
    assert outcome.out.strip() == "[]"


def test_stdin_with_fix_prints_the_fixed_source(tmp_path: Path) -> None:
    outcome = run("--fix", "-", "--stdin-filename", "test_x.py", stdin=b"from moto import mock_s3\n")
    assert outcome.out == "from moto import mock_aws\n"
    assert outcome.code == 0
    unfixable = b"from moto import mock_aws\n\nmock_aws().start()\n"
    left = run("--fix", "-", "--stdin-filename", "test_x.py", stdin=unfixable)
    assert left.out == unfixable.decode()
    assert "SCP203" in left.err
    assert left.code == 1


def test_stdin_with_diff_prints_a_diff(tmp_path: Path) -> None:
    outcome = run("--diff", "-", stdin=b"from moto import mock_s3\n")
    assert "+from moto import mock_aws" in outcome.out
    assert outcome.code == 1


@pytest.mark.parametrize(
    "source",
    [
        "from moto import (\n    mock_s3,  # buckets\n    mock_sqs,  # queues\n)\n\n\n"
        "@mock_s3\n@mock_sqs\ndef test_a():\n    pass\n",
        "import moto\n\n\n@moto.mock_s3\n@moto.mock_s3\ndef test_a():\n    pass\n",
        "from moto import mock_s3, mock_sqs; import os\n\nwith mock_s3(), mock_sqs():\n    pass\n",
        "if True:\n    from moto import mock_s3\n\n    @mock_s3\n    def test_a():\n        pass\n",
    ],
)
def test_output_always_parses_and_keeps_comments(tmp_path: Path, source: str) -> None:
    path = tmp_path / "test_it.py"
    path.write_text(source)
    comments = [line.split("#", 1)[1].strip() for line in source.splitlines() if "#" in line]
    run("--fix", str(path))
    text = path.read_text()
    ast.parse(text)
    assert all(c in text for c in comments)
    assert "mock_s3" not in text and "mock_sqs" not in text
    before = text
    run("--fix", str(path))
    assert path.read_text() == before


def _rule_examples() -> list[tuple[str, dict[str, str]]]:
    from scopecheck.rules import ALL_RULES

    return [
        (f"{rule.code}-{kind}{i}", dict(example.files))
        for rule in ALL_RULES
        for kind, examples in (("bad", rule.bad), ("good", rule.good))
        for i, example in enumerate(examples)
    ]


@pytest.mark.parametrize(("label", "files"), _rule_examples(), ids=[label for label, _ in _rule_examples()])
def test_every_rule_example_fixes_to_code_that_parses_and_stays_fixed(
    tmp_path: Path, label: str, files: dict[str, str]
) -> None:
    for name, source in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(source.replace("# expect:", "# was:"), encoding="utf-8")
    before = {p: p.read_text() for p in sorted(tmp_path.rglob("*.py"))}
    run("--fix", "--unsafe-fixes", str(tmp_path))
    first = {p: p.read_text() for p in sorted(tmp_path.rglob("*.py"))}
    for path, text in first.items():
        try:
            ast.parse(before[path])
        except SyntaxError:
            assert text == before[path], "a file that does not parse is never touched"
            continue
        ast.parse(text)
        cst.parse_module(text)
        assert text.count("# was:") == before[path].count("# was:"), "comments are kept"
    again = run("--fix", "--unsafe-fixes", str(tmp_path))
    assert {p: p.read_text() for p in sorted(tmp_path.rglob("*.py"))} == first
    assert "fixed 0 findings" in again.err


def test_python_dash_m_scopecheck_fix_rewrites_the_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "test_it.py"
    path.write_text("from moto import mock_s3\n\n\n@mock_s3\ndef test_a():\n    pass\n")
    proc = subprocess.run(
        [sys.executable, "-m", "scopecheck", "--no-cache", "--no-config", "--fix", str(path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "fixed 1 finding in 1 file; 0 remaining" in proc.stderr
    assert path.read_text() == "from moto import mock_aws\n\n\n@mock_aws\ndef test_a():\n    pass\n"


def test_a_fixture_whose_other_mock_decorator_is_noqa_is_left_alone(tmp_path: Path) -> None:
    source = src(
        """
        import pytest
        from moto import mock_aws


        @pytest.fixture
        @mock_aws
        @mock_aws  # noqa: SCP202
        def thing():
            return 1
        """
    )
    path = tmp_path / "test_it.py"
    path.write_text(source)
    run("--fix", "--unsafe-fixes", str(path))
    assert path.read_text() == source


def test_show_fixes_says_why_a_finding_was_not_fixed(tmp_path: Path) -> None:
    path = tmp_path / "test_it.py"
    path.write_text("import moto.s3 as ms3\n\n\n@ms3.mock_s3\ndef test_a():\n    pass\n")
    outcome = run("--fix", "--show-fixes", str(path))
    assert f"Nothing fixed in {path}:" in outcome.err
    assert "not fixed: SCP401 at line 4: cannot tell which module the attribute belongs to" in outcome.err
    assert outcome.code == 1
