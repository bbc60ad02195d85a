"""SCP301 (opt-in on moto 5), SCP401 (shims, boto2) and SCP402 (where a region is really set):
whole finding sets, message parameters and whole fix outputs."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from scopecheck.config import ini_sets_default_region
from scopecheck.engine import enabled_rules
from scopecheck.model.regions import GLOBAL_SERVICES
from scopecheck.pytest_env import configured_env
from scopecheck.selection import is_enabled
from tests.helpers import invoke_cli, lint_tree, write_tree


def _tree(root: Path, files: dict[str, str]) -> None:
    write_tree(root, {name: textwrap.dedent(text).lstrip("\n") for name, text in files.items()})


def _found(root: Path, *, moto: int = 5, select: list[str] | None = None) -> set[tuple[str, int, str, str]]:
    findings = lint_tree(root, moto_major=moto, select=select or ["ALL"])
    return {
        (Path(f.path).resolve().relative_to(root.resolve()).as_posix(), f.line, f.code, f.message) for f in findings
    }


# --------------------------------------------------------------------------- selection


def test_opt_in_rules_need_all_or_a_prefix_more_specific_than_scp() -> None:
    assert not is_enabled("SCP301", ["SCP"], [], opt_in=True)
    for select in (["ALL"], ["SCP3"], ["SCP30"], ["SCP301"], ["SCP", "SCP301"]):
        assert is_enabled("SCP301", select, [], opt_in=True), select
    assert not is_enabled("SCP301", ["ALL"], ["SCP3"], opt_in=True)
    assert is_enabled("SCP301", ["SCP"], ["SCP3"] + [], opt_in=False) is False
    assert is_enabled("SCP301", ["SCP", "SCP301"], ["SCP3"], opt_in=True)  # the most specific wins
    assert is_enabled("SCP201", ["SCP"], [], opt_in=False)


def test_scp301_is_in_the_default_selection_only_below_moto_5() -> None:
    assert "SCP301" not in {r.code for r in enabled_rules(["SCP"], [], 5)}
    assert "SCP301" in {r.code for r in enabled_rules(["SCP"], [], 4)}
    assert "SCP301" in {r.code for r in enabled_rules(["SCP"], [], 1)}
    assert {r.code for r in enabled_rules(["SCP"], [], 5)} | {"SCP301"} == {
        r.code for r in enabled_rules(["ALL"], [], 5)
    }


NESTED = {
    "conftest.py": """
    import pytest
    from moto import mock_aws


    @pytest.fixture(autouse=True)
    def moto_everywhere():
        with mock_aws():
            yield
    """,
    "test_a.py": """
    from moto import mock_aws


    @mock_aws
    def test_one():
        pass


    @mock_aws
    def test_two():
        pass
    """,
    "test_b.py": """
    from moto import mock_aws


    @mock_aws
    def test_three():
        pass
    """,
}
NESTED_MESSAGE = "@mock_aws is redundant under autouse fixture 'moto_everywhere' (conftest.py:7); +2 more"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), []),
        (("--select", "SCP"), []),
        (("--extend-select", "SCP301"), [NESTED_MESSAGE]),
        (("--select", "SCP3"), [NESTED_MESSAGE]),
        (("--select", "ALL"), [NESTED_MESSAGE]),
        (("--select", "SCP301", "--ignore", "SCP3"), [NESTED_MESSAGE]),
        (("--extend-select", "SCP301", "--ignore", "SCP301"), []),
    ],
)
def test_cli_selection_of_scp301_on_moto5(args, expected, tmp_path: Path, capsys, monkeypatch) -> None:
    _tree(tmp_path, NESTED)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    result = invoke_cli(["--no-cache", "--format", "json", *args, "."], capsys, monkeypatch, cwd=tmp_path)
    assert [f["message"] for f in json.loads(result.out)] == expected


def test_config_extend_select_turns_scp301_on(tmp_path: Path, capsys, monkeypatch) -> None:
    _tree(tmp_path, NESTED)
    (tmp_path / "pyproject.toml").write_text("[tool.scopecheck]\nextend-select = ['SCP301']\n")
    result = invoke_cli(["--no-cache", "--format", "json", "."], capsys, monkeypatch, cwd=tmp_path)
    assert [(f["path"], f["line"], f["severity"]) for f in json.loads(result.out)] == [("test_a.py", 4, "info")]


def test_scp301_stays_on_by_default_for_moto4(tmp_path: Path, capsys, monkeypatch) -> None:
    _tree(tmp_path, NESTED)
    result = invoke_cli(
        ["--no-cache", "--no-config", "--format", "json", "--target-moto-version", "4", "."],
        capsys,
        monkeypatch,
        cwd=tmp_path,
    )
    assert [(f["code"], f["severity"], f["message"]) for f in json.loads(result.out) if f["code"] == "SCP301"] == [
        (
            "SCP301",
            "error",
            "@mock_aws under autouse fixture 'moto_everywhere' (conftest.py:7) can wipe its data; +2 more",
        )
    ]


def test_list_rules_says_which_rule_is_off_by_default(capsys, monkeypatch) -> None:
    on5 = invoke_cli(["--list-rules", "--target-moto-version", "5"], capsys, monkeypatch).out.splitlines()
    on4 = invoke_cli(["--list-rules", "--target-moto-version", "4"], capsys, monkeypatch).out.splitlines()
    assert [line for line in on5 if "off by default" in line] == [
        "SCP301  nested-mock              info     a mock activated while another one is active "
        "(off by default on moto >= 5)"
    ]
    assert [line for line in on4 if "off by default" in line] == []


# --------------------------------------------------------------------------- SCP301


def test_one_outer_mock_gives_one_finding_at_the_first_inner_mock(tmp_path: Path) -> None:
    _tree(tmp_path, NESTED)
    assert _found(tmp_path) == {("test_a.py", 4, "SCP301", NESTED_MESSAGE)}
    # Linted alone, a file reports its own share, naming the same cause.
    findings = lint_tree(tmp_path, select=["ALL"], paths=[str(tmp_path / "test_b.py")])
    assert [(f.line, f.message) for f in findings] == [
        (4, "@mock_aws is redundant under autouse fixture 'moto_everywhere' (conftest.py:7)")
    ]


def test_configured_inner_mocks_are_never_redundant_on_moto5(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "conftest.py": NESTED["conftest.py"],
            "test_c.py": """
            from moto import mock_aws


            @mock_aws(config={"iam": {"load_aws_managed_policies": True}})
            def test_policies():
                pass


            def test_with_config():
                with mock_aws(config={"batch": {"use_docker": False}}):
                    pass
            """,
        },
    )
    assert _found(tmp_path) == set()
    # On moto 4 every start reset the backends: a configured inner mock wipes as well.
    assert {(line, message) for _, line, code, message in _found(tmp_path, moto=4) if code == "SCP301"} == {
        (
            4,
            "@mock_aws under autouse fixture 'moto_everywhere' (conftest.py:7) can wipe its data; +1 more",
        )
    }


def test_moto4_message_says_wipes_when_the_outer_fixture_created_data(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "tests/conftest.py": """
            import boto3
            import pytest
            from moto import mock_sqs


            @pytest.fixture
            def queue():
                with mock_sqs():
                    sqs = boto3.client("sqs", region_name="us-east-1")
                    sqs.create_queue(QueueName="q")
                    yield sqs
            """,
            "tests/test_q.py": """
            from moto import mock_s3, mock_sqs


            @mock_s3
            def test_other_service(queue):
                pass


            @mock_sqs
            def test_same_service(queue):
                pass
            """,
        },
    )
    assert {(p, line, m) for p, line, code, m in _found(tmp_path, moto=4) if code == "SCP301"} == {
        (
            "tests/test_q.py",
            9,
            "@mock_sqs under fixture 'queue' (tests/conftest.py:8) wipes the data it created",
        )
    }


def test_every_message_is_under_100_characters(tmp_path: Path) -> None:
    _tree(tmp_path, NESTED)
    for moto in (4, 5):
        assert all(len(f.message) <= 100 for f in lint_tree(tmp_path, moto_major=moto, select=["ALL"]))


# --------------------------------------------------------------------------- SCP401

SHIMS = {
    "test_shim.py": """
    try:
        from moto import mock_aws
    except ImportError:  # moto < 5
        from moto import mock_s3 as mock_aws


    @mock_aws
    def test_a():
        pass
    """,
    "test_reverse.py": """
    try:
        from moto import mock_s3, mock_sqs
    except (ImportError, AttributeError):
        from moto import mock_aws as mock_s3, mock_aws as mock_sqs


    @mock_s3
    @mock_sqs
    def test_b():
        pass
    """,
    "test_attribute.py": """
    import moto

    try:
        mock = moto.mock_aws
    except AttributeError:
        mock = moto.mock_dynamodb


    @mock
    def test_c():
        pass
    """,
    "test_version_check.py": """
    import moto

    if int(moto.__version__.split(".")[0]) >= 5:
        from moto import mock_aws as mock_sqs
    else:
        from moto import mock_sqs


    @mock_sqs
    def test_f():
        pass
    """,
    "test_in_function.py": """
    def _mock():
        try:
            from moto import mock_aws as factory
        except ImportError:
            from moto import mock_s3 as factory
        return factory
    """,
}


def test_compatibility_shims_are_not_reported(tmp_path: Path) -> None:
    _tree(tmp_path, SHIMS)
    assert {f for f in _found(tmp_path) if f[2] == "SCP401"} == set()


def test_a_try_without_mock_aws_is_no_shim(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "test_old.py": """
            try:
                from moto import mock_s3
            except ImportError:
                mock_s3 = None
            """
        },
    )
    assert _found(tmp_path) == {
        ("test_old.py", 2, "SCP401", "mock_s3: moto<5 API; its `ImportError` on moto 5 is caught here; use mock_aws")
    }


BOTO2 = {
    "test_boto2.py": """
    import boto
    import moto
    from moto import mock_ec2, mock_s3_deprecated


    @mock_s3_deprecated
    def test_old():
        boto.connect_s3()


    @moto.mock_sqs_deprecated
    @mock_ec2
    def test_attr():
        pass
    """
}


@pytest.mark.parametrize(
    ("moto", "messages"),
    [
        (
            5,
            {
                (3, "mock_s3_deprecated (boto2 mock): removed in moto 3, `ImportError`; these tests need boto3"),
                (11, "mock_sqs_deprecated (boto2 mock): removed in moto 3, `AttributeError`; these tests need boto3"),
            },
        ),
        (
            2,
            {
                (3, "mock_s3_deprecated (boto2 mock): removed in moto 3 with boto2 support; these tests need boto3"),
                (11, "mock_sqs_deprecated (boto2 mock): removed in moto 3 with boto2 support; these tests need boto3"),
            },
        ),
    ],
)
def test_boto2_mocks_are_not_told_to_use_mock_aws(moto: int, messages, tmp_path: Path) -> None:
    _tree(tmp_path, BOTO2)
    assert {(line, m) for _, line, code, m in _found(tmp_path, moto=moto) if code == "SCP401"} == messages


def _fix(root: Path, capsys, monkeypatch, *args: str) -> str:
    return invoke_cli(["--no-cache", "--no-config", "--fix", *args, "."], capsys, monkeypatch, cwd=root).err


def test_fix_leaves_shims_and_boto2_mocks_as_they_are(tmp_path: Path, capsys, monkeypatch) -> None:
    files = {
        **SHIMS,
        **BOTO2,
        # A shim in the file: its other moto<5 names stay too, or the file breaks on moto 4.
        "test_shim_and_more.py": """
        try:
            from moto import mock_aws
        except ImportError:
            from moto import mock_s3 as mock_aws
        from moto import mock_sqs


        @mock_aws
        @mock_sqs
        def test_d():
            pass
        """,
    }
    _tree(tmp_path, files)
    before = {p.name: p.read_text() for p in tmp_path.glob("*.py")}
    assert "fixed 0 findings" in _fix(tmp_path, capsys, monkeypatch)
    assert "fixed 0 findings" in _fix(tmp_path, capsys, monkeypatch, "--unsafe-fixes")
    assert {p.name: p.read_text() for p in tmp_path.glob("*.py")} == before


def test_fix_still_migrates_a_file_without_shim(tmp_path: Path, capsys, monkeypatch) -> None:
    _tree(
        tmp_path,
        {
            "test_plain.py": """
            from moto import mock_s3, mock_sqs


            @mock_s3
            @mock_sqs
            def test_e():
                pass
            """
        },
    )
    _fix(tmp_path, capsys, monkeypatch)
    assert (
        tmp_path / "test_plain.py"
    ).read_text() == "from moto import mock_aws\n\n\n@mock_aws\ndef test_e():\n    pass\n"


# --------------------------------------------------------------------------- SCP402: configuration


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"pyproject.toml": '[tool.pytest.ini_options]\nenv = ["D:AWS_DEFAULT_REGION=us-east-1"]\n'}, True),
        ({"pyproject.toml": '[tool.pytest.ini_options]\nenv = ["R:D:AWS_DEFAULT_REGION = eu-west-1"]\n'}, True),
        ({"pyproject.toml": '[tool.pytest_env]\nAWS_DEFAULT_REGION = "us-east-1"\n'}, True),
        ({"pyproject.toml": '[tool.pytest_env]\nAWS_DEFAULT_REGION = {value = "x", unset = true}\n'}, False),
        ({"pytest.ini": "[pytest]\nenv =\n    AWS_DEFAULT_REGION=us-east-1\n"}, True),
        ({"setup.cfg": "[tool:pytest]\nenv =\n    D:AWS_DEFAULT_REGION=us-east-1\n"}, True),
        ({"tox.ini": "[pytest]\nenv =\n    AWS_DEFAULT_REGION=us-east-1\n"}, True),
        ({"tox.ini": "[testenv]\nsetenv =\n    AWS_DEFAULT_REGION = us-east-1\n"}, True),
        # Named, not set:
        ({"tox.ini": "[testenv]\npassenv = AWS_DEFAULT_REGION\n# AWS_DEFAULT_REGION=us-east-1\n"}, False),
        ({"pyproject.toml": '[project]\ndescription = "set AWS_REGION or AWS_DEFAULT_REGION=x"\n'}, False),
        ({"pyproject.toml": '[tool.pytest.ini_options]\nenv = ["AWS_REGION=us-east-1"]\n'}, False),
        ({"pyproject.toml": '[tool.pytest.ini_options]\nenv = ["AWS_DEFAULT_REGION="]\n'}, False),
        # pytest takes pytest.ini before pyproject.toml: pyproject's env is not read then.
        (
            {
                "pytest.ini": "[pytest]\naddopts = -q\n",
                "pyproject.toml": '[tool.pytest.ini_options]\nenv = ["AWS_DEFAULT_REGION=x"]\n',
            },
            False,
        ),
        ({"setup.cfg": "[metadata]\nname = x\n", "pyproject.toml": "[project]\nname = 'x'\n"}, False),
        # CI's environment: a GitHub Actions workflow's env map (comments do not count).
        ({".github/workflows/ci.yml": "env:\n  AWS_DEFAULT_REGION: us-east-1\n"}, True),
        ({".github/workflows/ci.yml": "env:\n  # AWS_DEFAULT_REGION: us-east-1\n  OTHER: 1\n"}, False),
        # An unreadable pytest configuration is unknown: nothing is reported.
        ({"pyproject.toml": "[tool.pytest.ini_options\nenv = 3\n"}, True),
    ],
)
def test_region_settings_are_parsed_not_searched(files: dict[str, str], expected: bool, tmp_path: Path) -> None:
    write_tree(tmp_path, files)
    assert ini_sets_default_region(str(tmp_path)) is expected


def test_configured_env_reads_every_variable_with_its_value(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pytest.ini": "[pytest]\nenv =\n    D:A=1\n    R:B = two words\n    # C=3\n    junk\n"})
    assert configured_env(str(tmp_path)) == {"A": "1", "B": "two words"}


# --------------------------------------------------------------------------- SCP402: the suite


def test_a_fixture_that_sets_the_region_covers_only_the_tests_using_it(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "conftest.py": """
            import os
            from unittest import mock

            import pytest


            @pytest.fixture
            def region():
                with mock.patch.dict(os.environ, {"AWS_DEFAULT_REGION": "eu-west-1"}):
                    yield
            """,
            "test_q.py": """
            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def sqs(region):
                with mock_aws():
                    yield boto3.client("sqs")


            @pytest.fixture
            def ddb():
                with mock_aws():
                    yield boto3.client("dynamodb")


            def test_uses_region(region):
                with mock_aws():
                    boto3.client("sqs")


            def test_without(ddb):
                with mock_aws():
                    boto3.client("sqs")


            def test_via_fixture(sqs):
                pass
            """,
        },
    )
    unused = "sets it but is not used"
    assert {(line, m) for _, line, code, m in _found(tmp_path) if code == "SCP402"} == {
        (15, "boto3 client for 'dynamodb' has no region and nothing sets AWS_DEFAULT_REGION for it"),
        (25, f"boto3 client for 'sqs' has no region; fixture 'region' (conftest.py:8) {unused}"),
    }


def test_module_level_and_autouse_writes_cover_what_they_reach(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "a/conftest.py": """
            import os

            os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
            """,
            "a/test_a.py": """
            import boto3
            from moto import mock_aws


            @mock_aws
            def test_a():
                boto3.client("sqs")
            """,
            "b/conftest.py": """
            import pytest


            @pytest.fixture(autouse=True)
            def region(monkeypatch):
                monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
            """,
            "b/test_b.py": """
            import boto3
            from moto import mock_aws


            @mock_aws
            def test_b():
                boto3.client("sqs")
            """,
            "c/test_c.py": """
            import unittest

            import boto3
            from moto import mock_aws


            @mock_aws
            class TestC(unittest.TestCase):
                def setUp(self):
                    self.env = unittest.mock.patch.dict("os.environ", {"AWS_DEFAULT_REGION": "x"})

                def test_c(self):
                    boto3.client("sqs")


            @mock_aws
            def test_not_in_the_class():
                boto3.client("sqs")
            """,
        },
    )
    assert {(p, line) for p, line, code, _ in _found(tmp_path) if code == "SCP402"} == {("c/test_c.py", 18)}


def test_partial_clients_and_import_time_clients(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "test_p.py": """
            import functools
            from functools import partial

            import boto3
            import moto

            QUEUES = boto3.client("sqs")
            make_queue = partial(boto3.client, "sqs")
            make_s3 = functools.partial(boto3.client, "s3")
            make_eu = functools.partial(boto3.client, "sqs", region_name="eu-west-1")
            make_ddb = functools.partial(boto3.resource, service_name="dynamodb")
            """
        },
    )
    assert {(line, m) for _, line, code, m in _found(tmp_path) if code == "SCP402"} == {
        (7, "boto3 client for 'sqs' has no region, built at import: NoRegionError at collection"),
        (8, "boto3 client for 'sqs' (partial) has no region and nothing sets AWS_DEFAULT_REGION for it"),
        (11, "boto3 resource for 'dynamodb' (partial) has no region and nothing sets AWS_DEFAULT_REGION for it"),
    }
    # A partial is a factory, not a client built at import: SCP101 does not report it.
    assert {line for _, line, code, _ in _found(tmp_path) if code == "SCP101"} <= {7}


# --------------------------------------------------------------------------- global services


def _client_without_region(name: str, monkeypatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    import boto3

    for var in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "absent-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "absent-credentials"))
    return boto3.session.Session().client(name, aws_access_key_id="k", aws_secret_access_key="s")


def test_global_services_build_clients_without_a_region(monkeypatch, tmp_path: Path) -> None:
    from botocore.exceptions import NoRegionError

    for name in sorted(GLOBAL_SERVICES):
        assert _client_without_region(name, monkeypatch, tmp_path) is not None, name
    for name in ("sqs", "dynamodb", "lambda", "route53domains", "globalaccelerator", "mturk", "ecs"):
        with pytest.raises(NoRegionError):
            _client_without_region(name, monkeypatch, tmp_path)


def test_global_services_match_botocores_partition_endpoints() -> None:
    """Every aws-partition service with a global endpoint in botocore's data is in the list (by its
    client name), except mturk, whose client still raises NoRegionError (measured)."""
    import botocore.loaders

    data = botocore.loaders.Loader().load_data("endpoints")
    aws = next(p for p in data["partitions"] if p["partition"] == "aws")
    prefixes = {n for n, s in aws["services"].items() if "partitionEndpoint" in s or s.get("isRegionalized") is False}
    client_names = {"notifications-contacts": "notificationscontacts", "tax": "taxsettings"}
    regional_anyway = {"mturk-requester"}
    assert {client_names.get(p, p) for p in prefixes - regional_anyway} == GLOBAL_SERVICES


@pytest.mark.parametrize(
    ("moto", "message"),
    [
        (5, "mock_dynamodb2, mock_s3: moto<5 API, `ImportError` at collection on moto 5; use mock_aws"),
        (4, "mock_dynamodb2: removed in moto 4, `ImportError` at collection; use mock_dynamodb"),
        (3, "mock_dynamodb2: renamed mock_dynamodb in moto 4; moto 5 has mock_aws only"),
    ],
)
def test_names_removed_before_moto5_say_so_on_those_targets(moto: int, message: str, tmp_path: Path) -> None:
    _tree(tmp_path, {"test_d.py": "from moto import mock_dynamodb2, mock_s3\n"})
    assert _found(tmp_path, moto=moto) == {("test_d.py", 1, "SCP401", message)}


def test_clients_that_never_run_under_moto_take_the_developers_region(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "conftest.py": """
            import boto3
            import pytest


            @pytest.fixture(scope="session")
            def real_logs():
                return boto3.client("logs")


            def make_queue():
                return boto3.client("sqs")
            """,
            "test_real.py": """
            def test_against_aws(real_logs):
                real_logs.describe_log_groups()
            """,
            "test_mocked.py": """
            import boto3
            from moto import mock_aws


            def test_unmocked_here():
                boto3.client("ecs")


            @mock_aws
            def test_mocked():
                boto3.client("ecs")
            """,
        },
    )
    assert {(p, line, m) for p, line, code, m in _found(tmp_path) if code == "SCP402"} == {
        ("conftest.py", 11, "boto3 client for 'sqs' has no region and nothing sets AWS_DEFAULT_REGION for it"),
        ("test_mocked.py", 11, "boto3 client for 'ecs' has no region and nothing sets AWS_DEFAULT_REGION for it"),
    }


def test_the_outer_mock_is_the_one_still_active(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "test_seq.py": """
            from moto import mock_aws


            def test_sequence():
                with mock_aws():
                    pass
                with mock_aws():
                    with mock_aws():
                        pass
            """
        },
    )
    assert _found(tmp_path) == {
        ("test_seq.py", 8, "SCP301", "`with mock_aws()` is redundant under `with mock_aws()` at test_seq.py:7")
    }


def test_a_caught_import_inside_a_fixture_says_it_is_caught(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "test_skip.py": """
            import pytest


            @pytest.fixture(autouse=True)
            def table():
                try:
                    from moto import mock_dynamodb
                except ImportError:
                    pytest.skip("moto not installed")
                with mock_dynamodb():
                    yield
            """
        },
    )
    assert {(line, m) for _, line, code, m in _found(tmp_path) if code == "SCP401"} == {
        (7, "mock_dynamodb: moto<5 API; its `ImportError` on moto 5 is caught here; use mock_aws")
    }


def test_guards_are_found_in_nested_statements_only_walk() -> None:
    """guards.py walks statements, not expressions: try blocks nested in functions, loops, with
    blocks and handlers are still found, with their exact line ranges."""
    import ast

    from scopecheck.facts import guards

    tree = ast.parse(
        textwrap.dedent(
            """
            try:
                from moto import mock_aws
            except ImportError:
                from moto import mock_s3 as mock_aws
            def f():
                for _ in range(1):
                    with open("x"):
                        try:
                            x()
                        except NoRegionError:
                            pass
            try:
                pass
            finally:
                try:
                    from moto import mock_sqs
                except ImportError:
                    from moto import mock_aws as mock_sqs
            """
        )
    )
    assert guards.import_shims(tree) == [(5, 5), (17, 17)]  # the handler of the first, the body of the second
    assert guards.region_guards(tree) == [(10, 10)]
    assert guards.import_guards(tree) == [(3, 3), (17, 17)]
