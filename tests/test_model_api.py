"""The model's query API (scopecheck.model.suite.Suite), as rules use it: whole results and full
orders. The setup orders are pytest's own (``pytest --setup-plan`` on the same files)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from scopecheck.analysis import analyse_path
from scopecheck.facts.model import FileFacts, FunctionFacts
from scopecheck.model.imports import ImportResolver
from scopecheck.model.suite import Suite, TestRun
from tests.helpers import write_tree

CONFTEST = """
import os

import pytest
from moto import mock_aws


@pytest.fixture
def creds():
    os.environ["AWS_ACCESS_KEY_ID"] = "testing"
    yield


@pytest.fixture
def aws(creds):
    with mock_aws():
        yield


@pytest.fixture(autouse=True)
def tidy():
    yield
"""

TESTS = """
import boto3
import pytest
from moto import mock_aws

pytestmark = pytest.mark.usefixtures("tidy_module")


@pytest.fixture
def tidy_module():
    yield


@pytest.fixture
def s3(aws):
    with mock_aws():
        yield boto3.client("s3", region_name="us-east-1")


@pytest.fixture
def plain():
    return boto3.client("s3", region_name="us-east-1")


def test_plain(plain):
    with mock_aws():
        with mock_aws():
            plain.list_buckets()


@mock_aws
def test_decorated(plain):
    plain.list_buckets()


@pytest.mark.usefixtures("creds")
class TestThing:
    @pytest.fixture
    def helper(self):
        yield

    @pytest.mark.usefixtures("helper")
    def test_one(self, s3):
        s3.list_buckets()

    def not_a_test(self):
        pass


class TestChild(TestThing):
    pass
"""


@pytest.fixture
def suite(tmp_path: Path) -> Suite:
    files = {"conftest.py": CONFTEST, "test_api.py": TESTS}
    write_tree(tmp_path, {name: textwrap.dedent(text).lstrip() for name, text in files.items()})
    facts = {str(p): analyse_path(str(p)).facts for p in sorted(tmp_path.glob("*.py"))}
    return Suite(facts, root=str(tmp_path))


def _file(suite: Suite, name: str) -> FileFacts:
    return next(f for p, f in suite.files.items() if os.path.basename(p) == name)


def _fn(facts: FileFacts, qualname: str) -> FunctionFacts:
    return next(f for f in facts.functions if ".".join(filter(None, [f.class_name, f.name])) == qualname)


def _run(suite: Suite, cls: str | None, name: str) -> TestRun:
    return next(r for r in suite.tests() if (r.cls.name if r.cls else None) == cls and r.fn.name == name)


def _names(fdefs: list) -> list[str]:
    return [f.name for f in fdefs]


def test_tests_are_every_run_in_file_then_source_order_inherited_ones_last(suite: Suite) -> None:
    assert [(r.cls.name if r.cls else None, r.fn.name, _names(r.setup_order)) for r in suite.tests()[:3]] == [
        (None, "test_plain", ["tidy", "tidy_module", "plain"]),
        (None, "test_decorated", ["tidy", "tidy_module", "plain"]),
        ("TestThing", "test_one", ["tidy", "helper", "creds", "tidy_module", "aws", "s3"]),
    ]
    assert [(r.cls.name if r.cls else None, r.fn.name) for r in suite.tests()[3:]] == [("TestChild", "test_one")]


def test_an_inherited_test_keeps_its_base_class_usefixtures_order(suite: Suite) -> None:
    run = _run(suite, "TestChild", "test_one")
    assert _names(run.setup_order) == ["tidy", "helper", "creds", "tidy_module", "aws", "s3"]  # pytest's


def test_requests_of_a_test_a_fixture_and_a_helper(suite: Suite) -> None:
    facts = _file(suite, "test_api.py")
    # usefixtures of the function, of its class, of the module; then the arguments
    assert suite.requests_of(facts, _fn(facts, "TestThing.test_one")) == ["helper", "creds", "tidy_module", "s3"]
    assert suite.requests_of(facts, _fn(facts, "test_plain")) == ["tidy_module", "plain"]
    assert suite.requests_of(facts, _fn(facts, "s3")) == ["aws"]
    assert suite.requests_of(facts, _fn(facts, "TestThing.not_a_test")) == []


def test_setup_order_for_code_in_a_file_and_class(suite: Suite) -> None:
    facts = _file(suite, "test_api.py")
    assert _names(suite.setup_order(facts)) == ["tidy"]
    assert _names(suite.setup_order(facts, "TestThing", ["s3", "helper"])) == ["tidy", "creds", "aws", "s3", "helper"]
    assert _names(suite.setup_order(facts, "TestThing", ["s3"], include_autouse=False)) == ["creds", "aws", "s3"]
    assert _names(suite.fixture_setup_order(facts, _fn(facts, "s3"))) == ["tidy", "creds", "aws"]
    assert _names(suite.fixture_setup_order(facts, _fn(facts, "plain"))) == ["tidy"]


def test_visible_fixtures_innermost_layer_first_by_name(suite: Suite) -> None:
    facts = _file(suite, "test_api.py")
    assert _names(suite.visible_fixtures(facts, "TestThing")) == [
        "helper",  # the class
        "plain", "s3", "tidy_module",  # the module
        "aws", "creds", "tidy",  # conftest.py
    ]  # fmt: skip
    assert _names(suite.visible_fixtures(_file(suite, "conftest.py"))) == ["aws", "creds", "tidy"]


def test_active_mock_at_each_setup_step_and_at_the_call(suite: Suite) -> None:
    run = _run(suite, "TestThing", "test_one")
    aws = "fixture 'aws' (function scope, conftest.py:14)"
    assert [(f.name, [a.owner for a in suite.active_mock_at(run, f)]) for f in run.setup_order] == [
        ("tidy", []),
        ("helper", []),
        ("creds", []),
        ("tidy_module", []),
        ("aws", []),
        ("s3", [aws]),
    ]
    assert [a.owner for a in suite.active_mock_at(run)] == [aws, "fixture 's3' (function scope, test_api.py:14)"]
    decorated = _run(suite, None, "test_decorated")
    assert [a.owner for a in suite.active_mock_at(decorated)] == ["the @mock_aws decorator on test_decorated"]
    assert [a.owner for a in suite.active_mock_at(_run(suite, None, "test_plain"))] == []


def test_nestings_local_then_runs_each_pair_once(suite: Suite) -> None:
    assert [
        (
            os.path.basename(n.inner_file.path),
            n.inner.loc.line,
            os.path.basename(n.outer_path),
            n.outer.loc.line,
            n.outer_fixture.name if n.outer_fixture else None,
        )
        for n in suite.nestings()
    ] == [
        ("test_api.py", 26, "test_api.py", 25, None),  # `with` in `with`, in test_plain
        ("test_api.py", 15, "conftest.py", 15, "aws"),  # s3's mock under aws's
    ]


def test_runs_in_and_runs_using(suite: Suite) -> None:
    facts = _file(suite, "test_api.py")
    conftest = _file(suite, "conftest.py")
    assert [r.fn.name for r in suite.runs_in(facts)] == ["test_plain", "test_decorated"]
    # the runs of the methods defined in the class, in subclasses too
    assert [(r.cls and r.cls.name) for r in suite.runs_in(facts, "TestThing")] == ["TestThing", "TestChild"]
    assert suite.runs_in(facts, "TestChild") == []
    assert len(suite.runs_in(facts, any_class=True)) == 4
    assert suite.runs_in(conftest, any_class=True) == []
    assert [(r.cls and r.cls.name) for r in suite.runs_using(_fn(conftest, "aws"))] == ["TestThing", "TestChild"]
    assert [r.fn.name for r in suite.runs_using(_fn(facts, "plain"))] == ["test_plain", "test_decorated"]


def test_under_mock_queries(suite: Suite) -> None:
    facts = _file(suite, "test_api.py")
    conftest = _file(suite, "conftest.py")
    fixtures = {fn.name: suite.fixture_under_mock(fn) for f in (facts, conftest) for fn in f.functions if fn.fixture}
    assert fixtures == {
        "tidy_module": False,
        "s3": True,
        "plain": False,
        "helper": False,
        "creds": False,
        "aws": False,
        "tidy": False,
    }
    tests = {fn.name: suite.test_under_mock(fn) for fn in facts.functions if fn.is_test}
    assert tests == {"test_plain": False, "test_decorated": True, "test_one": True}


def test_classes_and_methods(suite: Suite) -> None:
    facts = _file(suite, "test_api.py")
    thing = suite.class_of(facts, _fn(facts, "TestThing.helper"))
    assert thing is not None and thing.name == "TestThing"
    assert suite.class_of(facts, _fn(facts, "s3")) is None
    assert [fn.name for fn in suite.methods_of(facts, thing)] == ["helper", "test_one", "not_a_test"]
    assert [fn.name for fn in suite.methods_of(facts, "TestChild")] == []
    assert [fn.name for fn in suite.methods_of(facts, None)] == [
        "tidy_module", "s3", "plain", "test_plain", "test_decorated"
    ]  # fmt: skip
    lineage, unknown = suite.class_lineage(facts, "TestChild")
    assert [cls.name for _, cls in lineage] == ["TestChild", "TestThing"] and unknown == []


def test_suite_uses_the_import_resolver_it_is_given(tmp_path: Path) -> None:
    resolver = ImportResolver(project_root=str(tmp_path), roots=[], load=lambda path: None)
    assert Suite({}, root=str(tmp_path), imports=resolver).imports is resolver
    default = Suite({}, root=str(tmp_path)).imports  # reads only the files it was given
    assert isinstance(default, ImportResolver) and default.project_root == str(tmp_path)
