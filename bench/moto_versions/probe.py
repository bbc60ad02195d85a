# ruff: noqa: UP031, E501, B904  (plain old-Python style: it runs under the Python 3.7/3.8 venvs of moto 1.x)
"""One import-order probe, in its own process: python probe.py ORDER KIND [MOTOIMPORT]

ORDER  after  = the moto import runs before the object is built
       before = the object is built, then moto is imported
       deco   = `from moto import mock_x`, the object, then a decorator @mock_x is applied
       armed  = `from moto import mock_x`, a decorator @mock_x applied, then the object
KIND   client | session | regionless
MOTOIMPORT  "import" (import moto) or "from" (from moto import mock_x)
Prints one line: what happened to a request made inside the mock (list_buckets / list_queues).
Offline: every non-loopback connect and DNS lookup raises, so an escape shows as
EndpointConnectionError. Measured results: docs/moto-versions.md.
"""

import os
import socket
import sys

_real_connect = socket.socket.connect


def _guard(self, address):  # loopback only: an escaped request shows as ConnectionRefused/Escape
    host = address[0] if isinstance(address, tuple) else address
    if not str(host).startswith(("127.", "::1", "localhost")):
        raise OSError("ESCAPE blocked connect to %r" % (address,))
    return _real_connect(self, address)


socket.socket.connect = _guard
_real_gai = socket.getaddrinfo


def _gai(host, *a, **k):
    if host and not str(host).startswith(("127.", "::1", "localhost")):
        sys.stderr.write("DNS %s\n" % host)
        raise socket.gaierror("ESCAPE dns %s" % host)
    return _real_gai(host, *a, **k)


socket.getaddrinfo = _gai

order, kind = sys.argv[1], sys.argv[2]
how = sys.argv[3] if len(sys.argv) > 3 else "import"
import boto3  # noqa: E402
import botocore.handlers  # noqa: E402


def stubbed():
    return any(type(e[1]).__name__ == "BotocoreStubber" for e in botocore.handlers.BUILTIN_HANDLERS)


def mock_factory():
    import moto

    return (
        getattr(moto, "mock_aws", None) or moto.mock_s3
        if kind != "regionless"
        else (getattr(moto, "mock_aws", None) or moto.mock_sqs)
    )


def build():
    if kind == "client":
        return boto3.client("s3", region_name="us-east-1")
    if kind == "session":
        return boto3.Session(region_name="us-east-1")
    return boto3.client("sqs")


def do_import():
    if how == "import":
        exec("import moto")
    else:
        exec(
            "import moto as _m\nname = 'mock_aws' if hasattr(_m, 'mock_aws') else 'mock_s3'\nexec('from moto import ' + name)"
        )


state = {}
try:
    if order == "before":
        obj = build()
        do_import()
    elif order == "after":
        do_import()
        state["env_after_import"] = os.environ.get("AWS_ACCESS_KEY_ID")
        state["stub_after_import"] = stubbed()
        obj = build()
    elif order == "deco":
        do_import()
        obj = build()
        mock = mock_factory()
        mock(lambda: None)  # what `@mock_x` on a test function does at import time
        state["stub_after_decorator"] = stubbed()
    elif order == "armed":
        do_import()
        mock = mock_factory()
        mock(lambda: None)  # a decorator applied before the object is built
        state["stub_after_decorator"] = stubbed()
        obj = build()
    else:
        raise SystemExit("bad order")
except Exception as exc:  # noqa: BLE001
    print("AT-IMPORT %s: %s" % (type(exc).__name__, str(exc)[:90]), state)
    raise SystemExit(0)

mock = mock_factory()
try:
    with mock():
        client = obj if kind != "session" else obj.client("s3")
        if kind == "regionless":
            out = client.list_queues()
        else:
            out = client.list_buckets()
        print("SERVED by moto", len(out.get("Buckets", [])), state)
except Exception as exc:  # noqa: BLE001
    print("FAIL %s: %s" % (type(exc).__name__, str(exc)[:90]), state)
