"""Rule decisions that the rule examples do not reach, pinned as whole finding sets (mutation testing,
docs/testing.md, found them unpinned). Each case is one pytest/moto situation and its verdict."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest

from scopecheck.rules import ALL_RULES
from scopecheck.rules.base import Example
from tests.helpers import lint_tree, write_tree

STAYS = "moto stays active for later tests"
LEAKS = "sets AWS_DEFAULT_REGION in os.environ, never restored: later tests see it"


def findings(tmp_path: Path, files: dict[str, str], moto_major: int = 5) -> list[tuple[str, int, str, str]]:
    write_tree(tmp_path, {name: textwrap.dedent(text).lstrip("\n") for name, text in files.items()})
    found = lint_tree(tmp_path, moto_major=moto_major, select=["ALL"])
    return sorted((Path(f.path).relative_to(tmp_path).as_posix(), f.line, f.code, f.message) for f in found)


# --- SCP203: where a start's stop may be ---------------------------------------------------------

MODULE_START = """
import boto3
from moto import mock_aws

m = mock_aws()
m.start()
"""


def test_a_module_level_start_stopped_in_teardown_module_is_balanced(tmp_path: Path) -> None:
    source = MODULE_START + "\n\ndef teardown_module():\n    m.stop()\n\n\ndef test_it():\n    pass\n"
    assert findings(tmp_path, {"test_a.py": source}) == []


def test_a_module_level_start_never_stopped(tmp_path: Path) -> None:
    source = MODULE_START + "\n\ndef test_it():\n    pass\n"
    expected = [("test_a.py", 5, "SCP203", f"mock started at import and never stopped: {STAYS}")]
    assert findings(tmp_path, {"test_a.py": source}) == expected


def test_another_fixtures_stop_of_its_own_local_does_not_stop_this_one(tmp_path: Path) -> None:
    source = """
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def one():
            mock = mock_aws()
            mock.start()
            yield


        @pytest.fixture
        def two():
            mock = mock_aws()
            mock.start()
            yield
            mock.stop()


        def test_it(one):
            pass


        def test_other(two):
            pass
        """
    expected = [("test_c.py", 8, "SCP203", f"fixture 'one' starts mock 'mock' and never stops it: {STAYS}")]
    assert findings(tmp_path, {"test_c.py": source}) == expected


def test_a_helper_that_returns_its_started_mock_leaves_the_stop_to_the_caller(tmp_path: Path) -> None:
    source = """
        from moto import mock_aws


        def make():
            mock = mock_aws()
            mock.start()
            return mock


        def test_it():
            m = make()
            m.stop()
        """
    assert findings(tmp_path, {"test_d.py": source}) == []


def test_a_start_with_no_reference_balanced_by_an_anonymous_stop(tmp_path: Path) -> None:
    """moto's nesting counter is class-wide: ``mock_aws().stop()`` balances any instance's start."""
    source = """
        from moto import mock_aws


        def setup_module():
            mock_aws().start()


        def teardown_module():
            mock_aws().stop()


        def test_it():
            pass
        """
    assert findings(tmp_path, {"test_e.py": source}) == []


def test_a_start_with_no_reference_and_no_stop(tmp_path: Path) -> None:
    source = """
        from moto import mock_aws


        def setup_module():
            mock_aws().start()


        def test_it():
            pass
        """
    message = f"mock started with no reference, and nothing in this file stops one: {STAYS}"
    assert findings(tmp_path, {"test_e.py": source}) == [("test_e.py", 5, "SCP203", message)]


# --- SCP402: what covers a class's tests -----------------------------------------------------------


def test_a_class_hook_that_sets_the_region_covers_the_class_and_its_subclasses(tmp_path: Path) -> None:
    source = CLASS_REGION
    no_region = "boto3 client for 'sqs' has no region and nothing sets AWS_DEFAULT_REGION for it"
    assert findings(tmp_path, {"test_a.py": source}) == [
        ("test_a.py", 29, "SCP402", no_region),  # TestNone: its base's setup_method sets nothing
        ("test_a.py", 41, "SCP402", no_region),  # unittest.TestCase brings nothing either
    ]  # TestUnknown's base is not among the files seen: unknown, not reported


CLASS_REGION = """
import boto3
import pytest
from moto import mock_aws


class Base:
    def setup_method(self):
        self.region = "us-east-1"


class TestRegion(Base):
    def setup_class(cls):
        boto3.setup_default_session(region_name="us-east-1")

    @mock_aws
    def test_it(self):
        boto3.client("sqs")


class TestChild(TestRegion):
    @mock_aws
    def test_child(self):
        boto3.client("sqs")


class TestNone(Base):
    @mock_aws
    def test_none(self):
        boto3.client("sqs")


class TestUnknown(SomeBase):
    @mock_aws
    def test_unknown(self):
        boto3.client("sqs")


class TestUnit(unittest.TestCase):
    @mock_aws
    def test_unit(self):
        boto3.client("sqs")
"""


# --- SCP301: a fixture that nests a mock inside the mock fixture it requests ----------------------


def test_a_fixture_nesting_inside_its_mock_fixture_is_reported_even_if_no_test_uses_it(tmp_path: Path) -> None:
    files = {
        "conftest.py": "import pytest\nfrom moto import mock_aws\n\n\n@pytest.fixture\ndef mocked():\n"
        "    with mock_aws():\n        yield\n",
        "test_b.py": """
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def double(mocked):
                with mock_aws():
                    yield


            def test_it(mocked):
                pass
            """,
    }
    expected = [("test_b.py", 7, "SCP301", "`with mock_aws()` is redundant under fixture 'mocked' (conftest.py:7)")]
    assert findings(tmp_path, files) == expected
    assert findings(tmp_path, files, moto_major=4)[0][2:] == (
        "SCP301",
        "`with mock_aws()` under fixture 'mocked' (conftest.py:7) can wipe its data",
    )


# --- SCP104: relative imports reach the module that builds the client ----------------------------


def test_relative_imports_of_an_import_time_client(tmp_path: Path) -> None:
    test = (
        "from moto import mock_aws\n\nfrom {dots}aws import S3\n\n\n@mock_aws\ndef test_it():\n    S3.list_buckets()\n"
    )
    files = {
        "pyproject.toml": "",
        "pkg/__init__.py": "",
        "pkg/sub/__init__.py": "",
        "pkg/aws.py": 'import boto3\n\nS3 = boto3.client("s3", region_name="us-east-1")\n',
        "pkg/sub/test_c.py": test.format(dots=".."),
        "pkg/test_d.py": test.format(dots="."),
    }
    message = "boto3 client for 's3' built at import freezes its credentials; 2 test modules import it"
    assert findings(tmp_path, files) == [("pkg/aws.py", 3, "SCP104", message)]


# --- more decisions that mutation testing found unpinned -------------------------------------------


def test_a_region_guarded_import_time_client_is_not_region_less_but_still_freezes(tmp_path: Path) -> None:
    source = """
        import boto3
        from botocore.exceptions import NoRegionError
        from moto import mock_aws

        try:
            SQS = boto3.client("sqs")
        except NoRegionError:
            SQS = None

        SESSION = boto3.Session()


        @mock_aws
        def test_it():
            pass
        """
    frozen = ("test_a.py", 6, "SCP101", "boto3 client for 'sqs' built at import freezes its credentials")
    assert findings(tmp_path, {"test_a.py": source}) == [frozen]
    unguarded = source.replace("try:\n            SQS", "if True:\n            SQS").replace(
        "except NoRegionError:\n            SQS = None", "pass"
    )
    assert [f[2] for f in findings(tmp_path, {"test_a.py": unguarded})] == ["SCP402"]


def test_removed_mocks_are_named_two_at_most_then_counted(tmp_path: Path) -> None:
    files = {"test_b.py": "from moto import mock_s3, mock_sqs, mock_sns\n", "test_c.py": "from moto import mock_s3\n"}
    assert findings(tmp_path, files) == [
        (
            "test_b.py",
            1,
            "SCP401",
            "mock_s3, mock_sqs +1: moto<5 API, `ImportError` at collection on moto 5; use mock_aws",
        ),
        ("test_c.py", 1, "SCP401", "mock_s3: moto<5 API, `ImportError` at collection on moto 5; use mock_aws"),
    ]
    assert [f[3] for f in findings(tmp_path, files, moto_major=4)] == [
        "mock_s3, mock_sqs +1: removed in moto 5, where mock_aws replaces them",
        "mock_s3: removed in moto 5, where mock_aws replaces it",
    ]


def test_a_moved_name_beside_a_removed_mock_reports_the_mock(tmp_path: Path) -> None:
    files = {"test_e.py": "from moto.core import BaseBackend, DEFAULT_ACCOUNT_ID, mock_s3\n"}
    message = "mock_s3: moto<5 API, `ImportError` at collection on moto 5; use mock_aws"
    assert findings(tmp_path, files) == [("test_e.py", 1, "SCP401", message)]


def test_each_unmocked_client_of_a_fixture_is_reported_once_for_all_its_tests(tmp_path: Path) -> None:
    source = """
        import boto3
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def s3():
            client = boto3.client("s3", region_name="us-east-1")
            other = boto3.client("s3", region_name="us-east-1")
            return client, other


        @pytest.fixture
        def mocked():
            with mock_aws():
                yield


        def test_one(s3, mocked):
            pass


        def test_two(s3, mocked):
            pass
        """
    cause = "boto3 client made before the mock starts (fixture 'mocked', line 15)"
    assert findings(tmp_path, {"test_d.py": source}) == [
        ("test_d.py", 8, "SCP103", cause),
        ("test_d.py", 9, "SCP103", cause),
    ]


def test_fixed_port_servers_in_helpers_count_only_in_test_code_and_setup_hooks(tmp_path: Path) -> None:
    helper = """
        from moto.server import ThreadedMotoServer


        def start_server():
            server = ThreadedMotoServer(port=5000)
            server.start()
            return server


        def setup_module():
            server = ThreadedMotoServer(port=5001)
            server.start()
        """
    test = """
        import pytest
        from moto.server import ThreadedMotoServer

        from helpers.server import start_server


        @pytest.fixture
        def endpoint():
            def make():
                server = ThreadedMotoServer(port=5002)
                server.start()
                return server

            yield make


        def test_it(endpoint):
            start_server()
        """
    files = {"pyproject.toml": "", "helpers/__init__.py": "", "helpers/server.py": helper, "test_s.py": test}
    hangs = "ThreadedMotoServer on fixed port {}: start() hangs while the port is taken"
    assert findings(tmp_path, files) == [
        ("helpers/server.py", 11, "SCP404", hangs.format(5001)),
        ("test_s.py", 10, "SCP404", hangs.format(5002)),
    ]


# --- round three: the survivors of the seed-2 sample (docs/testing.md) ---------------------------

UNMOCKED_S3 = """
import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def s3():
    return boto3.client("s3", region_name="us-east-1")
"""


def test_scp103_names_the_first_mock_fixture_set_up_after_the_client(tmp_path: Path) -> None:
    source = (
        UNMOCKED_S3
        + """

@pytest.fixture
def first():
    with mock_aws():
        yield


@pytest.fixture
def second():
    with mock_aws():
        yield


def test_it(s3, first, second):
    pass
"""
    )
    assert findings(tmp_path, {"test_a.py": source}) == [
        ("test_a.py", 8, "SCP103", "boto3 client made before the mock starts (fixture 'first', line 13)"),
        ("test_a.py", 19, "SCP301", "`with mock_aws()` is redundant under fixture 'first' (test_a.py:13)"),
    ]


def test_scp103_one_finding_per_client_even_when_its_tests_name_different_mocks(tmp_path: Path) -> None:
    source = (
        UNMOCKED_S3
        + """

@pytest.fixture
def first():
    with mock_aws():
        yield


@pytest.fixture
def second():
    with mock_aws():
        yield


def test_one(s3, first):
    pass


def test_two(s3, second):
    pass
"""
    )
    assert findings(tmp_path, {"test_a.py": source}) == [
        ("test_a.py", 8, "SCP103", "boto3 client made before the mock starts (fixture 'first', line 13)")
    ]


def test_scp103_a_fixture_that_mocks_in_another_branch_is_real_aws_mode(tmp_path: Path) -> None:
    source = """
        import os

        import boto3
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def s3():
            if os.environ.get("REAL_AWS"):
                yield boto3.client("s3", region_name="us-east-1")
            else:
                with mock_aws():
                    yield boto3.client("s3", region_name="us-east-1")


        @mock_aws
        def test_it(s3):
            s3.list_buckets()
        """
    assert findings(tmp_path, {"test_a.py": source}) == []


def test_scp103_a_fixture_fetched_by_name_in_the_body_makes_the_run_unknown(tmp_path: Path) -> None:
    source = (
        UNMOCKED_S3
        + """

@mock_aws
def test_it(s3, request):
    request.getfixturevalue("made_elsewhere")
"""
    )
    assert findings(tmp_path, {"test_a.py": source}) == []


def test_scp404_a_module_level_server_runs_once(tmp_path: Path) -> None:
    source = """
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(port=5000)
        server.start()


        def test_it():
            pass
        """
    assert findings(tmp_path, {"test_a.py": source}) == [
        ("test_a.py", 3, "SCP404", "ThreadedMotoServer on fixed port 5000: start() hangs while the port is taken")
    ]


def test_scp401_a_boto2_mock_is_one_finding(tmp_path: Path) -> None:
    files = {"test_a.py": "from moto import mock_s3_deprecated\n"}
    assert findings(tmp_path, files) == [
        (
            "test_a.py",
            1,
            "SCP401",
            "mock_s3_deprecated (boto2 mock): removed in moto 3, `ImportError`; these tests need boto3",
        )
    ]


def test_scp403_the_api_aws_domain_is_aws(tmp_path: Path) -> None:
    source = """
        import boto3
        from moto import mock_aws


        @mock_aws
        def test_it():
            boto3.client("s3", region_name="us-east-1", endpoint_url="https://s3.us-east-1.api.aws")
        """
    assert findings(tmp_path, {"test_a.py": source}) == []


def test_scp205_a_mock_decorated_setup_function(tmp_path: Path) -> None:
    source = """
        import boto3
        from moto import mock_aws


        @mock_aws
        def setup_function():
            s3 = boto3.client("s3", region_name="us-east-1")
            s3.create_bucket(Bucket="b")


        def test_it():
            pass
        """
    assert findings(tmp_path, {"test_a.py": source}) == [
        (
            "test_a.py",
            5,
            "SCP205",
            "setup_function() is decorated with @mock_aws: the mock ends when it returns, before the test",
        )
    ]


def test_scp204_a_class_hook_whose_only_client_is_mocked_there(tmp_path: Path) -> None:
    source = """
        import boto3
        from moto import mock_aws


        @mock_aws
        class TestIt:
            @classmethod
            def setup_class(cls):
                with mock_aws():
                    boto3.client("s3", region_name="us-east-1").list_buckets()

            def test_it(self):
                pass
        """
    assert findings(tmp_path, {"test_a.py": source}) == []


def test_credentials_written_at_import_serve_an_early_client(tmp_path: Path) -> None:
    source = """
        import os

        import boto3
        import pytest
        from moto import mock_aws

        os.environ["AWS_ACCESS_KEY_ID"] = "testing"
        os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"


        @pytest.fixture
        def s3():
            return boto3.client("s3", region_name="us-east-1")


        def test_early():
            client = boto3.client("s3", region_name="us-east-1")
            with mock_aws():
                client.list_buckets()


        @mock_aws
        def test_fixture(s3):
            s3.list_buckets()
        """
    assert findings(tmp_path, {"test_a.py": source}) == []


def test_an_import_time_client_is_followed_four_imports_deep_and_no_further(tmp_path: Path) -> None:
    files = {"pyproject.toml": "", "pkg/__init__.py": ""}
    for chain in ("a", "b"):  # a: the client four imports below the first module; b: five
        depth = 4 if chain == "a" else 5
        for i in range(depth):
            files[f"pkg/{chain}{i}.py"] = f"from pkg import {chain}{i + 1}  # noqa: F401\n"
        files[f"pkg/{chain}{depth}.py"] = 'import boto3\n\nS3 = boto3.client("s3", region_name="us-east-1")\n'
        test = f"from pkg import {chain}0\n\n\n@mock_aws\ndef test_it():\n    assert {chain}0\n"
        files[f"test_{chain}.py"] = "from moto import mock_aws\n\n" + test
    assert findings(tmp_path, files) == [
        (
            "pkg/a4.py",
            3,
            "SCP104",
            "boto3 client for 's3' built at import freezes its credentials; a test module imports it",
        )
    ]


ASYNC_CLIENT_FIXTURE = """
import aioboto3
import pytest
from moto import mock_aws


@pytest.fixture
def aio():
    return aioboto3.Session().client("s3", region_name="us-east-1")
"""


def test_scp105_a_fixtures_async_client_under_the_tests_decorator(tmp_path: Path) -> None:
    source = ASYNC_CLIENT_FIXTURE + "\n\n@mock_aws\ndef test_it(aio):\n    pass\n"
    assert findings(tmp_path, {"test_a.py": source}) == [
        ("test_a.py", 8, "SCP105", "async 's3' client under moto's in-process mock (@mock_aws, line 11)")
    ]


def test_scp105_an_unknown_run_is_not_a_finding(tmp_path: Path) -> None:
    source = ASYNC_CLIENT_FIXTURE + "\n\n@mock_aws\ndef test_it(aio, made_elsewhere):\n    pass\n"
    assert findings(tmp_path, {"test_a.py": source}) == []


ENDPOINT_FIXTURE = """
import boto3
import pytest
from moto import mock_aws


@pytest.fixture
def mocked():
    with mock_aws():
        yield


@pytest.fixture
def s3(mocked):
    return boto3.client("s3", region_name="us-east-1", endpoint_url="https://storage.example.test")
"""


def test_scp403_a_fixtures_endpoint_under_a_mock_it_is_set_up_under(tmp_path: Path) -> None:
    source = ENDPOINT_FIXTURE + "\n\ndef test_it(s3):\n    pass\n"
    assert findings(tmp_path, {"test_a.py": source}) == [
        (
            "test_a.py",
            14,
            "SCP403",
            "client for 's3' goes to storage.example.test, which moto's mock does not intercept",
        )
    ]


def test_scp403_a_fixtures_endpoint_in_unknown_runs_only(tmp_path: Path) -> None:
    source = ENDPOINT_FIXTURE + "\n\ndef test_it(s3, made_elsewhere):\n    pass\n"
    assert findings(tmp_path, {"test_a.py": source}) == []


def test_scp203_a_fixtures_start_of_a_module_mock_stopped_at_module_level(tmp_path: Path) -> None:
    source = """
        import pytest
        from moto import mock_aws

        mock = mock_aws()


        @pytest.fixture
        def mocked():
            mock.start()
            yield


        def test_it(mocked):
            pass


        mock.stop()
        """
    assert findings(tmp_path, {"test_a.py": source}) == []


def test_scp104_an_imported_function_that_never_reaches_the_import_time_client(tmp_path: Path) -> None:
    helper = """
        import boto3

        S3 = boto3.client("s3", region_name="us-east-1")
        PREFIX = "test-"


        def bucket_name(name):
            return PREFIX + suffix(name)


        def suffix(name):
            return name if len(name) > 3 else bucket_name(name * 2)


        def uses_the_client():
            return S3
        """
    test = """
        from moto import mock_aws

        from helpers.aws import {name}


        @mock_aws
        def test_it():
            assert {name}
        """
    files = {"pyproject.toml": "", "helpers/__init__.py": "", "helpers/aws.py": helper}
    files["test_a.py"] = test.format(name="bucket_name")  # reads PREFIX and suffix, never S3
    files["test_b.py"] = test.format(name="uses_the_client")
    message = "boto3 client for 's3' built at import freezes its credentials; a test module imports it"
    assert findings(tmp_path, files) == [("helpers/aws.py", 3, "SCP104", message)]


def test_scp102_in_a_fixture_that_no_mock_runs_around(tmp_path: Path) -> None:
    source = """
        import boto3
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def bucket():
            client = boto3.client("s3", region_name="us-east-1")
            with mock_aws():
                client.create_bucket(Bucket="b")
                yield "b"


        def test_it(bucket):
            pass
        """
    assert findings(tmp_path, {"test_a.py": source}) == [
        (
            "test_a.py",
            8,
            "SCP102",
            "'client' is made before the mock starts (`with` on line 9) and used under it on line 10",
        )
    ]


def test_scp402_a_file_whose_only_async_client_of_the_server_has_no_region(tmp_path: Path) -> None:
    conftest = """
        import pytest
        from moto.server import ThreadedMotoServer


        @pytest.fixture
        def endpoint():
            server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
            server.start()
            host, port = server.get_host_and_port()
            yield f"http://{host}:{port}"
            server.stop()
        """
    test = """
        from aiobotocore.session import get_session


        async def test_queue(endpoint):
            async with get_session().create_client("sqs", endpoint_url=endpoint) as sqs:
                await sqs.list_queues()
        """
    assert findings(tmp_path, {"conftest.py": conftest, "test_a.py": test}) == [
        (
            "test_a.py",
            5,
            "SCP402",
            "aiobotocore client for 'sqs' has no region and nothing sets AWS_DEFAULT_REGION for it",
        )
    ]


def test_scp402_a_deferred_client_in_a_file_that_sets_the_region_at_import(tmp_path: Path) -> None:
    source = """
        import functools
        import os

        import boto3
        from moto import mock_aws

        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        make_queue = functools.partial(boto3.client, "sqs")


        @mock_aws
        def test_it():
            make_queue().list_queues()
        """
    assert findings(tmp_path, {"test_a.py": source}) == []


def test_scp402_a_class_setup_hook_covers_its_class_only(tmp_path: Path) -> None:
    source = """
        import os

        import boto3
        from moto import mock_aws


        class TestA:
            def setup(self):
                os.environ["AWS_DEFAULT_REGION"] = "us-east-1"

            @mock_aws
            def test_a(self):
                boto3.client("sqs").list_queues()


        @mock_aws
        def test_b():
            boto3.client("sqs").list_queues()
        """
    assert findings(tmp_path, {"test_a.py": source}) == [
        ("test_a.py", 9, "SCP303", "setup() sets AWS_DEFAULT_REGION in os.environ, never restored: later tests see it"),
        ("test_a.py", 18, "SCP402", "boto3 client for 'sqs' has no region and nothing sets AWS_DEFAULT_REGION for it"),
    ]


def test_an_example_targets_moto_5_unless_it_says_otherwise() -> None:
    made = [Example({"test_a.py": ""}), Example.of(""), Example.suite({"test_a.py": ""})]
    assert [example.target_moto for example in made] == [5, 5, 5]
    # and with no settings, no expected fix, safe fixes only
    assert [(e.settings, e.fixed, e.unsafe) for e in made] == [({}, None, False)] * 3
    assert Example.of("", target_moto=4).target_moto == Example.suite({}, target_moto=4).target_moto == 4


def test_rules_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ALL_RULES[0].severity = ALL_RULES[0].severity  # type: ignore[misc]


def test_scp103_names_a_unittest_setup_that_starts_the_mock(tmp_path: Path) -> None:
    conftest = """
        import boto3
        import pytest


        @pytest.fixture(autouse=True)
        def s3():
            return boto3.client("s3", region_name="us-east-1")
        """
    test = """
        import unittest

        from moto import mock_aws


        class TestIt(unittest.TestCase):
            def setUp(self):
                self.mock = mock_aws()
                self.mock.start()

            def tearDown(self):
                self.mock.stop()

            def test_it(self):
                pass
        """
    assert findings(tmp_path, {"conftest.py": conftest, "test_a.py": test}) == [
        ("conftest.py", 7, "SCP103", "boto3 client made before the mock starts (setUp() of class TestIt, test_a.py:9)")
    ]


def test_scp101_on_moto_3_a_mock_decorator_applied_at_import_arms_moto_for_later_clients(tmp_path: Path) -> None:
    source = """
        import boto3
        from moto import mock_s3

        early = boto3.client("s3", region_name="us-east-1")


        @mock_s3
        def test_it():
            pass


        late = boto3.client("s3", region_name="us-east-1")
        """
    built = "boto3 client for 's3' built at import"
    assert findings(tmp_path, {"test_a.py": source}, moto_major=3) == [
        ("test_a.py", 2, "SCP401", "mock_s3: removed in moto 5, where mock_aws replaces it"),
        ("test_a.py", 4, "SCP101", f"{built}, before moto hooks into botocore: bypasses moto"),
        ("test_a.py", 12, "SCP101", f"{built} freezes its credentials"),
    ]


def test_an_absolute_import_is_not_looked_up_beside_a_test_module_inside_a_package(tmp_path: Path) -> None:
    test = (
        "from moto import mock_aws\n\nfrom {module} import S3\n\n\n@mock_aws\ndef test_it():\n    S3.list_buckets()\n"
    )
    files = {
        "pyproject.toml": "",
        "pkg/__init__.py": "",
        "pkg/aws.py": 'import boto3\n\nS3 = boto3.client("s3", region_name="us-east-1")\n',
        "pkg/test_beside.py": test.format(module="aws"),  # pytest imports it as pkg.test_beside: no top-level aws
    }
    assert findings(tmp_path, files) == []
    files["pkg/test_package.py"] = test.format(module="pkg.aws")
    message = "boto3 client for 's3' built at import freezes its credentials; a test module imports it"
    assert findings(tmp_path, files) == [("pkg/aws.py", 3, "SCP104", message)]


def test_scp101_a_conftest_that_imports_moto_after_its_own_client_arms_moto_for_the_tests(tmp_path: Path) -> None:
    conftest = 'import boto3\n\nEARLY = boto3.client("s3", region_name="us-east-1")\n\nimport moto  # noqa: E402,F401\n'
    test = (
        'import boto3\n\nS3 = boto3.client("s3", region_name="us-east-1")\n\nfrom moto import mock_aws  # noqa: E402\n'
    )
    files = {"conftest.py": conftest, "test_a.py": test + "\n\n@mock_aws\ndef test_it():\n    pass\n"}
    built = "boto3 client for 's3' built at import"
    assert findings(tmp_path, files) == [
        ("conftest.py", 3, "SCP101", f"{built}, before moto is imported: bypasses moto"),
        ("test_a.py", 3, "SCP101", f"{built} freezes its credentials"),
    ]


def test_scp402_a_class_named_like_its_base_is_walked_once(tmp_path: Path) -> None:
    source = """
        import boto3
        from moto import mock_aws
        from unittest import TestCase


        class TestCase(TestCase):
            pass


        class TestIt(TestCase):
            @mock_aws
            def test_it(self):
                boto3.client("sqs").list_queues()
        """
    message = "boto3 client for 'sqs' has no region and nothing sets AWS_DEFAULT_REGION for it"
    assert findings(tmp_path, {"test_a.py": source}) == [("test_a.py", 13, "SCP402", message)]


@pytest.mark.parametrize(
    ("hook", "in_class"),
    [
        ("setup_module", False),
        ("setup_function", False),
        ("setup_class", True),
        ("setup_method", True),
        ("setup", True),
        ("setUp", True),
        ("asyncSetUp", True),
        ("setUpClass", True),
        ("setUpModule", False),
    ],
)
def test_scp303_every_setup_hook_is_test_code(tmp_path: Path, hook: str, in_class: bool) -> None:
    body = f'def {hook}(self):\n    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"\n'
    if in_class:
        source = (
            "import os\n\nimport moto\n\n\nclass TestIt:\n"
            + textwrap.indent(body, "    ")
            + "\n    def test_it(self):\n        pass\n"
        )
    else:
        source = "import os\n\nimport moto\n\n\n" + body.replace("(self)", "()") + "\n\ndef test_it():\n    pass\n"
    line = 8 if in_class else 7
    message = f"{hook}() sets AWS_DEFAULT_REGION in os.environ, never restored: later tests see it"
    assert findings(tmp_path, {"test_a.py": source}) == [("test_a.py", line, "SCP303", message)]


LIBRARIES = ["boto3", "botocore", "moto", "pytest", "_pytest", "aiobotocore", "s3transfer", "json"]


@pytest.mark.parametrize("name", [*LIBRARIES, "mylib"])
def test_a_project_module_named_like_a_library_the_rules_are_about_is_not_followed(tmp_path: Path, name: str) -> None:
    test = f"from moto import mock_aws\n\nfrom {name} import S3\n\n\n@mock_aws\ndef test_it():\n    S3.list_buckets()\n"
    files = {
        "pyproject.toml": "",
        f"{name}.py": 'import boto3\n\nS3 = boto3.client("s3", region_name="us-east-1")\n',
        "test_a.py": test,
    }
    message = "boto3 client for 's3' built at import freezes its credentials; a test module imports it"
    expected = [] if name in LIBRARIES else [(f"{name}.py", 3, "SCP104", message)]
    assert findings(tmp_path, files) == expected


def test_scp104_from_a_package_import_a_module_binds_the_module_even_if_it_defines_that_name(tmp_path: Path) -> None:
    helper = 'import boto3\n\nS3 = boto3.client("s3", region_name="us-east-1")\n\n\ndef aws():\n    return "aws"\n'
    test = (
        "from moto import mock_aws\n\nfrom pkg import aws\n\n\n@mock_aws\ndef test_it():\n    aws.S3.list_buckets()\n"
    )
    files = {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/aws.py": helper, "test_a.py": test}
    message = "boto3 client for 's3' built at import freezes its credentials; a test module imports it"
    assert findings(tmp_path, files) == [("pkg/aws.py", 3, "SCP104", message)]


def test_scp103_a_fixture_that_fetches_a_fixture_by_name_before_its_client(tmp_path: Path) -> None:
    source = """
        import boto3
        import pytest
        from moto import mock_aws


        @pytest.fixture
        def s3(request):
            request.getfixturevalue("mocked")
            return boto3.client("s3", region_name="us-east-1")


        @pytest.fixture
        def mocked():
            with mock_aws():
                yield


        @mock_aws
        def test_it(s3):
            s3.list_buckets()
        """
    assert findings(tmp_path, {"test_a.py": source}) == []


@pytest.mark.parametrize("hook", ["setup_module", "setUpModule", "setup_function", "setup"])
def test_scp402_a_module_level_xunit_hook_that_sets_the_region_covers_the_file(tmp_path: Path, hook: str) -> None:
    source = f"""
        import os

        import boto3
        from moto import mock_aws


        def {hook}():
            os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")


        @mock_aws
        def test_it():
            boto3.client("sqs").list_queues()
        """
    assert findings(tmp_path, {"test_a.py": source}) == [
        ("test_a.py", 8, "SCP303", f"{hook}() {LEAKS}")
    ]  # and no SCP402


def test_scp403_a_host_that_only_ends_with_an_aws_domains_letters_is_not_aws(tmp_path: Path) -> None:
    source = """
        import boto3
        from moto import mock_aws


        @mock_aws
        def test_it():
            boto3.client("s3", region_name="us-east-1", endpoint_url="https://s3.us-east-1.api.aws")
            boto3.client("s3", region_name="us-east-1", endpoint_url="https://storage.notamazonaws.com")
        """
    message = "client for 's3' goes to storage.notamazonaws.com, which moto's mock does not intercept"
    assert findings(tmp_path, {"test_a.py": source}) == [("test_a.py", 8, "SCP403", message)]


def test_scp101_a_conftest_above_the_project_root_is_not_the_projects(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text("import moto  # noqa: F401\n", encoding="utf-8")
    test = (
        'import boto3\n\nS3 = boto3.client("s3", region_name="us-east-1")\n\nfrom moto import mock_aws  # noqa: E402\n'
    )
    files = {"pyproject.toml": "", "test_a.py": test + "\n\n@mock_aws\ndef test_it():\n    pass\n"}
    message = "boto3 client for 's3' built at import, before moto is imported: bypasses moto"
    assert findings(tmp_path / "proj", files) == [("test_a.py", 3, "SCP101", message)]


@pytest.mark.parametrize(
    "decorated", ["def test_it():\n    pass\n", "class TestIt:\n    def test_it(self):\n        pass\n"]
)
def test_scp101_on_moto_3_a_class_or_function_decorated_at_import_arms_moto(tmp_path: Path, decorated: str) -> None:
    source = (
        "import boto3\nfrom moto import mock_s3\n\n\n@mock_s3\n"
        + decorated
        + '\n\nlate = boto3.client("s3", region_name="us-east-1")\n'
    )
    line = source.splitlines().index('late = boto3.client("s3", region_name="us-east-1")') + 1
    assert findings(tmp_path, {"test_a.py": source}, moto_major=3) == [
        ("test_a.py", 2, "SCP401", "mock_s3: removed in moto 5, where mock_aws replaces it"),
        ("test_a.py", line, "SCP101", "boto3 client for 's3' built at import freezes its credentials"),
    ]


def test_scp403_every_aws_partition_domain_is_aws(tmp_path: Path) -> None:
    hosts = [
        "s3.us-east-1.amazonaws.com",
        "s3.cn-north-1.amazonaws.com.cn",
        "s3.eusc-de-east-1.amazonaws.eu",
        "s3.us-iso-east-1.c2s.ic.gov",
        "s3.us-isob-east-1.sc2s.sgov.gov",
        "s3.eu-isoe-west-1.cloud.adc-e.uk",
        "s3.us-isof-south-1.csp.hci.ic.gov",
        "s3.us-east-1.api.aws",
    ]
    calls = "".join(f'    boto3.client("s3", region_name="us-east-1", endpoint_url="https://{h}")\n' for h in hosts)
    source = "import boto3\nfrom moto import mock_aws\n\n\n@mock_aws\ndef test_it():\n" + calls
    assert findings(tmp_path, {"test_a.py": source}) == []


def test_scp000_a_syntax_error_whose_text_carries_its_fix(tmp_path: Path) -> None:
    write_tree(tmp_path, {"test_a.py": "import moto\n\nX = 012\n"})
    found = [(f.line, f.code, f.message, f.help) for f in lint_tree(tmp_path, select=["ALL"])]
    what = "cannot analyse this file: leading zeros in decimal integer literals are not permitted"
    assert found == [(3, "SCP000", what, "Use an 0o prefix for octal integers.")]


def test_scp301_a_per_service_mock_under_mock_aws_is_nested(tmp_path: Path) -> None:
    source = """
        import pytest
        from moto import mock_aws, mock_s3


        @pytest.fixture
        def mocked():
            with mock_aws():
                yield


        def test_it(mocked):
            with mock_s3():
                pass
        """
    assert findings(tmp_path, {"test_a.py": source}) == [
        ("test_a.py", 2, "SCP401", "mock_s3: moto<5 API, `ImportError` at collection on moto 5; use mock_aws"),
        ("test_a.py", 12, "SCP301", "`with mock_s3()` is redundant under fixture 'mocked' (test_a.py:7)"),
    ]


def test_scp303_at_import_only_redirecting_variables_are_reported(tmp_path: Path) -> None:
    names = ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE"]
    names += ["AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL_S3", "AWS_ACCESS_KEY_ID", "AWS_DEFAULT_REGION"]
    writes = "".join(f'os.environ["{name}"] = "x"\n' for name in names)
    source = "import os\n\nimport moto\n\n" + writes + "\n\ndef test_it():\n    pass\n"
    assert findings(tmp_path, {"test_a.py": source}) == [
        (
            "test_a.py",
            5,
            "SCP303",
            "test module sets AWS_PROFILE (+5) in os.environ at import: the whole session sees it",
        )
    ]  # six of the eight: fake credentials and a region at import are moto's documented set-up


def test_scp101_a_conftest_two_directories_up_arms_moto_for_the_tests_below(tmp_path: Path) -> None:
    test = (
        'import boto3\n\nS3 = boto3.client("s3", region_name="us-east-1")\n\nfrom moto import mock_aws  # noqa: E402\n'
    )
    files = {
        "pyproject.toml": "",
        "conftest.py": "import moto  # noqa: F401\n",
        "tests/unit/test_a.py": test + "\n\n@mock_aws\ndef test_it():\n    pass\n",
    }
    message = "boto3 client for 's3' built at import freezes its credentials"
    assert findings(tmp_path, files) == [("tests/unit/test_a.py", 3, "SCP101", message)]


@pytest.mark.parametrize("base", ["object", "TestCase", "unittest.TestCase", "IsolatedAsyncioTestCase"])
def test_scp402_a_class_on_a_known_base_is_not_covered_by_an_unseen_base(tmp_path: Path, base: str) -> None:
    source = f"""
        import unittest
        from unittest import IsolatedAsyncioTestCase, TestCase

        import boto3
        from moto import mock_aws


        class TestIt({base}):
            @mock_aws
            def test_it(self):
                boto3.client("sqs").list_queues()
        """
    message = "boto3 client for 'sqs' has no region and nothing sets AWS_DEFAULT_REGION for it"
    assert findings(tmp_path, {"test_a.py": source}) == [("test_a.py", 11, "SCP402", message)]


@pytest.mark.parametrize("hook", ["setup_class", "teardown_class", "setUpClass", "tearDownClass"])
def test_scp204_a_plain_class_hook_in_a_mocked_class(tmp_path: Path, hook: str) -> None:
    source = f"""
        import boto3
        from moto import mock_aws


        @mock_aws
        class TestIt:
            def {hook}(self):
                s3 = boto3.client("s3", region_name="us-east-1")
                s3.list_buckets()

            def test_it(self):
                pass
        """
    assert findings(tmp_path, {"test_a.py": source}) == [
        ("test_a.py", 7, "SCP204", f"{hook}() talks to AWS unmocked: @mock_aws on TestIt (line 5) skips it")
    ]


def test_scp101_a_pytest_plugins_module_of_the_conftest_arms_moto(tmp_path: Path) -> None:
    test = (
        'import boto3\n\nS3 = boto3.client("s3", region_name="us-east-1")\n\nfrom moto import mock_aws  # noqa: E402\n'
    )
    files = {
        "pyproject.toml": "",
        "conftest.py": 'pytest_plugins = ["helpers.plugin"]\n',
        "helpers/__init__.py": "",
        "helpers/plugin.py": "import moto  # noqa: F401\n",
        "test_a.py": test + "\n\n@mock_aws\ndef test_it():\n    pass\n",
    }
    message = "boto3 client for 's3' built at import freezes its credentials"
    assert findings(tmp_path, files) == [("test_a.py", 3, "SCP101", message)]


def test_scp402_a_deferred_client_in_a_file_with_a_region_fixture(tmp_path: Path) -> None:
    source = """
        import functools

        import boto3
        import pytest
        from moto import mock_aws

        make_queue = functools.partial(boto3.client, "sqs")


        @pytest.fixture
        def region(monkeypatch):
            monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


        @mock_aws
        def test_it(region):
            make_queue().list_queues()
        """
    assert findings(tmp_path, {"test_a.py": source}) == []


def test_scp101_moto_imported_four_imports_deep_arms_it_and_no_further(tmp_path: Path) -> None:
    files = {"pyproject.toml": "", "pkg/__init__.py": ""}
    client = (
        'import boto3\n\nfrom pkg import {chain}0  # noqa: F401\n\nS3 = boto3.client("s3", region_name="us-east-1")\n'
    )
    for chain, depth in (("a", 3), ("b", 4)):  # the test module imports {chain}0: moto is 4 or 5 imports away
        for i in range(depth):
            files[f"pkg/{chain}{i}.py"] = f"from pkg import {chain}{i + 1}  # noqa: F401\n"
        files[f"pkg/{chain}{depth}.py"] = "import moto  # noqa: F401\n"
        tail = "\nfrom moto import mock_aws  # noqa: E402\n\n\n@mock_aws\ndef test_it():\n    pass\n"
        files[f"test_{chain}.py"] = client.format(chain=chain) + tail
    built = "boto3 client for 's3' built at import"
    assert findings(tmp_path, files) == [
        ("test_a.py", 5, "SCP101", f"{built} freezes its credentials"),
        ("test_b.py", 5, "SCP101", f"{built}, before moto is imported: bypasses moto"),
    ]


def test_scp301_moto4_a_tests_own_mock_of_another_service_wipes_nothing(tmp_path: Path) -> None:
    # Measured on moto 4.2.14: `with mock_s3()` inside a `mock_sqs` fixture leaves the queue; a
    # `with mock_sqs()` there resets it (moto<5's start() resets its own services' backends).
    source = """
        import boto3
        import pytest
        from moto import mock_s3, mock_sqs


        @pytest.fixture
        def sqs():
            with mock_sqs():
                yield boto3.client("sqs", region_name="us-east-1")


        def test_other_service(sqs):
            with mock_s3():
                pass


        def test_same_service(sqs):
            with mock_sqs():
                pass
        """
    assert [f for f in findings(tmp_path, {"test_a.py": source}, moto_major=4) if f[2] == "SCP301"] == [
        ("test_a.py", 18, "SCP301", "`with mock_sqs()` under fixture 'sqs' (test_a.py:8) can wipe its data"),
    ]
