"""Running a threading server on 127.0.0.1 for the duration of a test."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from websockets_impl.sync.server import Server, ServerConnection, serve


@contextlib.contextmanager
def running_server(
    handler: Callable[[ServerConnection], None], **kwargs: Any
) -> Iterator[tuple[Server, str]]:
    """Serve ``handler`` in a thread; yield the server and its ws:// URI; shut down after."""
    kwargs.setdefault("host", "127.0.0.1")
    kwargs.setdefault("port", 0)
    server = serve(handler, **kwargs)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.socket.getsockname()[:2]
    try:
        yield server, f"ws://{host}:{port}/"
    finally:
        server.shutdown()
        thread.join(5)
        assert not thread.is_alive(), "serve_forever() didn't return after shutdown()"


def echo(connection: ServerConnection) -> None:
    for message in connection:
        connection.send(message)


@contextlib.contextmanager
def silent_server() -> Iterator[str]:
    """A server that completes the opening handshake, then never reads nor writes again."""
    import socket

    from websockets_impl.server import ServerProtocol

    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def run() -> None:
        sock, _ = listener.accept()
        accepted.append(sock)
        protocol = ServerProtocol()
        request = None
        while request is None:
            data = sock.recv(4096)
            if not data:
                return
            protocol.receive_data(data)
            for event in protocol.events_received():
                request = event
        protocol.send_response(protocol.accept(request))
        for data in protocol.data_to_send():
            sock.sendall(data)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    host, port = listener.getsockname()[:2]
    try:
        yield f"ws://{host}:{port}/"
    finally:
        listener.close()
        for sock in accepted:
            sock.close()


def new_threads(before: set[threading.Thread], timeout: float = 5) -> set[threading.Thread]:
    """Threads started since ``before`` that are still alive after up to ``timeout`` s.

    Threads other tests left behind may end meanwhile: only new ones count.
    """
    import time

    deadline = time.monotonic() + timeout
    while True:
        alive = set(threading.enumerate()) - before
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)
