"""pytest plugin for the inner pitfall runs: loopback-only network from the very first import.

pytest-socket guards only while a test runs, and its guard raises a RuntimeError. botocore does not
treat that as a network failure: an instance-metadata credential probe then dies with
``HTTPClientError`` instead of falling through to ``NoCredentialsError``. A CI machine without
network behaves differently: connections simply fail with an ``OSError``. This plugin models that
machine for the whole session (collection included, where module-level clients probe for
credentials). Every blocked destination is appended to the file named by ``PITFALL_NET_LOG`` so
the proof can tell exactly which requests tried to leave the process.

Load it with ``-p pitfall_netguard`` (its folder on ``PYTHONPATH``).
"""

from __future__ import annotations

import errno
import os
import socket
from typing import Any

_LOOPBACK = {"localhost", "127.0.0.1", "::1", "ip6-localhost"}
_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect


def _log(host: object) -> None:
    path = os.environ.get("PITFALL_NET_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{host}\n")


def _is_loopback(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    return isinstance(host, str) and host in _LOOPBACK


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if _is_loopback(host):
        return _real_getaddrinfo(host, *args, **kwargs)
    _log(host)
    # gaierror is an OSError: urllib3 -> NewConnectionError -> botocore EndpointConnectionError,
    # exactly what an offline CI machine produces.
    raise socket.gaierror(socket.EAI_NONAME, f"pitfall network guard blocked {host!r}")


def _guarded_connect(sock: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else None
    if sock.family == getattr(socket, "AF_UNIX", None) or _is_loopback(host):
        return _real_connect(sock, address)
    _log(host)
    raise OSError(errno.ENETUNREACH, f"pitfall network guard blocked {host!r}")


# Installed at import: `-p` plugins are imported before any conftest or test module.
socket.getaddrinfo = _guarded_getaddrinfo
socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
