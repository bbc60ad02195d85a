"""SCP303 (env-leak), SCP403 (endpoint-bypasses-mock), SCP404 (fixed-port-server): whole finding
sets with their messages, for the shapes the rule examples do not pin."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.helpers import lint_tree, write_tree


def _found(tmp_path: Path, files: dict[str, str], code: str) -> list[tuple[str, int, str]]:
    write_tree(tmp_path, {name: textwrap.dedent(src).lstrip("\n") for name, src in files.items()})
    findings = lint_tree(tmp_path, select=[code])
    return [(Path(f.path).name, f.line, f.message) for f in findings]


def test_env_leak_messages_name_the_place_and_count_the_variables(tmp_path: Path) -> None:
    files = {
        "test_env.py": """
        import os
        import unittest

        import pytest
        from moto import mock_aws

        os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
        del os.environ["AWS_CONFIG_FILE"]


        @pytest.fixture(scope="module")
        def creds():
            os.environ["AWS_ACCESS_KEY_ID"] = "a"
            os.environ["AWS_SESSION_TOKEN"] = "b"
            os.environ.pop("AWS_PROFILE", None)
            yield


        class TestX(unittest.TestCase):
            os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"

            def setUp(self):
                os.environ.clear()

            @mock_aws
            def test_in_mock(self):
                os.environ["AWS_ACCESS_KEY_ID"] = "restored-by-moto"
                os.environ["AWS_REGION"] = "eu-west-1"
        """
    }
    assert _found(tmp_path, files, "SCP303") == [
        ("test_env.py", 8, "test module deletes AWS_CONFIG_FILE from os.environ at import: the whole session sees it"),
        (
            "test_env.py",
            13,
            "fixture 'creds' sets AWS_ACCESS_KEY_ID (+2) in os.environ, never restored: later tests see it",
        ),
        (
            "test_env.py",
            20,
            "class TestX sets AWS_SHARED_CREDENTIALS_FILE in os.environ at import: the whole session sees it",
        ),
        ("test_env.py", 23, "setUp() clears os.environ, never restored: later tests see it"),
        ("test_env.py", 28, "this test sets AWS_REGION in os.environ, never restored: later tests see it"),
    ]


def test_env_leak_restores_that_count(tmp_path: Path) -> None:
    files = {
        "conftest.py": """
        import os

        import pytest

        os.environ["AWS_PROFILE"] = "ci"  # the suite's own environment


        @pytest.fixture(autouse=True)
        def region():
            os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
        """,
        "test_env.py": """
        import os

        import pytest
        from moto import mock_aws


        @pytest.fixture
        def finalized(request):
            os.environ["AWS_PROFILE"] = "x"
            request.addfinalizer(lambda: os.environ.pop("AWS_PROFILE"))


        @pytest.fixture
        def restored_later():
            saved = dict(os.environ)
            os.environ["AWS_PROFILE"] = "x"
            yield
            os.environ.clear()
            os.environ.update(saved)


        def test_set_then_deleted():
            os.environ["AWS_ENDPOINT_URL_S3"] = "http://localhost:4566"
            assert True
            del os.environ["AWS_ENDPOINT_URL_S3"]


        def test_other_variables_only():
            os.environ["AWS_CSM_ENABLED"] = "true"
            os.environ["HOME"] = "/tmp"
            os.putenv("AWS_PROFILE", "x")


        @mock_aws
        def test_uses_them(finalized, restored_later):
            pass
        """,
    }
    assert _found(tmp_path, files, "SCP303") == []


def test_endpoint_messages_and_what_moto_serves(tmp_path: Path) -> None:
    files = {
        "test_endpoints.py": """
        import boto3
        from moto import mock_aws

        HOST = "http://minio:9000"


        @mock_aws
        def test_endpoints(port):
            boto3.client("s3", endpoint_url=HOST)
            boto3.resource("dynamodb", "us-east-1", endpoint_url="http://localhost:8000/")
            boto3.client("s3", endpoint_url=f"http://{port}.example")
            boto3.client("s3", endpoint_url="https://bucket.s3.us-gov-west-1.amazonaws.com")
            boto3.client("s3", endpoint_url="localhost:4566")


        def test_no_mock():
            boto3.client("s3", endpoint_url="http://localhost:4566")
        """
    }
    assert _found(tmp_path, files, "SCP403") == [
        ("test_endpoints.py", 9, "client for 's3' goes to minio:9000, which moto's mock does not intercept"),
        (
            "test_endpoints.py",
            10,
            "resource for 'dynamodb' goes to localhost:8000, which moto's mock does not intercept",
        ),
    ]


def test_endpoint_listed_in_pytest_env_or_set_at_import_is_served(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\nenv =\n    MOTO_S3_CUSTOM_ENDPOINTS=http://ceph:7480,http://minio:9000\n",
        "conftest.py": 'import os\nos.environ["MOTO_S3_CUSTOM_ENDPOINTS"] = "http://other:1"\n',
        "test_s3.py": """
        import boto3
        from moto import mock_aws


        @mock_aws
        def test_listed():
            boto3.client("s3", endpoint_url="http://minio:9000")
            boto3.client("s3", endpoint_url="http://other:1/")
            boto3.client("s3", endpoint_url="http://unlisted:1")
        """,
    }
    assert _found(tmp_path, files, "SCP403") == [
        ("test_s3.py", 9, "client for 's3' goes to unlisted:1, which moto's mock does not intercept")
    ]


def test_server_ports_and_stops(tmp_path: Path) -> None:
    files = {
        "test_servers.py": """
        import pytest
        from moto.server import ThreadedMotoServer

        PORT = "5123"


        @pytest.fixture(scope="module")
        def never_stopped():
            server = ThreadedMotoServer(port=PORT)
            server.start()
            yield server.get_host_and_port()


        @pytest.fixture
        def chained():
            ThreadedMotoServer("127.0.0.1", 0).start()


        @pytest.fixture
        def handed_on():
            return ThreadedMotoServer(port=0)


        def make(port):
            return ThreadedMotoServer(port=port)
        """
    }
    assert _found(tmp_path, files, "SCP404") == [
        ("test_servers.py", 9, "ThreadedMotoServer on fixed port 5123: start() hangs while the port is taken"),
        ("test_servers.py", 16, "ThreadedMotoServer is started and never stopped: its thread and socket leak"),
    ]


def test_free_port_fix_is_unsafe_and_rewrites_only_fixed_ports(tmp_path: Path) -> None:
    from scopecheck.fixes import FixContext
    from scopecheck.fixes.scp404_free_port import FreePort

    source = textwrap.dedent(
        """
        import pytest
        from moto.server import ThreadedMotoServer


        @pytest.fixture
        def servers():
            a = ThreadedMotoServer()
            a.start()
            b = ThreadedMotoServer("127.0.0.1", 5001, verbose=False)
            b.start()
            c = ThreadedMotoServer(ip_address="127.0.0.1", port=5002)  # a comment stays
            c.start()
            d = ThreadedMotoServer(port=0)
            d.start()
            yield
            a.stop()
            b.stop()
            c.stop()
        """
    ).lstrip("\n")
    write_tree(tmp_path, {"test_servers.py": source})
    findings = lint_tree(tmp_path, select=["SCP404"])
    assert [(f.line, f.fix) for f in findings] == [
        (7, "ask for a free port: `port=0`"),
        (9, "ask for a free port: `port=0`"),
        (11, "ask for a free port: `port=0`"),
        (13, None),
    ]
    safe = FreePort().fix(source.encode(), findings, FixContext(moto_major=5, allow_unsafe=False))
    assert safe.data == source.encode()
    assert [v.reason for v in safe.verdicts] == ["unsafe fix; use --unsafe-fixes"] * 3 + [
        "the port is free already; add the stop() by hand"
    ]
    fixed = FreePort().fix(source.encode(), findings, FixContext(moto_major=5, allow_unsafe=True))
    assert fixed.data.decode() == source.replace("ThreadedMotoServer()", "ThreadedMotoServer(port=0)").replace(
        '"127.0.0.1", 5001,', '"127.0.0.1", 0,'
    ).replace("port=5002", "port=0")
    assert [v.applied for v in fixed.verdicts] == [True, True, True, False]


def test_env_leak_trusts_a_call_named_like_a_restore(tmp_path: Path) -> None:
    files = {
        "test_env.py": """
        import os
        import unittest

        import pytest
        from moto import mock_aws


        @pytest.fixture
        def endpoint():
            os.environ["AWS_ENDPOINT_URL"] = "http://localhost:4566"
            yield
            _restore_env()


        class TestX(unittest.TestCase):
            def setUp(self):
                os.environ["AWS_PROFILE"] = "x"

            def tearDown(self):
                self.reset_environment()


        @mock_aws
        def test_getenv_is_not_a_restore(endpoint):
            os.environ["AWS_REGION"] = "eu-west-1"
            assert os.getenv("AWS_REGION")
        """
    }
    assert _found(tmp_path, files, "SCP303") == [
        ("test_env.py", 25, "this test sets AWS_REGION in os.environ, never restored: later tests see it")
    ]


def test_loopback_endpoints_are_left_alone_in_server_mode(tmp_path: Path) -> None:
    files = {
        "conftest.py": 'import os\nos.environ["TEST_SERVER_MODE"] = "true"\n',
        "test_s3.py": """
        import boto3
        from moto import mock_aws


        @mock_aws
        def test_server_mode():
            boto3.client("s3", endpoint_url="http://localhost:5000").list_buckets()
            boto3.client("s3", endpoint_url="http://minio:9000").list_buckets()
        """,
    }
    assert _found(tmp_path, files, "SCP403") == [
        ("test_s3.py", 8, "client for 's3' goes to minio:9000, which moto's mock does not intercept")
    ]
