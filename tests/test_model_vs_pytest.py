"""The model against pytest itself: each case is a small suite run under pytest 9 with the
timeline recorder (tests/model_oracle.py); the model's setup order and moto state must agree
for every test. Every gap once found between the two has a case here."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import pytest

from tests.helpers import as_markers, lint_tree, write_tree
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
    # a class's usefixtures marks include its bases' (pytest reads them along the reversed MRO),
    # for inherited tests and the class's own ones alike.
    "usefixtures_of_bases": {
        "test_a.py": MOCK
        + """
        @pytest.fixture
        def a():
            yield

        @pytest.fixture
        def b():
            yield

        @pytest.fixture
        def c():
            yield

        @pytest.fixture
        def d():
            yield

        @pytest.mark.usefixtures("a")
        class TestBase:
            def test_inherited(self):
                pass

        @pytest.mark.usefixtures("d")
        class TestMix:
            pass

        @pytest.mark.usefixtures("b")
        @pytest.mark.usefixtures("c")
        class TestChild(TestBase, TestMix):
            def test_own(self):
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
    # mock.patch decorators fill the leading arguments: those are not fixtures.
    "mock_patch_arguments": {
        "test_a.py": MOCK
        + """
        from unittest import mock

        @pytest.fixture
        def holder():
            with mock_aws():
                yield

        @mock.patch("os.getcwd")
        @mock.patch.object(mock, "sentinel")
        @mock.patch("os.sep", new="/")
        def test_patched(mock_sentinel, mock_getcwd, holder):
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


def test_pytest_plugins_modules_agree(tmp_path: Path) -> None:
    write_tree(tmp_path, {k: textwrap.dedent(v) for k, v in PLUGIN_CASE.items()})
    seen = observe(tmp_path)
    assert list(seen) == ["tests/test_i.py::test_it"]
    assert differences(tmp_path, seen) == []


def test_fixtures_demo_agrees(tmp_path: Path) -> None:
    """The lessons (not the pitfall examples, which the proofs run on their own)."""
    demo = Path(__file__).resolve().parent.parent / "fixtures_demo"
    # Lesson 9 runs child `pytest -n 2` sessions (most of the lessons' time) and has one plain
    # module fixture: leaving it out keeps the oracle run within its timeout.
    xdist_lesson = demo / "test_9_scopes_under_xdist"
    ignored = ("--ignore", str(demo / "pitfalls"), "--ignore", str(xdist_lesson))
    seen = observe(demo, *ignored, "-p", "no:randomly", timeout=300)
    (demo / ".oracle.json").unlink(missing_ok=True)
    (demo / ".oracle.svg").unlink(missing_ok=True)
    assert len(seen) >= 40 and all(s.outcome == "passed" for s in seen.values())
    # Lesson 00's moto4/ is moto 4 code its conftest's collect_ignore keeps out, as pitfalls/ does.
    moto4 = demo / "test_00_the_article" / "moto4"
    assert differences(demo, seen, build_suite(demo, exclude=(demo / "pitfalls", xdist_lesson, moto4))) == []


# -- generated suites ---------------------------------------------------------------------------
SCOPES = ("session", "module", "class", "function")


def generated_suite(seed: int) -> dict[str, str]:
    """A random small suite: fixtures of every scope in a conftest, the module and a class, some
    autouse, some holding a mock, with dependencies, usefixtures, parametrize, getfixturevalue,
    decorators and setup_method. Names are random, so definition order is not name order."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    fixtures: list[dict[str, object]] = []
    for i in range(rng.randint(3, 8)):
        where = rng.choice(("conftest", "module", "class"))
        scope = rng.choice(SCOPES[1:] if where != "class" else SCOPES[2:]) if rng.random() < 0.4 else "function"
        if rng.random() < 0.1 and where != "class":
            scope = "session"
        visible = [
            f
            for f in fixtures
            if (where == "class" or f["where"] != "class")
            and (where != "conftest" or f["where"] == "conftest")
            and SCOPES.index(str(f["scope"])) <= SCOPES.index(scope)
        ]
        fixtures.append(
            {
                "name": f"g{seed}_{rng.choice(letters)}{i}",
                "where": where,
                "scope": scope,
                "autouse": rng.random() < 0.3,
                "holds": scope != "session" and rng.random() < 0.3,  # a session mock would outlive the suite
                "deps": [str(f["name"]) for f in rng.sample(visible, min(len(visible), rng.randint(0, 2)))],
            }
        )

    def define(f: dict[str, object], indent: str) -> str:
        args = (["self"] if f["where"] == "class" else []) + list(f["deps"])  # type: ignore[arg-type]
        opts = [f'scope="{f["scope"]}"'] if f["scope"] != "function" else []
        opts += ["autouse=True"] if f["autouse"] else []
        body = "with mock_aws():\n" + indent + "        yield" if f["holds"] else "yield"
        return (
            f"{indent}@pytest.fixture({', '.join(opts)})\n"
            f"{indent}def {f['name']}({', '.join(args)}):\n{indent}    {body}\n\n"
        )

    scope_of = {str(f["name"]): str(f["scope"]) for f in fixtures}
    head = "import pytest\nfrom moto import mock_aws\n\n\n"
    conftest = head + "".join(define(f, "") for f in fixtures if f["where"] == "conftest")
    outside = [str(f["name"]) for f in fixtures if f["where"] != "class"]
    inside = [str(f["name"]) for f in fixtures]

    def test(name: str, pool: list[str], indent: str, method: bool) -> str:
        args = rng.sample(pool, min(len(pool), rng.randint(0, 3)))
        lines = []
        if pool and rng.random() < 0.3:
            lines.append(f"@pytest.mark.usefixtures({', '.join(repr(a) for a in rng.sample(pool, 1))})")
        # Parametrizing a wider-scope fixture's name makes pytest reorder tests around its
        # parameter: only function-scope names here, whose shadowing the model knows.
        narrow = [a for a in args if scope_of[a] == "function"]
        if narrow and rng.random() < 0.25:
            lines.append(f"@pytest.mark.parametrize({narrow[-1]!r}, [1])")
        if rng.random() < 0.3:
            lines.append("@mock_aws")
        dynamic = rng.sample(pool, 1) if pool and rng.random() < 0.3 else []
        params = (["self"] if method else []) + args + (["request"] if dynamic else [])
        body = [f"request.getfixturevalue({d!r})" for d in dynamic] or ["pass"]
        text = "".join(f"{indent}{line}\n" for line in lines)
        text += f"{indent}def {name}({', '.join(params)}):\n" + "".join(f"{indent}    {b}\n" for b in body)
        return text + "\n"

    module = head + "".join(define(f, "") for f in fixtures if f["where"] == "module")
    module += test("test_module_level", outside, "", False)
    module += "class TestGenerated:\n"
    if rng.random() < 0.4:
        module += (
            "    def setup_method(self, method):\n        self.mock = mock_aws()\n        self.mock.start()\n\n"
            "    def teardown_method(self, method):\n        self.mock.stop()\n\n"
        )
    module += "".join(define(f, "    ") for f in fixtures if f["where"] == "class")
    module += test("test_in_class", inside, "    ", True)
    module += test("test_in_class_too", inside, "    ", True)
    return {"conftest.py": conftest, "test_generated.py": module}


GENERATED = {f"gen_{seed}": generated_suite(seed) for seed in range(30)}


@pytest.fixture(scope="module")
def generated_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Seen]]:
    root = tmp_path_factory.mktemp("model_generated")
    _write_cases(root, GENERATED)
    return root, observe(root)


def test_generated_suites_agree(generated_run: tuple[Path, dict[str, Seen]]) -> None:
    root, seen = generated_run
    assert len(seen) >= 90 and all(s.outcome == "passed" for s in seen.values())
    assert differences(root, seen) == []


def test_linting_one_file_sees_its_pytest_plugins(tmp_path: Path) -> None:
    """Findings must not depend on the file list: a plugin's fixtures count for one file too."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "[tool.scopecheck]\n",
            "conftest.py": 'pytest_plugins = ["helpers_aws"]\n',
            "helpers_aws.py": textwrap.dedent(
                """
                import pytest
                from moto import mock_aws

                @pytest.fixture
                def mocked():
                    with mock_aws():
                        yield
                """
            ),
            "tests/test_i.py": textwrap.dedent(
                """
                import boto3
                import pytest
                from moto import mock_aws

                @pytest.fixture
                def s3():
                    return boto3.client("s3", region_name="us-east-1")

                @mock_aws
                def test_it(s3, mocked):
                    s3.list_buckets()
                """
            ),
        },
    )
    whole = as_markers(tmp_path, lint_tree(tmp_path, select=["ALL"]))
    alone = as_markers(tmp_path, lint_tree(tmp_path, paths=[str(tmp_path / "tests" / "test_i.py")], select=["ALL"]))
    assert alone == {m for m in whole if m[0] == "tests/test_i.py"}
    assert alone == {("tests/test_i.py", 8, "SCP103"), ("tests/test_i.py", 10, "SCP301")}
