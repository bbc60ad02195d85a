"""The pytest model's rules, pinned through what a user sees: whole finding sets of small suites.

Each case states one thing pytest does (set-up order by scope, fixture overriding, what a base class
or a plugin fixture brings) and checks that the linter's verdict follows from it. They are written
against findings, not the model's internals, so they survive refactoring; mutation testing
(scripts/mutation.py, docs/testing.md) showed which of these rules nothing else pinned.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from scopecheck.analysis import analyse_path
from scopecheck.model.suite import Suite
from tests.helpers import lint_tree, write_tree

CLIENT_FIXTURE = """
import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def s3():
    return boto3.client("s3", region_name="us-east-1")
"""


def findings(tmp_path: Path, files: dict[str, str], moto_major: int = 5) -> list[tuple[str, int, str, str]]:
    write_tree(tmp_path, {name: textwrap.dedent(text).lstrip("\n") for name, text in files.items()})
    found = lint_tree(tmp_path, moto_major=moto_major, select=["ALL"])
    return sorted((Path(f.path).relative_to(tmp_path).as_posix(), f.line, f.code, f.message) for f in found)


pytest_plugins = ["pytester"]
BUILTIN_FIXTURE = re.compile(r"^(\w+)(?: \[\w+ scope\])? -- .*_pytest/")
SCP103_AT_8 = (
    "test_example.py",
    8,
    "SCP103",
    "boto3 client made before the mock starts (@mock_aws on test_it, line 11)",
)

# pytest's own fixtures and common plugins' that neither start moto nor write credentials: a test
# that requests one is still fully known, so the unmocked client fixture is reported.
HARMLESS = [
    "request", "pytestconfig", "monkeypatch", "tmp_path", "tmp_path_factory", "tmpdir", "tmpdir_factory",
    "capsys", "capsysbinary", "capfd", "capfdbinary", "capteesys", "caplog", "cache", "doctest_namespace",
    "record_property", "record_xml_attribute", "record_testsuite_property", "recwarn", "testdir", "pytester",
    "subtests", "mocker", "class_mocker", "module_mocker", "package_mocker", "session_mocker", "freezer",
    "faker", "benchmark", "event_loop", "anyio_backend", "httpx_mock", "requests_mock", "respx_mock",
    "snapshot", "worker_id", "testrun_uid", "datadir", "shared_datadir", "original_datadir",
]  # fmt: skip


@pytest.mark.parametrize("name", HARMLESS)
def test_a_known_harmless_fixture_keeps_the_run_known(tmp_path: Path, name: str) -> None:
    source = CLIENT_FIXTURE + f"\n\n@mock_aws\ndef test_it(s3, {name}):\n    s3.list_buckets()\n"
    assert findings(tmp_path, {"test_example.py": source}) == [SCP103_AT_8]


def test_an_unseen_fixture_makes_the_run_unknown(tmp_path: Path) -> None:
    source = CLIENT_FIXTURE + "\n\n@mock_aws\ndef test_it(s3, aws_from_a_plugin):\n    s3.list_buckets()\n"
    assert findings(tmp_path, {"test_example.py": source}) == []


def test_pytests_builtin_fixtures_are_all_known_harmless(pytester: pytest.Pytester) -> None:
    """The list above covers every fixture pytest itself defines (asked of the installed pytest)."""
    result = pytester.runpytest_subprocess("--fixtures", "-p", "no:cacheprovider")
    builtin = {m.group(1) for line in result.outlines if (m := BUILTIN_FIXTURE.match(line))}
    assert {"capsys", "monkeypatch", "tmp_path"} <= builtin, result.outlines
    assert builtin <= set(HARMLESS)


@pytest.mark.parametrize(
    ("base", "imports"),
    [
        ("object", ""),
        ("TestCase", "from unittest import TestCase"),
        ("IsolatedAsyncioTestCase", "from unittest import IsolatedAsyncioTestCase"),
        ("ABC", "from abc import ABC"),
        ("Generic", "from typing import Generic"),
        ("Protocol", "from typing import Protocol"),
        ("AsyncTestCase", "from tornado.testing import AsyncTestCase"),
    ],
)
def test_a_plain_base_class_brings_no_fixtures(tmp_path: Path, base: str, imports: str) -> None:
    source = f"""
        import boto3
        import pytest
        from moto import mock_aws
        {imports}


        @pytest.fixture
        def s3():
            return boto3.client("s3", region_name="us-east-1")


        class TestIt({base}):
            @mock_aws
            def test_it(self, s3):
                s3.list_buckets()
        """
    found = findings(tmp_path, {"test_example.py": textwrap.dedent(source)})
    assert [(f[1], f[2]) for f in found] == [(9, "SCP103")]


def test_an_unseen_base_class_makes_its_tests_unknown(tmp_path: Path) -> None:
    source = """
        import boto3
        import pytest
        from moto import mock_aws
        from somewhere_else import AwsTestBase


        @pytest.fixture
        def s3():
            return boto3.client("s3", region_name="us-east-1")


        class TestIt(AwsTestBase):
            @mock_aws
            def test_it(self, s3):
                s3.list_buckets()
        """
    assert findings(tmp_path, {"test_example.py": source}) == []


MOCKED_THEN_CLIENT = """
import boto3
import pytest
from moto import mock_aws


@pytest.fixture(scope="{mock_scope}")
def mocked():
    with mock_aws():
        yield


@pytest.fixture(scope="{client_scope}")
def sqs():
    return boto3.client("sqs", region_name="us-east-1")
"""


@pytest.mark.parametrize(
    ("mock_scope", "client_scope", "reported"),
    [
        # pytest sets up wider scopes first, whatever the request order: session < package < module
        # < class < function. A narrower mock fixture requested first still starts after the client.
        ("function", "function", False),
        ("class", "function", False),
        ("function", "class", True),
        ("module", "class", False),
        ("class", "module", True),
        ("package", "module", False),
        ("module", "package", True),
        ("session", "package", False),
        ("package", "session", True),
    ],
)
def test_setup_order_follows_scope_before_request_order(
    tmp_path: Path, mock_scope: str, client_scope: str, reported: bool
) -> None:
    files = {
        "conftest.py": MOCKED_THEN_CLIENT.format(mock_scope=mock_scope, client_scope=client_scope),
        "test_queues.py": "class TestQueues:\n    def test_it(self, mocked, sqs):\n        sqs.list_queues()\n",
    }
    expected = (
        [("conftest.py", 14, "SCP103", "boto3 client made before the mock starts (fixture 'mocked', line 8)")]
        if reported
        else []
    )
    assert findings(tmp_path, files) == expected


def test_a_wider_dependency_of_a_later_fixture_is_set_up_first(tmp_path: Path) -> None:
    """``test(sqs, uses_mock)`` where ``uses_mock`` (function) needs the module-scoped ``mocked``:
    pytest sets ``mocked`` up before ``sqs`` (its scope is wider), so the client is mocked."""
    conftest = MOCKED_THEN_CLIENT.format(mock_scope="module", client_scope="function") + (
        "\n\n@pytest.fixture\ndef uses_mock(mocked):\n    return None\n"
    )
    files = {"conftest.py": conftest, "test_queues.py": "def test_it(sqs, uses_mock):\n    sqs.list_queues()\n"}
    assert findings(tmp_path, files) == []


def test_an_override_chain_of_three_runs_the_outermost_first(tmp_path: Path) -> None:
    """Each override requests the one it overrides, so pytest runs all three, outermost first: the
    root conftest's mock is active when the inner ones build their clients."""
    files = {
        "conftest.py": """
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def aws():
                with mock_aws():
                    yield {}
            """,
        "pkg/__init__.py": "",
        "pkg/conftest.py": """
            import boto3
            import pytest


            @pytest.fixture
            def aws(aws):
                aws["s3"] = boto3.client("s3", region_name="us-east-1")
                return aws
            """,
        "pkg/test_it.py": """
            import boto3
            import pytest


            @pytest.fixture
            def aws(aws):
                aws["sqs"] = boto3.client("sqs", region_name="us-east-1")
                return aws


            def test_it(aws):
                aws["s3"].list_buckets()
            """,
    }
    assert findings(tmp_path, files) == []


def test_an_override_chain_of_three_whose_innermost_mocks(tmp_path: Path) -> None:
    """Reversed: the innermost override starts the mock, so the two it wraps built unmocked clients."""
    files = {
        "conftest.py": """
            import boto3
            import pytest


            @pytest.fixture
            def aws():
                return {"s3": boto3.client("s3", region_name="us-east-1")}
            """,
        "pkg/__init__.py": "",
        "pkg/conftest.py": """
            import boto3
            import pytest


            @pytest.fixture
            def aws(aws):
                aws["sqs"] = boto3.client("sqs", region_name="us-east-1")
                return aws
            """,
        "pkg/test_it.py": """
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def aws(aws):
                with mock_aws():
                    yield aws


            def test_it(aws):
                aws["s3"].list_buckets()
            """,
    }
    cause = "boto3 client made before the mock starts (fixture 'aws', pkg/test_it.py:7)"
    assert findings(tmp_path, files) == [("conftest.py", 7, "SCP103", cause), ("pkg/conftest.py", 7, "SCP103", cause)]


def test_a_missing_pytest_plugins_module_makes_the_run_unknown(tmp_path: Path) -> None:
    files = {
        "conftest.py": 'pytest_plugins = ["tests.aws_fixtures"]\n',
        "test_example.py": CLIENT_FIXTURE + "\n\n@mock_aws\ndef test_it(s3):\n    s3.list_buckets()\n",
    }
    assert findings(tmp_path, files) == []


def test_a_seen_pytest_plugins_module_keeps_the_run_known(tmp_path: Path) -> None:
    files = {
        "conftest.py": 'pytest_plugins = ["helpers.aws_fixtures"]\n',
        "helpers/__init__.py": "",
        "helpers/aws_fixtures.py": "import pytest\n\n\n@pytest.fixture\ndef region():\n    return 'us-east-1'\n",
        "test_example.py": CLIENT_FIXTURE + "\n\n@mock_aws\ndef test_it(s3, region):\n    s3.list_buckets()\n",
    }
    assert findings(tmp_path, files) == [SCP103_AT_8]


BASE_WITH_MOCK_FIXTURE = """
    import pytest
    from moto import mock_aws


    class AwsBase:
        @pytest.fixture
        def mocked(self):
            with mock_aws():
                yield
    """


@pytest.mark.parametrize(
    ("imports", "base"),
    [
        ("import helpers.base", "helpers.base.AwsBase"),
        ("from helpers import base", "base.AwsBase"),
        ("from helpers.base import AwsBase", "AwsBase"),
    ],
)
def test_a_base_class_in_another_module_brings_its_fixtures(tmp_path: Path, imports: str, base: str) -> None:
    test = f"""
        import boto3
        import pytest
        {imports}


        @pytest.fixture
        def s3():
            return boto3.client("s3", region_name="us-east-1")


        class TestIt({base}):
            def test_it(self, s3, mocked):
                s3.list_buckets()
        """
    files = {
        "pyproject.toml": "",
        "helpers/__init__.py": "",
        "helpers/base.py": BASE_WITH_MOCK_FIXTURE,
        "test_it.py": textwrap.dedent(test),
    }
    cause = "boto3 client made before the mock starts (fixture 'mocked', helpers/base.py:8)"
    assert findings(tmp_path, files) == [("test_it.py", 8, "SCP103", cause)]


def test_a_nested_base_class_is_found_in_its_enclosing_class(tmp_path: Path) -> None:
    source = """
        import boto3
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def s3():
            return boto3.client("s3", region_name="us-east-1")


        class TestOuter:
            class Base:
                @pytest.fixture
                def mocked(self):
                    with mock_aws():
                        yield

            class TestInner(Base):
                def test_it(self, s3, mocked):
                    s3.list_buckets()
        """
    cause = "boto3 client made before the mock starts (fixture 'mocked', line 15)"
    assert findings(tmp_path, {"test_it.py": source}) == [("test_it.py", 8, "SCP103", cause)]


XUNIT_HOOKS = """
import unittest


def setup_module():
    pass


def setup_function():
    pass


def test_f():
    pass


class TestC:
    @classmethod
    def setup_class(cls):
        pass

    def setup_method(self):
        pass

    def test_m(self):
        pass


class TestU(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        pass

    def setup_method(self):
        pass

    def test_u(self):
        pass
"""


def test_xunit_hooks_are_set_up_as_pytests_own_fixtures(tmp_path: Path) -> None:
    path = tmp_path / "test_a.py"
    path.write_text(XUNIT_HOOKS, encoding="utf-8")
    suite = Suite({str(path): analyse_path(str(path)).facts}, root=str(tmp_path))
    orders = {run.fn.name: [f.name for f in run.setup_order] for run in suite.tests()}
    # pytest 8's names and order (``pytest --setup-plan`` on the same file)
    assert orders == {
        "test_f": ["_xunit_setup_module_fixture_test_a", "_xunit_setup_function_fixture_test_a"],
        "test_m": [
            "_xunit_setup_module_fixture_test_a",
            "_xunit_setup_class_fixture_TestC",
            "_xunit_setup_function_fixture_test_a",
            "_xunit_setup_method_fixture_TestC",
        ],
        "test_u": [
            "_xunit_setup_module_fixture_test_a",
            "_unittest_setUpClass_fixture_TestU",
            "_xunit_setup_function_fixture_test_a",
            "_unittest_setup_method_fixture_TestU",
        ],
    }


def test_an_override_that_does_not_request_its_outer_definition_keeps_the_outers_dependencies_out(
    tmp_path: Path,
) -> None:
    files = {
        "conftest.py": "import pytest\n\n\n@pytest.fixture\ndef outer_dep():\n    yield\n\n\n"
        "@pytest.fixture\ndef s3(outer_dep):\n    yield\n",
        "test_a.py": "import pytest\n\n\n@pytest.fixture\ndef s3():\n    yield\n\n\n"
        "@pytest.fixture\ndef other(s3):\n    yield\n\n\ndef test_it(s3, other):\n    pass\n",
    }
    write_tree(tmp_path, files)
    paths = [str(tmp_path / name) for name in files]
    suite = Suite({path: analyse_path(path).facts for path in paths}, root=str(tmp_path))
    # pytest: the second request of s3 (by other) is the override again, not conftest's s3
    assert [[f.name for f in run.setup_order] for run in suite.tests()] == [["s3", "other"]]


def test_a_base_class_beside_the_tests_is_found_through_the_rootdir_on_sys_path(tmp_path: Path) -> None:
    test = """
        import boto3
        import pytest
        from helpers.base import AwsBase


        @pytest.fixture
        def s3():
            return boto3.client("s3", region_name="us-east-1")


        class TestIt(AwsBase):
            def test_it(self, s3, mocked):
                s3.list_buckets()
        """
    files = {
        "pyproject.toml": "",
        "tests/helpers/__init__.py": "",
        "tests/helpers/base.py": BASE_WITH_MOCK_FIXTURE,
        "tests/test_it.py": textwrap.dedent(test),
    }
    cause = "boto3 client made before the mock starts (fixture 'mocked', tests/helpers/base.py:8)"
    assert findings(tmp_path, files) == [("tests/test_it.py", 8, "SCP103", cause)]


def test_a_dotted_base_is_looked_up_through_the_import_that_binds_its_first_name(tmp_path: Path) -> None:
    test = """
        import boto3
        import pytest
        from lib import base


        @pytest.fixture
        def s3():
            return boto3.client("s3", region_name="us-east-1")


        class TestIt(base.AwsBase):
            def test_it(self, s3, mocked):
                s3.list_buckets()
        """
    # base.py of the project is not lib.base: the class and its fixtures are unseen (unknown)
    files = {"pyproject.toml": "", "base.py": BASE_WITH_MOCK_FIXTURE, "test_it.py": textwrap.dedent(test)}
    assert findings(tmp_path, files) == []


def test_a_base_class_that_a_module_only_re_exports_is_unseen(tmp_path: Path) -> None:
    # helpers.base imports AwsBase from a package the linter does not see: whatever fixtures it
    # brings (an autouse mock) are unknown, as for a base imported from that package directly.
    test = """
        import boto3
        import pytest
        from moto import mock_aws

        from {module} import AwsBase


        @pytest.fixture
        def s3():
            return boto3.client("s3", region_name="us-east-1")


        class TestIt(AwsBase):
            @mock_aws
            def test_it(self, s3):
                s3.list_buckets()
        """
    files = {
        "pyproject.toml": "",
        "helpers/__init__.py": "",
        "helpers/base.py": "from company_testing.aws import AwsBase  # noqa: F401\n",
        "test_direct.py": textwrap.dedent(test.format(module="company_testing.aws")),
        "test_reexported.py": textwrap.dedent(test.format(module="helpers.base")),
    }
    assert findings(tmp_path, files) == []


def test_a_base_class_two_levels_in_is_found_in_its_enclosing_class(tmp_path: Path) -> None:
    source = """
        import boto3
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def s3():
            return boto3.client("s3", region_name="us-east-1")


        class TestOuter:
            class TestMiddle:
                class Base:
                    @pytest.fixture
                    def mocked(self):
                        with mock_aws():
                            yield

                class TestInner(Base):
                    def test_it(self, s3, mocked):
                        s3.list_buckets()
        """
    cause = "boto3 client made before the mock starts (fixture 'mocked', line 16)"
    assert findings(tmp_path, {"test_it.py": source}) == [("test_it.py", 8, "SCP103", cause)]
