"""SCP404: a ThreadedMotoServer on a fixed port, or one started and never stopped."""

from __future__ import annotations

from collections.abc import Iterator

from scopecheck.facts.model import FileFacts, FunctionFacts
from scopecheck.facts.servers import ServerUse
from scopecheck.findings import Severity
from scopecheck.rules.base import Context, Example, Hit, Rule
from scopecheck.rules.scp303_env_leak import SETUP_HOOKS

# Code that pytest runs once per test (or per class): a server it never stops is started again.
_REPEATED_SCOPES = ("function", "class")
_REPEATED_HOOKS = frozenset({"setup_method", "setup_function", "setup", "setUp", "asyncSetUp"})


def _test_code(facts: FileFacts, fn: FunctionFacts | None) -> bool:
    if facts.is_test_module or facts.is_conftest:
        return True
    return fn is not None and (fn.is_test or fn.fixture is not None or fn.name in SETUP_HOOKS)


def _repeats(fn: FunctionFacts | None) -> bool:
    if fn is None:
        return False
    if fn.fixture is not None:
        return fn.fixture.scope in _REPEATED_SCOPES
    return fn.is_test or fn.name in _REPEATED_HOOKS


def _message(server: ServerUse, fn: FunctionFacts | None) -> str | None:
    if server.fixed and server.started:
        if not server.stopped and _repeats(fn):
            return f"ThreadedMotoServer on fixed port {server.port} is never stopped: the next start() hangs"
        return f"ThreadedMotoServer on fixed port {server.port}: start() hangs while the port is taken"
    if server.started and not server.stopped:
        return "ThreadedMotoServer is started and never stopped: its thread and socket leak"
    return None


def check(ctx: Context) -> Iterator[Hit]:
    for facts in ctx.target_files():
        if facts.server is None or not facts.server.servers:
            continue
        by_qualname = {fn.qualname: fn for fn in facts.functions}
        for server in facts.server.servers:
            fn = by_qualname.get(server.function) if server.function else None
            if server.function and fn is None:
                continue  # a nested function: when it runs is unknown
            if not _test_code(facts, fn):
                continue
            message = _message(server, fn)
            if message is not None:
                yield Hit(facts, server.loc, message, fix="ask for a free port: `port=0`" if server.fixed else None)


RULE = Rule(
    code="SCP404",
    name="fixed-port-server",
    severity=Severity.WARNING,
    short="a ThreadedMotoServer on a fixed port, or one never stopped",
    summary=(
        "Test code (a test module or conftest.py, a fixture, a test, a setup hook) builds "
        "`ThreadedMotoServer()` with moto's default port 5000 or a literal port "
        "(`port=5001`, `ThreadedMotoServer('127.0.0.1', 5555)`, a module-level constant), or "
        "starts one and never stops it (no `stop()` in the function, after `yield`, in a "
        "finalizer, or, for `self.server`, in another method of the class). A server handed on "
        "(returned, yielded, stored) may be started or stopped elsewhere: only its port is judged."
    ),
    why=(
        "`ThreadedMotoServer.start()` waits for the server thread on an event with no timeout "
        "(moto 5.2.5 `threaded_moto_server.py:44`). When the port is taken the thread dies with "
        "`OSError: [Errno 98] Address already in use` and `start()` **never returns**: measured, a "
        "second server on the same port hung until `timeout 20` killed the run, and a "
        "function-scoped fixture that starts a fixed-port server without stopping it hangs the "
        "second test that uses it. A fixed port with a `stop()` passes in one process but hangs "
        "under pytest-xdist (measured with pytest-xdist 3.8.0: a session-scoped fixture on a fixed "
        "port, stopped after `yield`, passed 4 tests without `-n`; with `-n 2` one worker ran its "
        "tests and the other never returned from `start()` until `timeout 40` killed the run), when "
        "a developer's own moto server listens on 5000, or when two CI jobs share a machine. A "
        "`port=0` server that is never stopped does not hang (each gets a free port), but leaks its "
        "thread and socket for the rest of the session (hygiene)."
    ),
    instead=(
        "Use `ThreadedMotoServer(ip_address='127.0.0.1', port=0)`, read the real port with "
        "`get_host_and_port()` after `start()`, and `stop()` it after `yield` (a session-scoped "
        "fixture keeps one server for the run)."
    ),
    versions="moto 3.x to 5.x (ThreadedMotoServer came with moto 3.0).",
    check=check,
    fixer="scopecheck.fixes.scp404_free_port:FreePort",
    help="Use `port=0` with `get_host_and_port()`, and `stop()` the server after `yield`.",
    fix_safety=(
        "Unsafe (`--unsafe-fixes`): a fixed port becomes `port=0`. That is not enough when the literal "
        "port is also written elsewhere (an `endpoint_url`, a constant, another process): that code "
        "then talks to nothing, so read the port back with `get_host_and_port()`. No `stop()` is "
        "added, and a `port=0` server with no stop has no fix."
    ),
    see_also=("SCP403",),
    bad=(
        Example.of(
            """
            import pytest
            from moto.server import ThreadedMotoServer


            @pytest.fixture
            def moto_endpoint():
                server = ThreadedMotoServer(port=5123)  # expect: SCP404
                server.start()
                yield "http://127.0.0.1:5123"
            """,
            unsafe=True,
            fixed="""
            import pytest
            from moto.server import ThreadedMotoServer


            @pytest.fixture
            def moto_endpoint():
                server = ThreadedMotoServer(port=0)  # expect: SCP404
                server.start()
                yield "http://127.0.0.1:5123"
            """,
        ),
        Example.of(
            """
            import pytest
            from moto.server import ThreadedMotoServer as Server


            @pytest.fixture(scope="session")
            def moto_server():
                server = Server()  # expect: SCP404
                server.start()
                yield server
                server.stop()
            """,
            unsafe=True,
            fixed="""
            import pytest
            from moto.server import ThreadedMotoServer as Server


            @pytest.fixture(scope="session")
            def moto_server():
                server = Server(port=0)  # expect: SCP404
                server.start()
                yield server
                server.stop()
            """,
        ),
        Example.of(
            """
            import unittest

            import moto.server

            PORT = 5555


            class TestServer(unittest.TestCase):
                def setUp(self):
                    self.server = moto.server.ThreadedMotoServer("127.0.0.1", PORT)  # expect: SCP404
                    self.server.start()

                def test_started(self):
                    assert self.server


            def test_leaks_its_thread():
                server = moto.server.ThreadedMotoServer(port=0)  # expect: SCP404
                server.start()
            """,
            unsafe=True,
            fixed="""
            import unittest

            import moto.server

            PORT = 5555


            class TestServer(unittest.TestCase):
                def setUp(self):
                    self.server = moto.server.ThreadedMotoServer("127.0.0.1", 0)  # expect: SCP404
                    self.server.start()

                def test_started(self):
                    assert self.server


            def test_leaks_its_thread():
                server = moto.server.ThreadedMotoServer(port=0)  # expect: SCP404
                server.start()
            """,
        ),
    ),
    good=(
        Example.of(
            """
            import pytest
            from moto.server import ThreadedMotoServer


            @pytest.fixture(scope="session")
            def moto_endpoint():
                server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
                server.start()
                host, port = server.get_host_and_port()
                yield f"http://{host}:{port}"
                server.stop()
            """
        ),
        Example.of(
            """
            import unittest

            from moto.server import ThreadedMotoServer


            class TestServer(unittest.TestCase):
                @classmethod
                def setUpClass(cls):
                    cls.server = ThreadedMotoServer(port=0, verbose=False)
                    cls.server.start()

                @classmethod
                def tearDownClass(cls):
                    cls.server.stop()

                def setUp(self):
                    self.other = ThreadedMotoServer(port=0)
                    self.other.start()
                    self.addCleanup(self.other.stop)

                def test_started(self):
                    assert self.server.get_host_and_port()
            """
        ),
        Example.of(
            """
            import socket

            import pytest
            from moto.server import ThreadedMotoServer


            def free_port():
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", 0))
                    return sock.getsockname()[1]


            @pytest.fixture
            def server(request):
                server = ThreadedMotoServer(port=free_port())
                server.start()
                request.addfinalizer(server.stop)
                return server


            def make_server(port):
                return ThreadedMotoServer(port=port)  # the caller decides


            def test_never_started():
                server = ThreadedMotoServer(port=5000)
                assert server.get_host_and_port
            """
        ),
    ),
)
