"""The pytest model: visibility, overrides, setup order and active mocks, as pytest runs them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from scopecheck.analysis import analyse_path
from scopecheck.model.suite import Suite, TestRun
from tests.helpers import as_markers, lint_tree, write_tree


def build(root: Path, files: dict[str, str]) -> Suite:
    write_tree(root, {k: textwrap.dedent(v) for k, v in files.items()})
    facts = {str(p): analyse_path(str(p)).facts for p in sorted(root.rglob("*.py"))}
    return Suite(facts, root=str(root))


def run_named(suite: Suite, name: str) -> TestRun:
    return next(r for r in suite.tests() if r.fn.name == name)


def order(run: TestRun) -> list[str]:
    return [f.name for f in run.setup_order]


CONFTEST = """
import pytest
from moto import mock_aws

@pytest.fixture(scope="session")
def session_thing():
    yield

@pytest.fixture
def mocked():
    with mock_aws():
        yield

@pytest.fixture(autouse=True)
def outer_autouse():
    yield
"""


def test_setup_order_is_scope_then_autouse_then_argument_order(tmp_path: Path) -> None:
    suite = build(
        tmp_path,
        {
            "conftest.py": CONFTEST,
            "test_a.py": """
            import pytest

            @pytest.fixture(scope="module")
            def module_thing(mocked):
                yield

            @pytest.fixture
            def b():
                yield

            @pytest.fixture
            def a(b):
                yield

            def test_it(a, module_thing, session_thing):
                pass
            """,
        },
    )
    run = run_named(suite, "test_it")
    # session first, then module (whose function-scoped dependency pytest would reject at run time,
    # but the order still follows scope), autouse before requested function fixtures, deps first.
    assert order(run) == ["session_thing", "mocked", "module_thing", "outer_autouse", "b", "a"]


def test_nested_conftest_overrides_and_super_fixture(tmp_path: Path) -> None:
    suite = build(
        tmp_path,
        {
            "conftest.py": CONFTEST,
            "sub/conftest.py": """
            import pytest

            @pytest.fixture
            def mocked(mocked):
                yield "wrapped"
            """,
            "sub/test_b.py": """
            def test_it(mocked):
                pass
            """,
        },
    )
    run = run_named(suite, "test_it")
    assert [(f.name, Path(f.file.path).parent.name) for f in run.setup_order] == [
        ("outer_autouse", tmp_path.name),
        ("mocked", tmp_path.name),
        ("mocked", "sub"),
    ]
    assert run.active_at_call and run.active_at_call[0].fixture is not None


def test_usefixtures_innermost_first_and_getfixturevalue_during_the_call(tmp_path: Path) -> None:
    suite = build(
        tmp_path,
        {
            "conftest.py": CONFTEST,
            "test_c.py": """
            import pytest
            from moto import mock_aws

            pytestmark = pytest.mark.usefixtures("session_thing")

            @pytest.fixture
            def plain():
                yield

            @pytest.mark.usefixtures("mocked")
            class TestX:
                @pytest.mark.usefixtures("plain")
                def test_class_mark(self):
                    pass

            @mock_aws
            def test_dynamic(request):
                request.getfixturevalue("mocked")
            """,
        },
    )
    marked = run_named(suite, "test_class_mark")
    # initial names: autouse, then usefixtures of function, class, module; then sorted by scope
    assert order(marked) == ["session_thing", "outer_autouse", "plain", "mocked"]
    assert marked.runs_under_mock and marked.call_order == []
    dynamic = run_named(suite, "test_dynamic")
    # getfixturevalue sets 'mocked' up in the body, under the test's @mock_aws: not before the call
    assert order(dynamic) == ["session_thing", "outer_autouse"]
    assert [f.name for f in dynamic.call_order] == ["mocked"]
    assert [a.owner for a in dynamic.active_at_setup[id(dynamic.call_order[0])]] == [
        "the @mock_aws decorator on test_dynamic"
    ]
    assert dynamic.unknown == []


def test_class_fixtures_are_visible_only_inside_the_class(tmp_path: Path) -> None:
    suite = build(
        tmp_path,
        {
            "test_d.py": """
            import pytest
            from moto import mock_aws

            class TestInside:
                @pytest.fixture
                def mocked(self):
                    with mock_aws():
                        yield

                def test_in(self, mocked):
                    pass

            def test_out(mocked):
                pass
            """,
        },
    )
    assert order(run_named(suite, "test_in")) == ["mocked"]
    assert run_named(suite, "test_in").runs_under_mock
    assert order(run_named(suite, "test_out")) == []
    assert not run_named(suite, "test_out").runs_under_mock
    assert run_named(suite, "test_out").unknown == ["fixture 'mocked' is not defined in the files seen"]


def test_scope_given_by_a_callable_is_unknown(tmp_path: Path) -> None:
    suite = build(
        tmp_path,
        {
            "test_e.py": """
            import pytest

            def pick(fixture_name, config):
                return "module"

            @pytest.fixture(scope=pick)
            def dynamic():
                yield

            def test_it(dynamic):
                pass
            """,
        },
    )
    run = run_named(suite, "test_it")
    assert [(f.name, f.scope) for f in run.setup_order] == [("dynamic", "unknown")]
    assert run.unknown == ["fixture 'dynamic' has a scope computed at run time"]


def test_pytest_plugins_modules_in_the_tree_provide_fixtures(tmp_path: Path) -> None:
    suite = build(
        tmp_path,
        {
            "conftest.py": 'pytest_plugins = ["helpers.aws"]\n',
            "helpers/__init__.py": "",
            "helpers/aws.py": """
            import pytest
            from moto import mock_aws

            @pytest.fixture
            def mocked():
                with mock_aws():
                    yield
            """,
            "test_f.py": """
            def test_it(mocked):
                pass
            """,
        },
    )
    run = run_named(suite, "test_it")
    assert [(f.name, f.file.path) for f in run.setup_order] == [("mocked", str(tmp_path / "helpers" / "aws.py"))]
    assert run.runs_under_mock and run.unknown == []


def test_class_decorator_and_setup_method_start_make_methods_mocked(tmp_path: Path) -> None:
    suite = build(
        tmp_path,
        {
            "test_g.py": """
            from moto import mock_aws

            @mock_aws
            class TestDecorated:
                def test_a(self):
                    pass

            class TestStarted:
                def setup_method(self):
                    self.mock = mock_aws()
                    self.mock.start()

                def teardown_method(self):
                    self.mock.stop()

                def test_b(self):
                    pass
            """,
        },
    )
    assert [a.owner for a in run_named(suite, "test_a").active_at_call] == [
        "the @mock_aws decorator on class TestDecorated"
    ]
    started = run_named(suite, "test_b")
    # setup_method is pytest's autouse fixture _xunit_setup_method_fixture_<class>
    assert order(started) == ["_xunit_setup_method_fixture_TestStarted"]
    assert [a.owner for a in started.active_at_call] == ["setup_method() of TestStarted (test_g.py:10)"]


# -- precision traps, through the whole linter --------------------------------------------------------


def lint(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, int, str]]:
    write_tree(tmp_path, {k: textwrap.dedent(v).lstrip("\n") for k, v in files.items()})
    return as_markers(tmp_path, lint_tree(tmp_path))


def test_autouse_mock_covers_client_fixtures(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        {
            "conftest.py": """
            import boto3
            import pytest
            from moto import mock_aws

            @pytest.fixture(autouse=True)
            def moto_on():
                with mock_aws():
                    yield

            @pytest.fixture
            def s3():
                return boto3.client("s3", region_name="us-east-1")
            """,
            "test_h.py": """
            def test_it(s3):
                s3.list_buckets()
            """,
        },
    )
    assert found == set()


def test_plain_methods_of_a_decorated_class_build_clients_mocked(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        {
            "test_i.py": """
            import boto3
            from moto import mock_aws

            @mock_aws
            class TestIt:
                def test_a(self):
                    s3 = boto3.client("s3", region_name="us-east-1")
                    with mock_aws():
                        s3.list_buckets()
            """,
        },
    )
    # nested (SCP301, off by default on moto 5), but the client is not built outside: no SCP102
    assert {code for _, _, code in found} == set()


def test_a_suite_without_moto_is_never_flagged(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        {
            "conftest.py": """
            import boto3
            import pytest

            SHARED = boto3.client("sqs")

            @pytest.fixture
            def s3():
                return boto3.client("s3")
            """,
            "test_j.py": """
            import boto3

            CLIENT = boto3.client("dynamodb")

            def test_real(s3):
                s3.list_buckets()
                boto3.client("sqs").list_queues()
            """,
        },
    )
    assert found == set()


def test_a_local_variable_named_like_boto3_client_is_not_a_client(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        {
            "test_k.py": """
            from boto3 import client
            from moto import mock_aws

            def make(client):
                return client("sqs")

            @mock_aws
            def test_it():
                client = lambda name: name
                client("sqs")
            """,
        },
    )
    assert found == set()


def test_aliases_of_moto_and_boto3_count(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        {
            "test_l.py": """
            import boto3.session as bs
            import moto as m
            import pytest

            @pytest.fixture
            def s3():
                with m.mock_aws():
                    return bs.Session(region_name="us-east-1").client("s3")
            """,
        },
    )
    assert found == {("test_l.py", 8, "SCP201")}


def test_what_the_model_cannot_resolve_is_unknown(tmp_path: Path) -> None:
    suite = build(
        tmp_path,
        {
            "test_u.py": """
            import pytest
            from moto import mock_aws
            from somewhere_installed import PluginBase

            @pytest.fixture
            def picks(request):
                request.getfixturevalue(request.param)

            @mock_aws
            def test_plugin_fixture(tmp_path, from_a_plugin):
                pass

            @mock_aws
            def test_computed_name(request, picks):
                request.getfixturevalue("pic" + "ks")

            class TestDerived(PluginBase):
                def test_it(self, monkeypatch, caplog):
                    pass

            @pytest.mark.parametrize("undefined_name", [1])
            def test_parametrized(undefined_name):
                pass
            """,
        },
    )
    assert run_named(suite, "test_plugin_fixture").unknown == [
        "fixture 'from_a_plugin' is not defined in the files seen"
    ]
    assert run_named(suite, "test_computed_name").unknown == [
        "fixture 'picks' (function scope, test_u.py:7) calls request.getfixturevalue with a computed name",
        "test test_computed_name calls request.getfixturevalue with a computed name",
    ]
    assert run_named(suite, "test_it").unknown == ["base class 'PluginBase' of TestDerived is not among the files seen"]
    assert run_named(suite, "test_parametrized").unknown == []  # a parametrize argument is no fixture
