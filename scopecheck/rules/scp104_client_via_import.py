"""SCP104: a test module imports first-party code that creates a client at import time."""

from __future__ import annotations

import os
from collections.abc import Iterator

from scopecheck.facts.model import ClientCall, FileFacts, ImportRef
from scopecheck.findings import Severity
from scopecheck.model.imports import Creation, Effect, ImportResolver
from scopecheck.model.regions import GLOBAL_SERVICES
from scopecheck.rules.base import Context, Example, Hit, Rule
from scopecheck.rules.scp101_client_at_import import (
    BYPASSES,
    before_moto,
    frozen,
    import_time_hazard,
    is_importer,
    resolver_of,
    what,
)


def check(ctx: Context) -> Iterator[Hit]:
    resolver = resolver_of(ctx)
    # creation (path, line, column) -> every (importer, import statement) that reaches it, in path order
    reached: dict[tuple[str, int, int], list[tuple[FileFacts, ImportRef, Creation, Effect, str]]] = {}
    for facts in ctx.target_files():
        if not is_importer(ctx, facts) or not facts.imports:
            continue
        prefix = resolver.conftest_effect(facts.path)
        for ref in facts.imports:
            for creation in resolver.imported_creations(facts.path, ref):
                before = prefix | resolver.effect_before(facts.path, ref.loc.line) | creation.before
                hazard = import_time_hazard(creation.client, before, ctx.moto_major)
                if hazard is not None and (raises_at_import(creation.client) or reaches(resolver, ref, creation)):
                    key = (creation.path, creation.client.loc.line, creation.client.loc.column)
                    reached.setdefault(key, []).append((facts, ref, creation, before, hazard))
    anchors: set[tuple[str, int]] = set()
    for importers in reached.values():
        facts, ref, creation, before, hazard = importers[0]
        others = len({f.path for f, *_ in importers} - {facts.path})
        own = ctx.suite.files.get(creation.path)
        if creation.path in ctx.targets and own is not None:
            # The cause is linted too: report it there, once, as SCP101 does in a test module.
            if hazard == BYPASSES:
                first = f"{resolver.display(facts.path)}:{ref.loc.line}"
                more = f" (+{others} more)" if others else ""
                message = f"{what(creation.client)} built at import, {before_moto(before)}: bypasses moto ({first})"
                yield Hit(own, creation.client.loc, message + more)
            else:
                count = f"{others + 1} test modules import it" if others else "a test module imports it"
                yield Hit(
                    own,
                    creation.client.loc,
                    f"{what(creation.client)} built at import freezes its credentials; {count}",
                )
            continue
        if (facts.path, ref.loc.line) in anchors:
            continue  # another creation already reported at this import statement
        anchors.add((facts.path, ref.loc.line))
        where = f"{resolver.display(creation.path)}:{creation.client.loc.line}"
        via = f" (via {resolver.display(creation.chain[0])})" if creation.chain else ""
        more = f"; {others} other modules import it" if others > 1 else "; 1 other module imports it" if others else ""
        if hazard == BYPASSES:
            message = f"{where}{via} builds a {what(creation.client)} at import, {before_moto(before)}: bypasses moto"
        else:
            message = f"{where}{via} builds a {what(creation.client)} at import that {frozen(creation.client)}"
        yield Hit(facts, ref.loc, message + more)


def raises_at_import(client: ClientCall) -> bool:
    """A regional client with no region: NoRegionError while the module is imported, whatever
    the importer takes from it."""
    return (
        client.kind != "session"
        and not client.has_region
        and bool(client.service)
        and (client.service not in GLOBAL_SERVICES)
    )


def reaches(resolver: ImportResolver, ref: ImportRef, creation: Creation) -> bool:
    """Whether what *ref* binds in the importer can reach *creation*'s client: unknown is yes."""
    if creation.chain or not ref.names or "*" in ref.names or creation.client.target is None:
        return True
    path = os.path.abspath(creation.path)
    stem = os.path.basename(os.path.dirname(path)) if path.endswith("__init__.py") else os.path.basename(path)[:-3]
    if stem in ref.names:
        return True  # ``from pkg import mod``: the module object itself (or a name like it)
    facts = resolver.load(creation.path)
    if facts is None:
        return True
    target = creation.client.target
    reads = facts.global_reads
    for name in ref.names:
        if name == target or name not in reads:
            return True  # the client itself, or a name whose value is unknown
        seen = {name}
        todo = [name]
        while todo:  # through the module-level functions and classes it uses
            for read in reads[todo.pop()]:
                if read == target:
                    return True
                if read in reads and read not in seen:
                    seen.add(read)
                    todo.append(read)
    return False


RULE = Rule(
    code="SCP104",
    name="client-via-import",
    severity=Severity.ERROR,
    short="a test imports first-party code that creates a client at import time",
    summary=(
        "A test module or conftest.py imports, at module level, a first-party module that builds a "
        "client at import time, or a Session before moto has hooked into botocore (SCP101's "
        "semantics, one import away). Each creation is reported once: at its own line when that "
        "file is linted, else at the import statement of the first importer in path order, with "
        "how many other modules import it. An import that takes only names which cannot reach the "
        "client (functions and classes of the module that never read it, directly or through the "
        "module's other functions) is not reported, unless the client has no region and so fails "
        "with NoRegionError at import."
    ),
    why=(
        'It is SCP101 one import away, and the hardest to find (moto issue #1793: "the discovery '
        "of the culprit was the most difficult\"). The application module's client is built when "
        "pytest imports the test module, long before any mock starts, so it keeps the import-time "
        "credentials and, if moto had not hooked into botocore yet, never calls moto at all. A "
        "Session built after moto's hook resolves credentials lazily and is served by moto "
        "(a Session default argument in a test helper served 625 clients in a real suite)."
    ),
    instead=(
        "Build clients lazily in the application (a function or a cached factory called at use "
        "time), or import the module inside the test while the mock is active; import moto before "
        "a module that builds a Session at import."
    ),
    versions=(
        "All moto versions; when moto hooks in differs by version (moto 1.3.15 to 3.x only at the "
        "first mock call), see SCP101 and docs/moto-versions.md."
    ),
    check=check,
    bad=(
        Example.suite(
            {
                "app/__init__.py": "",
                "app/storage.py": """
                import boto3

                S3 = boto3.client("s3", region_name="us-east-1")  # expect: SCP104


                def list_names():
                    return [b["Name"] for b in S3.list_buckets()["Buckets"]]
                """,
                "tests/test_storage.py": """
                from moto import mock_aws

                from app.storage import list_names


                @mock_aws
                def test_no_buckets():
                    assert list_names() == []
                """,
            }
        ),
        Example.suite(
            {
                "app/__init__.py": "",
                "app/queues.py": """
                from boto3 import resource

                SQS = resource("sqs", region_name="us-east-1")  # expect: SCP104
                """,
                "app/service.py": """
                from app import queues


                def send(body):
                    return queues.SQS.get_queue_by_name(QueueName="q").send_message(MessageBody=body)
                """,
                "tests/conftest.py": """
                import pytest
                from moto import mock_aws

                import app.service


                @pytest.fixture
                def mocked():
                    with mock_aws():
                        yield
                """,
            }
        ),
        Example.suite(
            {
                "src/shop/__init__.py": """
                import boto3

                session = boto3.Session(region_name="eu-west-1")  # expect: SCP104
                """,
                "tests/test_shop.py": """
                import shop
                import moto


                @moto.mock_aws
                def test_shop():
                    assert shop.session.client("s3").list_buckets()["Buckets"] == []
                """,
            }
        ),
        Example.suite(
            {
                "tests/helpers.py": """
                import boto3

                S3 = boto3.client("s3", region_name="us-east-1")  # expect: SCP104
                """,
                "tests/test_a.py": "from moto import mock_aws\n\nfrom helpers import S3\n",
                "tests/test_b.py": "from moto import mock_aws\n\nimport helpers\n",
                "tests/test_c.py": "from moto import mock_aws\n\nfrom helpers import S3 as s3\n",
            }
        ),
        Example.suite(
            {
                "tests/helpers.py": """
                import boto3


                def make_queue(name, session=boto3.Session(region_name="us-east-1")):  # expect: SCP104
                    return session.client("sqs").create_queue(QueueName=name)
                """,
                "tests/test_a.py": "from moto import mock_aws\n\nfrom helpers import make_queue\n",
                "tests/test_b.py": "from helpers import make_queue\nfrom moto import mock_aws\n",
            }
        ),
        Example.suite(
            {
                "app/__init__.py": "",
                "app/deploy.py": """
                import boto3

                CFN = boto3.client("cloudformation")  # expect: SCP104


                def stack_name(prefix):
                    return f"{prefix}-stack"
                """,
                "tests/test_deploy.py": """
                import moto

                from app.deploy import stack_name


                def test_stack_name():
                    assert stack_name("a") == "a-stack"
                """,
            }
        ),
    ),
    good=(
        Example.suite(
            {
                "app/__init__.py": "",
                "app/storage.py": """
                import functools

                import boto3


                @functools.cache
                def s3():
                    return boto3.client("s3", region_name="us-east-1")
                """,
                "tests/test_storage.py": """
                from moto import mock_aws

                from app.storage import s3


                @mock_aws
                def test_no_buckets():
                    assert s3().list_buckets()["Buckets"] == []
                """,
            }
        ),
        Example.suite(
            {
                "app/__init__.py": "",
                "app/storage.py": """
                import boto3

                S3 = boto3.client("s3", region_name="us-east-1")
                """,
                "tests/test_storage.py": """
                from moto import mock_aws


                @mock_aws
                def test_import_inside_the_mock():
                    from app.storage import S3

                    assert S3.list_buckets()["Buckets"] == []
                """,
            }
        ),
        Example.suite(
            {
                "app/__init__.py": "",
                "app/storage.py": """
                import boto3

                S3 = boto3.client("s3", region_name="us-east-1")
                """,
                "tests/test_integration.py": """
                from app.storage import S3


                def test_real_endpoint():
                    assert S3.meta.region_name == "us-east-1"
                """,
            }
        ),
        Example.suite(
            {
                "tests/helpers.py": """
                import boto3

                REGION = boto3.Session().region_name or "us-east-1"


                def make_queue(name, session=boto3.Session(region_name=REGION)):
                    return session.client("sqs").create_queue(QueueName=name)
                """,
                "tests/conftest.py": "import moto\n",
                "tests/test_a.py": "from helpers import make_queue\n\n\ndef test_a():\n    make_queue('a')\n",
                "tests/test_b.py": "from moto import mock_aws\n\nfrom helpers import make_queue\n",
            }
        ),
        Example.suite(
            {
                "app/__init__.py": "",
                "app/handler.py": """
                import boto3

                S3 = boto3.client("s3", region_name="us-east-1")


                def rewrite(body):
                    return body.replace("a", "b")


                def update(s3, bucket, key):
                    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
                    s3.put_object(Bucket=bucket, Key=key, Body=rewrite(body))


                def handler(event, context):
                    update(S3, event["bucket"], event["key"])
                """,
                "tests/test_handler.py": """
                import boto3
                from moto import mock_aws

                from app.handler import rewrite, update


                @mock_aws
                def test_update():
                    s3 = boto3.client("s3", region_name="us-east-1")
                    s3.create_bucket(Bucket="b")
                    s3.put_object(Bucket="b", Key="k", Body="a")
                    update(s3, "b", "k")
                    assert rewrite("a") == "b"
                """,
            }
        ),
    ),
)
