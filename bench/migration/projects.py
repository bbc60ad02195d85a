"""The real moto-4 suites the migration round trip runs (pinned), and why a test may differ.

Each project is a release whose tests are public: its PyPI sdist, or the release's git tag.
``install`` is what its test environment needs besides moto (the project itself from its wheel,
test plugins); ``moto4`` is the moto its own pins allowed at that release; every environment also
gets pytest-socket, so the tests run behind the loopback-only guard ``--allow-hosts=127.0.0.1,::1``.

``explained`` maps a test id (``path::Class::name``, ``*`` allowed) that passes on moto 4 and fails
after the migration to the reason: a moto 5 behaviour change (with its changelog line or issue) or
the project's own code. A difference not listed here fails the round trip.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MOTO5 = "5.2.5"


@dataclass(frozen=True)
class Project:
    name: str
    # where the tests come from: "pypi:<dist>==<version>" (the sdist) or "github:<owner>/<repo>@<commit>"
    # (a release whose sdist lacks its tests/conftest.py; read from the git dir the search tool's
    # fetch brought, $SCOPECHECK_PRIMER_MIRROR, default /work/.mirror; skipped without it)
    source: str
    install: tuple[str, ...]  # requirements of the test environment, moto excluded
    moto_extras: str
    moto4: str
    tests: tuple[str, ...]  # test paths run, relative to the project root
    lint: str = "."  # what scopecheck --fix is run on
    env: dict[str, str] = field(default_factory=dict)
    pytest_args: tuple[str, ...] = ()
    unsafe_fixes: bool = False
    fake_credentials: bool = True  # export moto's fake AWS_* credentials (as the project's CI does)
    explained: dict[str, str] = field(default_factory=dict)


_BACKENDS = (
    "hand edit: moto 5's MockAWS has no `.backends` (moto 4's mock_ecs().backends was ecs_backends): "
    "`from moto.ecs.models import ecs_backends` and iterate that"
)

PROJECTS: tuple[Project, ...] = (
    Project(
        name="django-storages",
        source="pypi:django-storages==1.14.6",
        install=("django-storages[s3]==1.14.6", "django==4.2.17", "pytest==8.3.5", "cryptography", "rsa"),
        moto_extras="s3",
        moto4="4.2.14",  # tox.ini: moto<5
        tests=("tests/test_s3.py",),
        lint="tests",
        env={"DJANGO_SETTINGS_MODULE": "tests.settings"},
        fake_credentials=False,  # tox.ini exports none; test_security_token expects its own
    ),
    Project(
        name="pyiceberg",
        source="pypi:pyiceberg==0.5.1",
        install=(
            "pyiceberg[glue,dynamodb,pyarrow,s3fs]==0.5.1",
            # s3fs -> aiobotocore pins one botocore: fixed here, or pip backtracks for ages
            "s3fs==2023.9.2",
            "aiobotocore==2.5.4",
            "botocore==1.31.17",
            "boto3==1.28.17",
            # tests/conftest.py subclasses aiohttp's ClientResponse the 3.8 way (no _loop/_cache)
            "aiohttp==3.8.6",
            "pytest==7.4.1",
            "pytest-mock==3.11.1",
            "requests-mock==1.11.0",
            "fastavro==1.8.3",
        ),
        moto_extras="glue,dynamodb,s3",
        moto4="4.2.14",  # pyproject: moto = "^4.2.0"
        tests=("tests/catalog/test_glue.py", "tests/catalog/test_dynamodb.py"),
        lint="tests",
        # the tests import ``tests.conftest``: the root on sys.path, as poetry's editable install has it
        pytest_args=("-o", "pythonpath=."),
    ),
    Project(
        name="prefect-aws",
        # v0.4.14; its sdist ships tests/ without conftest.py (every fixture it defines is missing)
        source="github:PrefectHQ/prefect-aws@1e21cd54218ac912d4716c3c47f490b7e00a8c51",
        install=(
            "prefect-aws==0.4.14",
            "prefect>=2.16.4,<3",
            "pytest==8.3.5",
            "pytest-asyncio==0.21.2",
            "pillow",
        ),
        moto_extras="s3,ecs,batch,awslambda,secretsmanager,sts,iam,logs,ec2",
        moto4="4.2.4",  # requirements-dev.txt: moto >= 3.1.16, < 4.2.5
        tests=(
            "tests/test_s3.py",
            "tests/test_client_waiter.py",
            "tests/test_ecs.py",
            "tests/test_batch.py",
            "tests/test_credentials.py",
            "tests/test_lambda_function.py",
            "tests/test_secrets_manager.py",
            "tests/deployments/test_steps.py",
            "tests/workers/test_ecs_worker.py",
        ),
        lint="tests",
        pytest_args=("-p", "no:xdist"),
        explained={
            # 222 errors measured after --fix on moto 5.2.5: one fixture per file does
            # `for account in moto_mock.backends:` on the object of `with mock_ecs() as moto_mock`
            "tests/test_ecs.py::*": _BACKENDS,
            "tests/workers/test_ecs_worker.py::*": _BACKENDS,
        },
    ),
    Project(
        name="celery",
        source="pypi:celery==5.2.7",
        install=("celery==5.2.7", "pytest==7.4.4", "pytest-subtests", "pytest-timeout", "boto3", "msgpack", "pyyaml"),
        moto_extras="s3",
        moto4="4.2.14",  # requirements/test.txt: moto>=2.2.6
        tests=("t/unit/backends/test_s3.py",),
        lint="t",
    ),
)
