"""URL routing for the asyncio and threading servers, with werkzeug."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading

import pytest
from werkzeug.routing import Map, Rule

from websockets_impl.asyncio.client import connect as async_connect
from websockets_impl.asyncio.router import route as async_route
from websockets_impl.exceptions import InvalidStatus
from websockets_impl.http11 import Request, Response
from websockets_impl.sync.client import connect
from websockets_impl.sync.router import Router, route

pytestmark = pytest.mark.timeout(30)


def sync_room(connection, room: str) -> None:  # type: ignore[no-untyped-def]
    connection.send(f"room {room}")


def sync_user(connection, user_id: int) -> None:  # type: ignore[no-untyped-def]
    connection.send(f"user {user_id + 1}")


def sync_map() -> Map:
    return Map(
        [
            Rule("/rooms/<room>", endpoint=sync_room),
            Rule("/users/<int:user_id>", endpoint=sync_user),
            Rule("/folder/", endpoint=sync_room, defaults={"room": "folder"}),
        ]
    )


def serve_in_thread(server):  # type: ignore[no-untyped-def]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


def test_sync_route_passes_url_values_to_the_handler() -> None:
    with route(sync_map(), "127.0.0.1", 0) as server:
        thread = serve_in_thread(server)
        port = server.socket.getsockname()[1]
        with connect(f"ws://127.0.0.1:{port}/rooms/lobby") as ws:
            assert ws.recv() == "room lobby"
        with connect(f"ws://127.0.0.1:{port}/users/41") as ws:
            assert ws.recv() == "user 42"
        with pytest.raises(InvalidStatus) as raised:
            connect(f"ws://127.0.0.1:{port}/nowhere")
        assert raised.value.response.status_code == 404
        assert raised.value.response.body == b"Not Found"
        server.shutdown()
    thread.join(5)


def test_sync_route_redirects_and_follows() -> None:
    with route(sync_map(), "127.0.0.1", 0) as server:
        thread = serve_in_thread(server)
        port = server.socket.getsockname()[1]
        # The client follows the redirect werkzeug gives for the missing trailing slash.
        with connect(f"ws://127.0.0.1:{port}/folder") as ws:
            assert ws.recv() == "room folder"
        server.shutdown()
    thread.join(5)


def test_sync_process_request_runs_before_routing_and_can_answer() -> None:
    def gate(connection, request: Request) -> Response | None:  # type: ignore[no-untyped-def]
        if "X-Token" not in request.headers:
            return connection.respond(403, "no token\n")  # type: ignore[no-any-return]
        return None

    with route(sync_map(), "127.0.0.1", 0, process_request=gate) as server:
        thread = serve_in_thread(server)
        port = server.socket.getsockname()[1]
        with pytest.raises(InvalidStatus) as raised:
            connect(f"ws://127.0.0.1:{port}/rooms/a")
        assert raised.value.response.status_code == 403
        with connect(f"ws://127.0.0.1:{port}/rooms/a", additional_headers={"X-Token": "t"}) as ws:
            assert ws.recv() == "room a"
        server.shutdown()
    thread.join(5)


def test_router_helpers_answer_like_upstream() -> None:
    class Connection:
        def respond(self, status: int, text: str) -> Response:
            from websockets_impl.datastructures import Headers

            return Response(status, "", Headers(), text.encode())

    router = Router(sync_map(), url_scheme="wss")
    assert all(rule.websocket for rule in router.url_map.iter_rules())
    redirect = router.redirect(Connection(), "wss://example.com/x")
    assert (redirect.status_code, redirect.body) == (302, b"Found at wss://example.com/x")
    assert redirect.headers["Location"] == "wss://example.com/x"
    request = Request("/folder", _headers(Host="example.com"))
    response = router.route_request(Connection(), request)
    assert response is not None and response.headers["Location"] == "wss://example.com/folder/"
    assert router.get_server_name(Connection(), request) == "example.com"


def _headers(**values: str):  # type: ignore[no-untyped-def]
    from websockets_impl.datastructures import Headers

    return Headers(**values)


async def async_room(connection, room: str) -> None:  # type: ignore[no-untyped-def]
    await connection.send(f"async room {room}")


async def test_asyncio_route() -> None:
    url_map = Map([Rule("/rooms/<room>", endpoint=async_room)])

    async def gate(connection, request):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0)
        return None

    async with async_route(url_map, "127.0.0.1", 0, process_request=gate) as server:
        port = server.sockets[0].getsockname()[1]
        async with async_connect(f"ws://127.0.0.1:{port}/rooms/hall") as ws:
            assert await ws.recv() == "async room hall"
        with pytest.raises(InvalidStatus) as raised:
            await async_connect(f"ws://127.0.0.1:{port}/other")
        assert raised.value.response.status_code == 404


def test_without_werkzeug_the_modules_import_and_route_raises() -> None:
    code = (
        "import sys; sys.modules['werkzeug'] = None\n"
        "from websockets_impl.asyncio import router as a\n"
        "from websockets_impl.sync import router as s\n"
        "assert a.Router and s.Router\n"
        "for module, name in ((a, 'route'), (a, 'unix_route'), (s, 'route'), (s, 'unix_route')):\n"
        "    try:\n"
        "        getattr(module, name)(None)\n"
        "    except ImportError as exc:\n"
        "        print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True
    )
    assert result.stdout.splitlines() == [
        "route() requires werkzeug",
        "unix_route() requires werkzeug",
        "route() requires werkzeug",
        "unix_route() requires werkzeug",
    ]
