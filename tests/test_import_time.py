"""SCP101/SCP104: which import-time creations are reported, where, and with which message.

Each test pins the whole SCP101/SCP104 finding set (path, line, message) of a small tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import lint_tree, write_tree

APP_CLIENT = "import boto3\n\nS3 = boto3.client('s3', region_name='us-east-1')\n"
APP_SESSION = "import boto3\n\n\ndef make(session=boto3.Session(region_name='us-east-1')):\n    return session\n"


def findings(root: Path, *, paths: list[str] | None = None, moto: int = 5) -> set[tuple[str, int, str, str]]:
    found = lint_tree(root, moto_major=moto, paths=[str(root / p) for p in paths] if paths else None)
    return {
        (Path(f.path).resolve().relative_to(root.resolve()).as_posix(), f.line, f.code, f.message)
        for f in found
        if f.code in ("SCP101", "SCP104")
    }


def test_a_client_imported_by_three_test_modules_is_one_finding_at_the_first_importer(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/aws.py": APP_CLIENT,
            "tests/test_c.py": "from moto import mock_aws\n\nfrom app.aws import S3\n",
            "tests/test_a.py": "from moto import mock_aws\nimport os\n\nimport app.aws\n",
            "tests/test_b.py": "from moto import mock_aws\n\nfrom app import aws\n",
        },
    )
    assert findings(tmp_path, paths=["tests"]) == {
        (
            "tests/test_a.py",
            4,
            "SCP104",
            "app/aws.py:3 builds a boto3 client for 's3' at import that freezes its credentials; "
            "2 other modules import it",
        )
    }
    # The cause is linted too: reported there, once, and not at any importer.
    assert findings(tmp_path) == {
        (
            "app/aws.py",
            3,
            "SCP104",
            "boto3 client for 's3' built at import freezes its credentials; 3 test modules import it",
        )
    }


def test_a_session_is_reported_only_where_it_is_built_before_moto(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/sessions.py": APP_SESSION,
            "tests/test_a.py": "from moto import mock_aws\n\nfrom app.sessions import make\n",
            "tests/test_b.py": "import os\nfrom app.sessions import make\nfrom moto import mock_aws\n",
        },
    )
    assert findings(tmp_path, paths=["tests"]) == {
        (
            "tests/test_b.py",
            2,
            "SCP104",
            "app/sessions.py:4 builds a boto3 Session at import, before moto is imported: bypasses moto",
        )
    }
    assert findings(tmp_path) == {
        (
            "app/sessions.py",
            4,
            "SCP104",
            "boto3 Session built at import, before moto is imported: bypasses moto (tests/test_b.py:2)",
        )
    }


def test_a_conftest_that_imports_moto_runs_first(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/sessions.py": APP_SESSION,
            "tests/conftest.py": "import pytest\nimport moto\n",
            "tests/test_b.py": "from app.sessions import make\nfrom moto import mock_aws\n",
            "tests/test_s.py": "import boto3\n\nS = boto3.Session()\nfrom moto import mock_aws\n",
        },
    )
    assert findings(tmp_path) == set()


def test_an_earlier_first_party_import_that_imports_moto_counts(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/sessions.py": APP_SESSION,
            "tests/fixtures.py": "import pytest\nfrom moto import mock_aws\n",
            "tests/test_b.py": "from fixtures import *\nfrom app.sessions import make\n\nimport moto\n",
        },
    )
    assert findings(tmp_path) == set()


def test_a_throwaway_session_is_harmless_even_before_moto(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/region.py": "import boto3\n\nREGION = boto3.Session().region_name or 'us-east-1'\n",
            "tests/test_a.py": (
                "import boto3\n\nR = boto3.session.Session().region_name\nimport app.region\nimport moto\n"
            ),
        },
    )
    assert findings(tmp_path) == set()


@pytest.mark.parametrize(
    ("moto", "expected"),
    [
        (3, {("tests/test_a.py", 3, "SCP104")}),  # lazy: `from moto import mock_s3` adds no hook
        (2, {("tests/test_a.py", 3, "SCP104")}),
        (4, set()),  # the hook is added by the import
        (1, set()),  # <= 1.3.14 eager, 1.3.15+ lazy: unknown, not reported
    ],
)
def test_when_moto_hooks_in_depends_on_the_targeted_version(tmp_path: Path, moto: int, expected: set) -> None:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/sessions.py": APP_SESSION,
            "tests/test_a.py": "from moto import mock_s3\n\nfrom app.sessions import make\n",
        },
    )
    found = findings(tmp_path, paths=["tests"], moto=moto)
    assert {(p, line, code) for p, line, code, _ in found} == expected
    if expected:
        [(_, _, _, message)] = found
        assert message == (
            "app/sessions.py:4 builds a boto3 Session at import, before moto hooks into botocore: bypasses moto"
        )


def test_on_moto_3_a_decorator_applied_earlier_hooks_moto_in(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/sessions.py": APP_SESSION,
            "tests/test_a.py": (
                "from moto import mock_s3\n\n\n@mock_s3\ndef test_x():\n    pass\n\n\nfrom app.sessions import make\n"
            ),
        },
    )
    assert findings(tmp_path, moto=3) == set()


def test_the_chain_is_named_and_a_region_less_client_says_no_region(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/ecs.py": "import boto3\n\nECS = boto3.client('ecs')\n",
            "app/service.py": "from app import ecs\n",
            "tests/test_a.py": "import moto\nimport app.service\n",
        },
    )
    assert findings(tmp_path, paths=["tests"]) == {
        (
            "tests/test_a.py",
            2,
            "SCP104",
            "app/ecs.py:3 (via app/service.py) builds a boto3 client for 'ecs' at import that has no region: "
            "NoRegionError if AWS_DEFAULT_REGION is unset",
        )
    }


def test_scp101_session_and_client_messages(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "test_a.py": (
                "import boto3\n\nS = boto3.Session()\nfrom moto import mock_aws\n"
                "C = boto3.client('s3')\nK = boto3.Session()\n"
            )
        },
    )
    assert findings(tmp_path) == {
        ("test_a.py", 3, "SCP101", "boto3 Session built at import, before moto is imported: bypasses moto"),
        ("test_a.py", 5, "SCP101", "boto3 client for 's3' built at import freezes its credentials"),
    }


# --------------------------------------------------------------------------- determinism


def _cli(cwd: Path, *args: str, cache: str | None = None) -> tuple[list[tuple[str, int, str, str]], str]:
    extra = ["--cache-dir", cache] if cache else ["--no-cache"]
    proc = subprocess.run(
        [sys.executable, "-m", "scopecheck", *extra, "--format", "json", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
    )
    items = json.loads(proc.stdout)
    return [(str((cwd / i["path"]).resolve()), i["line"], i["code"], i["message"]) for i in items], proc.stderr


@pytest.mark.parametrize("marker", [None, "pyproject.toml"])
def test_findings_do_not_depend_on_the_working_directory(tmp_path: Path, marker: str | None) -> None:
    proj = tmp_path / "proj"
    write_tree(
        proj,
        {
            "app/__init__.py": "",
            "app/storage.py": APP_CLIENT,
            "tests/test_a.py": "from moto import mock_aws\n\nfrom app.storage import S3\n",
            "tests/test_b.py": "from moto import mock_aws\n\nimport app.storage\n",
        },
    )
    if marker:
        (proj / marker).write_text("[project]\nname = 'proj'\n")
    cache = str(tmp_path / "cache")
    from_root, err_root = _cli(proj, "tests")
    from_sub, err_sub = _cli(proj / "tests", ".")
    from_outside, err_outside = _cli(tmp_path, "proj/tests")
    warm_from_sub = _cli(proj / "tests", ".", cache=cache)[0]
    warm_from_root = _cli(proj, "tests", cache=cache)[0]  # the run cache must not serve stale text
    expected = [
        (
            str((proj / "tests" / "test_a.py").resolve()),
            3,
            "SCP104",
            "app/storage.py:3 builds a boto3 client for 's3' at import that freezes its credentials; "
            "1 other module imports it",
        )
    ]
    assert from_root == from_sub == from_outside == warm_from_sub == warm_from_root == expected
    notes = [err.count("project root:") for err in (err_root, err_sub, err_outside)]
    assert notes == ([0, 0, 0] if marker else [1, 1, 1])


APP_HANDLER = (
    "import boto3\n\nS3 = boto3.client('s3', region_name='us-east-1')\n"  # line 3
    "ECS = boto3.client('ecs')\n\n\n"  # line 4: no region
    "def fetch(s3, key):\n    return s3.get_object(Bucket='b', Key=key)\n\n\n"
    "def handler(event, context):\n    return fetch(S3, event['key'])\n\n\n"
    "def run(event):\n    return handler(event, None)\n\n\n"
    "def default(client=S3):\n    return client\n\n\n"
    "def wrapped():\n    return 1\n\n\n"
    "wrapped = staticmethod(wrapped)\n"
)


@pytest.mark.parametrize(
    ("imported", "reaches"),
    [
        ("from app.handler import fetch", False),  # takes the client as a parameter
        ("from app.handler import run", True),  # run -> handler -> S3
        ("from app.handler import default", True),  # a default value is read at import
        ("from app.handler import wrapped", True),  # rebound at module level: unknown
        ("from app.handler import S3", True),
        ("from app.handler import *", True),
        ("from app.handler import fetch, CONSTANT", True),  # not a def or class of the module: unknown
        ("from app import handler", True),  # the module object
        ("import app.handler as h", True),
    ],
)
def test_a_client_is_reported_only_when_the_import_can_reach_it(tmp_path: Path, imported: str, reaches: bool) -> None:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/handler.py": APP_HANDLER,
            "tests/test_a.py": f"import moto\n{imported}\n",
        },
    )
    no_region = (
        "tests/test_a.py",
        2,
        "SCP104",
        "app/handler.py:4 builds a boto3 client for 'ecs' at import that has no region: "
        "NoRegionError if AWS_DEFAULT_REGION is unset",
    )
    # One finding per import statement: the first creation it reaches; a region-less one always counts.
    expected = "app/handler.py:3 builds a boto3 client for 's3' at import that freezes its credentials"
    at_import = {("tests/test_a.py", 2, "SCP104", expected)} if reaches else {no_region}
    assert findings(tmp_path, paths=["tests"]) == at_import
    # At the creation line: only the importers that reach it are counted.
    write_tree(tmp_path, {"tests/test_b.py": "import moto\nimport app.handler\n"})
    count = "2 test modules import it" if reaches else "a test module imports it"
    assert findings(tmp_path) == {
        ("app/handler.py", 3, "SCP104", f"boto3 client for 's3' built at import freezes its credentials; {count}"),
        (
            "app/handler.py",
            4,
            "SCP104",
            "boto3 client for 'ecs' built at import freezes its credentials; 2 test modules import it",
        ),
    }
