"""SCP403: a client sent to a non-AWS endpoint_url while moto's in-process mock is active for it."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from scopecheck.facts.model import ClientCall, FileFacts, FunctionFacts
from scopecheck.findings import Severity
from scopecheck.pytest_env import Unreadable, configured_env
from scopecheck.rules.base import Context, Example, Hit, Rule

# The domains moto's in-process mock serves: AWS's, and its alternative partitions' suffixes
# (moto 5.2.5 core/utils.py ALT_DOMAIN_SUFFIXES: China, the ISO partitions, the EU sovereign cloud).
AWS_DOMAINS = (
    "amazonaws.com",
    "amazonaws.com.cn",
    "amazonaws.eu",
    "c2s.ic.gov",
    "sc2s.sgov.gov",
    "cloud.adc-e.uk",
    "csp.hci.ic.gov",
    "api.aws",
)
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", "ip6-localhost"})
CUSTOM_ENDPOINTS = "MOTO_S3_CUSTOM_ENDPOINTS"


def _normal(url: str) -> str:
    return url.strip().rstrip("/").lower()


class _Endpoints:
    """What the suite tells moto about endpoints: MOTO_S3_CUSTOM_ENDPOINTS, server mode."""

    def __init__(self, ctx: Context) -> None:
        try:
            env = configured_env(ctx.suite.root)
        except Unreadable:
            env = {CUSTOM_ENDPOINTS: "", "TEST_SERVER_MODE": "unknown"}
        values: list[str | None] = []
        if CUSTOM_ENDPOINTS in env:
            values.append(env[CUSTOM_ENDPOINTS] or None)
        self.server_mode = "TEST_SERVER_MODE" in env
        for facts in ctx.suite.files.values():
            if facts.env is not None:
                values += [s.value for s in facts.env.settings if s.name == CUSTOM_ENDPOINTS]
            if facts.server is not None and facts.server.mentions_server:
                self.server_mode = True
        self.unknown_custom = any(v is None for v in values)
        self.custom = {_normal(part) for v in values if v for part in v.split(",") if part.strip()}

    def bypasses(self, url: str) -> str | None:
        """The host:port moto does not serve, or None (served, or unknown)."""
        if "://" not in url:
            return None  # botocore rejects it before any request: not this rule's concern
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            netloc = parts.netloc
        except ValueError:
            return None
        if not host or "{}" in host or "{}" in netloc.split("@")[-1].split(":")[0]:
            return None
        if any(host == d or host.endswith("." + d) for d in AWS_DOMAINS):
            return None
        if self.unknown_custom or _normal(url) in self.custom:
            return None
        if host in LOOPBACK and self.server_mode:
            return None  # a moto server of the suite's own may listen there
        return netloc


def _mock_active(ctx: Context, facts: FileFacts, fn: FunctionFacts | None, client: ClientCall) -> bool:
    """Whether moto's in-process mock is certainly active where the client is built."""
    if client.mocked_locally:
        return True
    if fn is None:
        return False
    if fn.is_test:
        return any(run.fn is fn and run.active_at_call and not run.unknown for run in ctx.suite.tests())
    if fn.fixture is not None:
        for run in ctx.suite.tests():
            for fdef in run.setup_order:
                if fdef.fn is fn and run.active_at_setup.get(id(fdef)) and not run.unknown:
                    return True
    return False


def check(ctx: Context) -> Iterator[Hit]:
    endpoints: _Endpoints | None = None
    for facts in ctx.target_files():
        if facts.server is None or not facts.server.endpoints:
            continue
        urls = {(e.loc.line, e.loc.column): e.url for e in facts.server.endpoints}
        owner = {id(c): fn for fn in facts.functions for c in fn.clients}
        for client in facts.all_clients:
            url = urls.get((client.loc.line, client.loc.column)) if client.has_endpoint else None
            if url is None or client.kind == "session":
                continue
            if endpoints is None:
                endpoints = _Endpoints(ctx)
            netloc = endpoints.bypasses(url)
            if netloc is None or not _mock_active(ctx, facts, owner.get(id(client)), client):
                continue
            service = f" for '{client.service}'" if client.service else ""
            yield Hit(
                facts, client.loc, f"{client.kind}{service} goes to {netloc}, which moto's mock does not intercept"
            )


RULE = Rule(
    code="SCP403",
    name="endpoint-bypasses-mock",
    severity=Severity.ERROR,
    short="a client sent to a non-AWS `endpoint_url` while moto's mock is active",
    summary=(
        "A boto3 client or resource is built with `endpoint_url=` pointing at a host that is not an "
        "AWS domain (LocalStack's `http://localhost:4566`, a MinIO server, any literal URL) where "
        "moto's in-process mock is active for it: inside `with mock_aws():` or after `.start()`, "
        "in a mock-decorated test, in a test that runs under a mock fixture, or in a fixture set up "
        "under one. Not reported: the endpoint of a moto server the suite runs (ThreadedMotoServer, "
        "`moto_server`, `TEST_SERVER_MODE`: loopback endpoints are then left alone), endpoints built "
        "at run time (`get_host_and_port()`), clients with no mock active (integration suites that "
        "talk to LocalStack on purpose), S3-compatible endpoints listed in "
        "`MOTO_S3_CUSTOM_ENDPOINTS` (pytest-env, tox, a workflow, `os.environ`, `monkeypatch`, "
        "`mock.patch.dict`), and the domains of AWS's other partitions (`amazonaws.com.cn`, "
        "`c2s.ic.gov`, `sc2s.sgov.gov`, `cloud.adc-e.uk`, `csp.hci.ic.gov`, `amazonaws.eu`)."
    ),
    why=(
        "moto's mock intercepts only requests whose URL matches an AWS service's URL pattern "
        "(`botocore_stubber.py`); any other endpoint goes straight to that host. Measured with "
        "moto 5.2.5 under `@mock_aws`, in both CI environments: `http://localhost:4566` gives "
        '`EndpointConnectionError: Could not connect to the endpoint URL: "http://localhost:4566/"`, '
        "and `https://minio.internal.example:9000` tried to reach that host (blocked by the proof's "
        "network guard): the test is not mocked, and on a machine where the host answers it talks to "
        "a real service. With `MOTO_S3_CUSTOM_ENDPOINTS` naming the endpoint (set by monkeypatch "
        "in a fixture), an S3 client of the same URL is served by moto, and so are endpoints of "
        "`amazonaws.com.cn` and `c2s.ic.gov`, and a ThreadedMotoServer's `http://127.0.0.1:<port>` "
        "under an active mock."
    ),
    instead=(
        "Drop `endpoint_url` in mocked tests (moto serves the AWS endpoint), or list the S3-compatible "
        "endpoint in `MOTO_S3_CUSTOM_ENDPOINTS`; to test against LocalStack or MinIO on purpose, "
        "run those tests without moto's mock."
    ),
    versions=(
        "All moto versions: the mock has always matched AWS URL patterns only. "
        "`MOTO_S3_CUSTOM_ENDPOINTS` exists from moto 4.1; on older versions a listed endpoint is "
        "not served either, and is still not reported (unknown is not an error)."
    ),
    check=check,
    help="Drop `endpoint_url` under moto, or list the endpoint in `MOTO_S3_CUSTOM_ENDPOINTS`.",
    see_also=("SCP303",),
    bad=(
        Example.of(
            """
            import boto3
            from moto import mock_aws


            @mock_aws
            def test_bucket():
                s3 = boto3.client("s3", endpoint_url="http://localhost:4566")  # expect: SCP403
                s3.create_bucket(Bucket="bkt")
            """
        ),
        Example.of(
            """
            import boto3 as aws
            import pytest
            from moto import mock_aws

            MINIO = "https://minio.internal.example:9000"


            @pytest.fixture
            def s3():
                with mock_aws():
                    yield aws.resource("s3", endpoint_url=MINIO)  # expect: SCP403


            def test_bucket(s3):
                s3.create_bucket(Bucket="bkt")
            """
        ),
        Example.suite(
            {
                "conftest.py": """
                import pytest
                from moto import mock_aws


                @pytest.fixture(autouse=True)
                def mocked():
                    with mock_aws():
                        yield
                """,
                "test_queue.py": """
                import boto3

                PORT = 4566


                def test_queue():
                    session = boto3.Session(region_name="us-east-1")
                    sqs = session.client("sqs", endpoint_url=f"http://localhost:{PORT}")  # expect: SCP403
                    sqs.create_queue(QueueName="q")


                def test_stack():
                    cfn = boto3.client("cloudformation", "us-east-1", endpoint_url="http://10.0.0.5")  # expect: SCP403
                    assert cfn
                """,
            }
        ),
    ),
    good=(
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws
            from moto.server import ThreadedMotoServer


            @pytest.fixture
            def server():
                server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
                server.start()
                yield server
                server.stop()


            @mock_aws
            def test_server_endpoint(server):
                host, port = server.get_host_and_port()
                boto3.client("s3", endpoint_url=f"http://{host}:{port}").list_buckets()
                boto3.client("s3", endpoint_url="http://127.0.0.1:5000").list_buckets()
            """
        ),
        Example.of(
            """
            import boto3
            import pytest
            from moto import mock_aws

            MINIO = "https://minio.internal.example:9000"


            @pytest.fixture
            def minio(monkeypatch):
                monkeypatch.setenv("MOTO_S3_CUSTOM_ENDPOINTS", MINIO)


            @mock_aws
            def test_minio_is_served(minio):
                boto3.client("s3", endpoint_url=MINIO).create_bucket(Bucket="bkt")


            @mock_aws
            def test_other_partitions():
                boto3.client("s3", "cn-north-1", endpoint_url="https://s3.cn-north-1.amazonaws.com.cn")
                boto3.client("sqs", "us-iso-east-1", endpoint_url="https://sqs.us-iso-east-1.c2s.ic.gov")
                boto3.client("s3", endpoint_url="https://s3.us-west-2.amazonaws.com")
            """
        ),
        Example.suite(
            {
                "pyproject.toml": """
                [tool.pytest.ini_options]
                env = ["MOTO_S3_CUSTOM_ENDPOINTS=http://ceph.local:7480"]
                """,
                "test_integration.py": """
                import boto3
                from moto import mock_aws


                def test_against_localstack():
                    boto3.client("sqs", "us-east-1", endpoint_url="http://localhost:4566").list_queues()


                @mock_aws
                def test_ceph_is_listed():
                    boto3.client("s3", endpoint_url="http://ceph.local:7480").list_buckets()


                @mock_aws
                def test_endpoint_comes_from_config(settings):
                    boto3.client("s3", endpoint_url=settings.endpoint).list_buckets()
                """,
            }
        ),
    ),
)
