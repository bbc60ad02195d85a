"""SCP303: AWS_* variables written to os.environ by test code that never puts them back."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.facts.env_writes import CLEAR, EnvWrite
from scopecheck.facts.model import FileFacts, FunctionFacts
from scopecheck.findings import MESSAGE_LIMIT, Severity
from scopecheck.rules.base import Context, Example, Hit, Rule

SETUP_HOOKS = frozenset(
    {
        "setup_method",
        "setup_function",
        "setup_class",
        "setup_module",
        "setup",
        "setUp",
        "asyncSetUp",
        "setUpClass",
        "setUpModule",
    }
)


# At import time only the variables that redirect every client of the session are reported
# (measured: ProfileNotFound, EndpointConnectionError in later mocked tests), and deletions: fake
# credentials and a region written at import are moto's documented set-up, the same for every test.
REDIRECTING = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
)


def _redirects(name: str) -> bool:
    return name == CLEAR or name in REDIRECTING or name.startswith("AWS_ENDPOINT_URL_")


def _what(first: EnvWrite, names: list[str]) -> str:
    name = first.names[0]
    more = f" (+{len(names) - 1})" if len(names) > 1 else ""
    if name == CLEAR:
        return "clears os.environ"
    return f"{'deletes' if first.deletes else 'sets'} {name}{more} {'from' if first.deletes else 'in'} os.environ"


def _fit(text: str, tail: str) -> str:
    return text + tail if len(text + tail) < MESSAGE_LIMIT else text


def _owner_text(fn: FunctionFacts) -> str | None:
    """How a message names the function, or None when it is not test code pytest runs."""
    if fn.fixture is not None:
        return f"fixture '{fn.fixture.name}'"
    if fn.is_test:
        return "this test"
    if fn.name in SETUP_HOOKS:
        return f"{fn.name}()"
    return None  # a helper: who calls it, and under what, is unknown


def _session_setup(facts: FileFacts, fn: FunctionFacts) -> bool:
    """An autouse fixture of a conftest.py: the suite's own environment, set for every test of its
    directory before the test runs (as a conftest's import-time code is), so no test there sees
    another's leftovers."""
    info = fn.fixture
    return facts.is_conftest and info is not None and info.autouse


def _hit(facts: FileFacts, writes: list[EnvWrite]) -> Hit | None:
    """One finding for the writes of one place (a function, a class body, the module)."""
    where, owner = writes[0].where, writes[0].owner
    if where != "function":
        if not facts.is_test_module:
            return None  # a conftest's import-time environment is the suite's own set-up
        writes = [w for w in writes if w.deletes or any(_redirects(n) for n in w.names)]
        if not writes:
            return None
    names = list(dict.fromkeys(n for w in writes for n in w.names))
    first = writes[0]
    what = _what(first, names)
    if where == "module":
        return Hit(facts, first.loc, _fit(f"test module {what} at import", ": the whole session sees it"))
    if where == "class":
        return Hit(facts, first.loc, _fit(f"class {owner} {what} at import", ": the whole session sees it"))
    fn = next((f for f in facts.functions if f.qualname == owner), None)
    if fn is None or _session_setup(facts, fn):
        return None
    text = _owner_text(fn)
    if text is None:
        return None
    return Hit(facts, first.loc, _fit(f"{text} {what}, never restored", ": later tests see it"))


def check(ctx: Context) -> Iterator[Hit]:
    for facts in ctx.target_files():
        if facts.env is None or not facts.env.writes or not ctx.suite.uses_moto(facts):
            continue
        places: dict[tuple[str, str | None], list[EnvWrite]] = {}
        for write in facts.env.writes:
            places.setdefault((write.where, write.owner), []).append(write)
        for writes in places.values():
            hit = _hit(facts, writes)
            if hit is not None:
                yield hit


RULE = Rule(
    code="SCP303",
    name="env-leak",
    severity=Severity.WARNING,
    short="AWS_* variables written to `os.environ` by test code that never restores them",
    summary=(
        "A fixture, a test or a setup hook (`setUp`, `setup_method`, ...) writes or deletes AWS "
        "variables in `os.environ` (credentials, `AWS_DEFAULT_REGION`/`AWS_REGION`, "
        "`AWS_PROFILE`, `AWS_ENDPOINT_URL*`, `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`: item "
        "assignment, `del`, `pop`, `setdefault`, `update`, `clear`) and never puts them back; or a "
        "test module or a test class body, at import time, deletes one or sets one that redirects "
        "every client of the session (`AWS_PROFILE`, `AWS_ENDPOINT_URL*`, the config/credentials "
        "file paths). Not reported: fake credentials and a region written at import time (moto's "
        "documented set-up, the same for every test), `monkeypatch`, "
        "writes inside `mock.patch.dict(os.environ)` (block or decorator), code that restores the "
        "variable after `yield`, in a `finally:`, in a finalizer (`addfinalizer`, `addCleanup`) or "
        "in the matching teardown, credentials written while the function's own moto mock is "
        "active (moto's `stop()` restores those two), a conftest.py's import-time code and its "
        "autouse fixtures (the suite's own environment, set before any test runs: "
        "moto's documentation recommends fake credentials), and plain helpers (who calls them is "
        "unknown)."
    ),
    why=(
        "`os.environ` is process-wide: what one test writes, every later test of the session "
        "reads, and botocore reads these variables each time a client or Session is built. "
        "Measured with moto 5.2.5: a fixture that sets `AWS_PROFILE=dev` and never restores it "
        "makes every later `@mock_aws` test fail with `ProfileNotFound: The config profile (dev) "
        "could not be found`, mocked or not, in both CI environments; a leaked "
        "`AWS_ENDPOINT_URL=http://localhost:4566` sends every later client there "
        "(`EndpointConnectionError`); moto's own docs-style `aws_credentials` fixture makes a later "
        "test that forgot it pass only because another test ran first (ground truth 13b). The "
        "results depend on test order and on which files are selected: `pytest -k`, `pytest "
        "tests/test_x.py` and pytest-xdist see different environments. Import-time writes in a test "
        "module or class body are there for the whole session, for every other module too, and "
        "override the values CI exported. `os.putenv` is a different case (measured): it does not "
        "change `os.environ`, so boto3 in the same process never sees the value, only child "
        "processes do; it is not reported."
    ),
    instead=(
        "Use `monkeypatch.setenv(...)` / `monkeypatch.delenv(..., raising=False)` in the fixture "
        "or test (pytest restores them after the test), or `with mock.patch.dict(os.environ, "
        "{...}):` around the code; in a `unittest.TestCase`, `mock.patch.dict` in `setUp` with "
        "`self.addCleanup(patcher.stop)`. Variables the whole suite needs belong in conftest.py "
        "(an autouse fixture) or in pytest-env's `env` settings."
    ),
    versions=(
        "All moto versions: the leak is the process's environment, not moto. The exemption for "
        "credentials written while the function's own mock is active was read from moto 5.2.5's "
        "`core/models.py` (stop() puts back AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)."
    ),
    check=check,
    help="Use `monkeypatch.setenv`/`monkeypatch.delenv` (restored after the test), or `mock.patch.dict(os.environ)`.",
    fix_safety=None,
    see_also=("SCP402",),
    bad=(
        Example.of(
            """
            import os

            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def aws_credentials():
                os.environ["AWS_ACCESS_KEY_ID"] = "testing"  # expect: SCP303
                os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
                os.environ["AWS_DEFAULT_REGION"] = "us-east-1"


            @mock_aws
            def test_queue(aws_credentials):
                boto3.client("sqs").create_queue(QueueName="q")
            """
        ),
        Example.of(
            """
            from os import environ as env

            import boto3
            from moto import mock_aws


            def test_missing_credentials_are_reported():
                env.pop("AWS_ACCESS_KEY_ID", None)  # expect: SCP303
                del env["AWS_SECRET_ACCESS_KEY"]


            @mock_aws
            def test_bucket():
                boto3.client("s3").create_bucket(Bucket="b")
            """
        ),
        Example.of(
            """
            import os
            import unittest

            import boto3
            from moto import mock_aws

            os.environ["AWS_ACCESS_KEY_ID"] = "testing"  # fake credentials at import: moto's documented set-up
            os.environ.pop("AWS_PROFILE", None)  # expect: SCP303


            class TestQueues(unittest.TestCase):
                os.environ["AWS_ENDPOINT_URL"] = "http://localhost:4566"  # expect: SCP303

                def setUp(self):
                    os.environ.update({"AWS_DEFAULT_REGION": "eu-west-1"})  # expect: SCP303

                @mock_aws
                def test_queue(self):
                    boto3.client("sqs").create_queue(QueueName="q")
            """
        ),
        Example.suite(
            {
                "conftest.py": """
                import os

                import pytest


                @pytest.fixture(scope="session")
                def localstack_env():
                    os.environ["AWS_ENDPOINT_URL_S3"] = "http://localhost:4566"  # expect: SCP303
                    yield
                """,
                "test_buckets.py": """
                import boto3
                from moto import mock_aws


                @mock_aws
                def test_bucket(localstack_env):
                    boto3.client("s3").list_buckets()
                """,
            }
        ),
    ),
    good=(
        Example.of(
            """
            import os
            from unittest import mock

            import boto3
            import pytest
            from moto import mock_aws


            @pytest.fixture
            def aws_credentials(monkeypatch):
                monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
                monkeypatch.delenv("AWS_PROFILE", raising=False)


            @pytest.fixture
            def region():
                with mock.patch.dict(os.environ, {"AWS_DEFAULT_REGION": "us-east-1"}):
                    os.environ["AWS_REGION"] = "us-east-1"
                    yield


            @mock.patch.dict(os.environ, {"AWS_DEFAULT_REGION": "us-east-1"})
            def test_patched():
                os.environ["AWS_PROFILE"] = "x"


            @mock_aws
            def test_queue(aws_credentials, region):
                boto3.client("sqs").create_queue(QueueName="q")
            """
        ),
        Example.suite(
            {
                "conftest.py": """
                import os

                import pytest

                # The suite's own fake credentials, set once before any test runs.
                os.environ["AWS_ACCESS_KEY_ID"] = "testing"
                os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"


                @pytest.fixture(scope="session", autouse=True)
                def aws_region():
                    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
                """,
                "test_queue.py": """
                import boto3
                from moto import mock_aws


                @mock_aws
                def test_queue():
                    boto3.client("sqs").create_queue(QueueName="q")
                """,
            }
        ),
        Example.of(
            """
            import os
            import unittest

            import boto3
            import pytest
            from moto import mock_aws

            os.environ["AWS_ACCESS_KEY_ID"] = "testing"
            os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")


            @pytest.fixture
            def no_profile():
                saved = os.environ.pop("AWS_PROFILE", None)
                try:
                    yield
                finally:
                    if saved is not None:
                        os.environ["AWS_PROFILE"] = saved


            @pytest.fixture
            def endpoint():
                os.environ["AWS_ENDPOINT_URL"] = "http://localhost:4566"
                yield
                del os.environ["AWS_ENDPOINT_URL"]


            class TestRegion(unittest.TestCase):
                def setUp(self):
                    self.saved = dict(os.environ)
                    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"

                def tearDown(self):
                    os.environ.clear()
                    os.environ.update(self.saved)

                @mock_aws
                def test_queue(self):
                    os.environ["AWS_ACCESS_KEY_ID"] = "inside-the-mock"  # moto's stop() puts it back
                    boto3.client("sqs").create_queue(QueueName="q")


            def _helper():
                os.environ["AWS_DEFAULT_REGION"] = "eu-west-1"  # who calls it is unknown


            def test_putenv_does_not_touch_os_environ(no_profile, endpoint):
                os.putenv("AWS_DEFAULT_REGION", "eu-west-1")
                assert "AWS_X" not in "os.environ['AWS_X'] = 1"
            """
        ),
    ),
)
