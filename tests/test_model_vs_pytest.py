"""The model against pytest itself: each case is a small suite run under pytest 9 with the
timeline recorder (tests/model_oracle.py); the model's setup order and moto state must agree
for every test. Every gap once found between the two has a case here."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.helpers import write_tree
from tests.model_oracle import Seen, build_suite, differences, observe

MOCK = """
        import pytest
        from moto import mock_aws
"""

# name -> files (a package each; "__init__.py" is added). Fixtures that "hold" moto do
# `with mock_aws(): yield`; the others do nothing, so the run needs no AWS client at all.
CASES: dict[str, dict[str, str]] = {
    # parsefactories walks dir(): autouse fixtures of one file are set up by attribute name.
    "autouse_by_name": {
        "conftest.py": MOCK
        + """
        @pytest.fixture(autouse=True)
        def zz_mock():
            with mock_aws():
                yield

        @pytest.fixture(autouse=True)
        def aa_client():
            yield
        """,
        "test_a.py": """
        def test_it():
            pass
        """,
    },
    # ... by attribute name, not by the fixture's name= (and module autouse after conftest's).
    "autouse_name_kwarg": {
        "conftest.py": MOCK
        + """
        @pytest.fixture(autouse=True, name="a_first_by_name")
        def z_attribute():
            with mock_aws():
                yield
        """,
        "test_a.py": MOCK
        + """
        @pytest.fixture(autouse=True, name="zz")
        def b_attr():
            yield

        @pytest.fixture(autouse=True)
        def a_attr():
            yield

        def test_it():
            pass
        """,
    },
    # usefixtures marks: innermost first (function, class, module); stacked marks bottom-up.
    "usefixtures_order": {
        "test_a.py": MOCK
        + """
        pytestmark = pytest.mark.usefixtures("m_fix")

        @pytest.fixture
        def m_fix():
            yield

        @pytest.fixture
        def c_fix():
            yield

        @pytest.fixture
        def f_fix():
            yield

        @pytest.fixture
        def g_fix():
            yield

        @pytest.mark.usefixtures("c_fix")
        class TestX:
            @pytest.mark.usefixtures("f_fix")
            @pytest.mark.usefixtures("g_fix")
            def test_it(self):
                pass
        """,
    },
    # getfixturevalue runs during the call: under the test's decorator.
    "getfixturevalue_in_call": {
        "test_a.py": MOCK
        + """
        @pytest.fixture
        def plain():
            yield

        @pytest.fixture
        def holder():
            with mock_aws():
                yield

        @pytest.fixture
        def dep_of_dynamic(plain):
            yield

        @mock_aws
        def test_decorated(request):
            request.getfixturevalue("plain")

        def test_dynamic_mock_then_plain(request, plain):
            request.getfixturevalue("holder")
            request.getfixturevalue("dep_of_dynamic")
        """,
    },
    # xunit setup_* are autouse fixtures: before the fixtures a test requests.
    "xunit_setup_method": {
        "test_a.py": MOCK
        + """
        @pytest.fixture
        def client():
            yield

        class TestStarted:
            def setup_method(self, method):
                self.mock = mock_aws()
                self.mock.start()

            def teardown_method(self, method):
                self.mock.stop()

            def test_it(self, client):
                pass
        """,
    },
    "xunit_module_function_class": {
        "conftest.py": MOCK
        + """
        @pytest.fixture(autouse=True)
        def conf_auto():
            yield
        """,
        "test_a.py": MOCK
        + """
        def setup_module(module):
            pass

        def setup_function(function):
            pass

        @pytest.fixture(autouse=True)
        def mod_auto():
            yield

        @pytest.fixture
        def asked():
            yield

        def test_plain(asked):
            pass

        class TestC:
            @classmethod
            def setup_class(cls):
                pass

            def setup_method(self, method):
                pass

            @pytest.fixture(autouse=True)
            def cls_auto(self):
                yield

            def test_m(self, asked):
                pass
        """,
    },
    # nested classes are collected; the outer class's fixtures are visible inside.
    "nested_classes": {
        "test_a.py": MOCK
        + """
        class TestOuter:
            @pytest.fixture(autouse=True)
            def outer_mock(self):
                with mock_aws():
                    yield

            def test_outer(self):
                pass

            class TestInner:
                @pytest.fixture
                def inner(self):
                    yield

                def test_inner(self, inner):
                    pass
        """,
    },
    # fixtures of a base class in another module are the subclass's own.
    "base_class_other_module": {
        "bases.py": MOCK
        + """
        class MockedBase:
            @pytest.fixture(autouse=True)
            def mocked(self):
                with mock_aws():
                    yield

            @pytest.fixture
            def helper(self):
                yield
        """,
        "test_a.py": """
        from .bases import MockedBase

        class TestSub(MockedBase):
            def test_it(self, helper):
                pass
        """,
    },
    # a parametrize argument shadows a fixture of that name (unless indirect).
    "parametrize_shadows": {
        "test_a.py": MOCK
        + """
        @pytest.fixture
        def mocked(request):
            with mock_aws():
                yield

        @pytest.mark.parametrize("mocked", [1])
        def test_shadowed(mocked):
            pass

        @pytest.mark.parametrize("mocked", [1], indirect=True)
        def test_indirect(mocked):
            pass

        @pytest.mark.parametrize(("x", "mocked"), [(1, 2)])
        def test_tuple_names(x, mocked):
            pass

        @pytest.mark.parametrize("x,mocked", [(1, 2)])
        def test_comma_names(x, mocked):
            pass
        """,
    },
    # the closure is walked depth first, then ordered by scope (a stable sort).
    "closure_depth_first": {
        "test_a.py": MOCK
        + """
        @pytest.fixture(scope="module")
        def m1():
            yield

        @pytest.fixture(scope="module")
        def m2():
            with mock_aws():
                yield

        @pytest.fixture
        def b(m1):
            yield

        @pytest.fixture
        def a(b):
            yield

        @pytest.fixture
        def c(m2):
            yield

        def test_it(a, c):
            pass
        """,
    },
    # override chains: a module fixture requesting the conftest's of the same name.
    "override_chain": {
        "conftest.py": MOCK
        + """
        @pytest.fixture
        def thing():
            with mock_aws():
                yield

        @pytest.fixture(scope="session")
        def wide():
            yield
        """,
        "test_a.py": MOCK
        + """
        @pytest.fixture
        def thing(thing, wide):
            yield

        def test_it(thing):
            pass

        class TestK:
            @pytest.fixture
            def thing(self, thing):
                yield

            def test_k(self, thing):
                pass
        """,
    },
    # scopes sort before autouse/argument order: class before function.
    "scopes": {
        "test_a.py": MOCK
        + """
        @pytest.fixture(scope="class")
        def klass():
            with mock_aws():
                yield

        @pytest.fixture(autouse=True)
        def fun_auto():
            yield

        @pytest.fixture(scope="session")
        def sess():
            yield

        class TestS:
            def test_first(self, sess, klass):
                pass

            def test_second(self, klass):
                pass
        """,
    },
    # @mock_aws on a class wraps setup_method too: its mock lasts into the requested fixtures.
    "class_decorator_setup_method": {
        "test_a.py": MOCK
        + """
        @pytest.fixture
        def requested():
            yield

        @pytest.fixture(autouse=True)
        def auto():
            yield

        @mock_aws
        class TestDecorated:
            def setup_method(self, method):
                pass

            def test_it(self, requested):
                pass

        @mock_aws
        class TestNoSetup:
            def test_it(self, requested):
                pass
        """,
    },
    # unittest: setup_method and setUpClass are autouse fixtures; setUp runs inside the call.
    "unittest_case": {
        "test_a.py": MOCK
        + """
        import unittest

        @pytest.fixture
        def holder():
            with mock_aws():
                yield

        @pytest.fixture(autouse=True)
        def auto():
            yield

        class TestCaseStyle(unittest.TestCase):
            @classmethod
            def setUpClass(cls):
                cls.mock = mock_aws()
                cls.mock.start()

            @classmethod
            def tearDownClass(cls):
                cls.mock.stop()

            def setUp(self):
                pass

            def test_it(self):
                pass

        @pytest.mark.usefixtures("holder")
        class TestPlainCase(unittest.TestCase):
            def setup_method(self, method):
                pass

            def test_it(self):
                pass
        """,
    },
}


def _write_cases(root: Path, cases: dict[str, dict[str, str]]) -> None:
    files: dict[str, str] = {}
    for case, tree in cases.items():
        files[f"{case}/__init__.py"] = ""
        files.update({f"{case}/{name}": textwrap.dedent(text) for name, text in tree.items()})
    write_tree(root, files)


@pytest.fixture(scope="module")
def case_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Seen]]:
    root = tmp_path_factory.mktemp("model_cases")
    _write_cases(root, CASES)
    return root, observe(root)


@pytest.mark.parametrize("case", sorted(CASES))
def test_model_agrees_with_pytest(case: str, case_run: tuple[Path, dict[str, Seen]]) -> None:
    root, seen = case_run
    mine = {k: v for k, v in seen.items() if k.startswith(f"{case}/")}
    assert mine, f"pytest ran no test of {case}"
    assert all(s.outcome == "passed" for s in mine.values()), mine
    problems = [p for p in differences(root, seen, build_suite(root)) if p.startswith(f"{case}/")]
    assert problems == []


# pytest_plugins must sit in the rootmost conftest: a run of its own.
PLUGIN_CASE = {
    "conftest.py": MOCK
    + """
        pytest_plugins = ["helpers_aws", "pkg.more"]

        @pytest.fixture(autouse=True)
        def zz_conftest_auto():
            yield
    """,
    "helpers_aws.py": MOCK
    + """
        @pytest.fixture(autouse=True)
        def plugin_auto():
            yield

        @pytest.fixture
        def mocked():
            with mock_aws():
                yield
    """,
    "pkg/__init__.py": "",
    "pkg/more.py": MOCK
    + """
        @pytest.fixture(autouse=True)
        def aa_more_auto():
            yield
    """,
    "tests/test_i.py": """
        def test_it(mocked):
            pass
    """,
}
