"""Small proxies for the tests, on 127.0.0.1: HTTP CONNECT (optionally over TLS) and SOCKS5."""

from __future__ import annotations

import base64
import contextlib
import socket
import ssl
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class ProxyLog:
    """What a proxy saw: the requests or targets, one per connection."""

    requests: list[bytes] = field(default_factory=list)
    targets: list[tuple[str, int]] = field(default_factory=list)


def _relay(a: socket.socket, b: socket.socket) -> None:
    def pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_WR)

    threads = [
        threading.Thread(target=pump, args=(a, b), daemon=True),
        threading.Thread(target=pump, args=(b, a), daemon=True),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    a.close()
    b.close()


def _read_head(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(1)
        if not chunk:
            break
        data += chunk
    return data


@contextlib.contextmanager
def http_proxy(
    *,
    credentials: tuple[str, str] | None = None,
    reply: bytes | None = None,
    tls: ssl.SSLContext | None = None,
) -> Iterator[tuple[int, ProxyLog]]:
    """An HTTP proxy supporting CONNECT; yield its port and its log.

    ``credentials`` makes it require Basic Proxy-Authorization (407 otherwise);
    ``reply`` replaces its answer with these bytes, then it closes.

    """
    listener = socket.create_server(("127.0.0.1", 0))
    log = ProxyLog()

    def handle(client: socket.socket) -> None:
        if tls is not None:
            try:
                client = tls.wrap_socket(client, server_side=True)
            except (OSError, ssl.SSLError):
                client.close()
                return
        head = _read_head(client)
        log.requests.append(head)
        if reply is not None:
            client.sendall(reply)
            client.close()
            return
        lines = head.decode("latin-1").split("\r\n")
        _method, target, _ = lines[0].split(" ", 2)
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        if credentials is not None:
            expected = "Basic " + base64.b64encode(":".join(credentials).encode()).decode()
            if headers.get("Proxy-Authorization") != expected:
                client.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n")
                client.close()
                return
        host, _, port = target.rpartition(":")
        log.targets.append((host.strip("[]"), int(port)))
        upstream = socket.create_connection((host.strip("[]"), int(port)))
        client.sendall(b"HTTP/1.0 200 Connection established\r\n\r\n")
        _relay(client, upstream)

    def accept() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(client,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1], log
    finally:
        listener.close()


@contextlib.contextmanager
def socks5_proxy(credentials: tuple[str, str] | None = None) -> Iterator[tuple[int, ProxyLog]]:
    """A SOCKS5 proxy (RFC 1928, CONNECT only; RFC 1929 username/password if given)."""
    listener = socket.create_server(("127.0.0.1", 0))
    log = ProxyLog()

    def recv_exact(sock: socket.socket, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def handle(client: socket.socket) -> None:
        try:
            _, count = recv_exact(client, 2)
            methods = recv_exact(client, count)
            if credentials is None:
                client.sendall(b"\x05\x00")
            elif 2 in methods:
                client.sendall(b"\x05\x02")
                _, ulen = recv_exact(client, 2)
                user = recv_exact(client, ulen).decode()
                (plen,) = recv_exact(client, 1)
                password = recv_exact(client, plen).decode()
                ok = (user, password) == credentials
                client.sendall(b"\x01\x00" if ok else b"\x01\x01")
                if not ok:
                    client.close()
                    return
            else:
                client.sendall(b"\x05\xff")
                client.close()
                return
            _, _command, _, kind = recv_exact(client, 4)
            if kind == 1:
                host = socket.inet_ntoa(recv_exact(client, 4))
            elif kind == 3:
                (length,) = recv_exact(client, 1)
                host = recv_exact(client, length).decode()
            else:
                host = socket.inet_ntop(socket.AF_INET6, recv_exact(client, 16))
            (port,) = struct.unpack("!H", recv_exact(client, 2))
            log.targets.append((host, port))
            upstream = socket.create_connection((host, port))
            bound = upstream.getsockname()
            client.sendall(
                b"\x05\x00\x00\x01" + socket.inet_aton(bound[0]) + struct.pack("!H", bound[1])
            )
        except (OSError, EOFError):
            client.close()
            return
        _relay(client, upstream)

    def accept() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(client,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1], log
    finally:
        listener.close()
