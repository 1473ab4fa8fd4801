"""The legacy server: serve(), unix_serve(), WebSocketServer, WebSocketServerProtocol."""

from __future__ import annotations

import asyncio
import http
import logging
import warnings
from collections.abc import Sequence
from pathlib import Path

import pytest
from legacy_helpers import echo, legacy_server, raw_connection, raw_handshake, server_uri

from websockets_impl.datastructures import Headers
from websockets_impl.exceptions import ConnectionClosedOK
from websockets_impl.http11 import SERVER
from websockets_impl.protocol import State

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from websockets_impl.legacy.client import connect
    from websockets_impl.legacy.exceptions import AbortHandshake, InvalidStatusCode
    from websockets_impl.legacy.server import (
        Serve,
        WebSocketServer,
        WebSocketServerProtocol,
        serve,
        unix_serve,
    )


async def status_of(server: WebSocketServer, **kwargs: object) -> int:
    """Status code the server answers a legacy client's handshake with."""
    try:
        async with connect(server_uri(server), **kwargs):  # type: ignore[arg-type]
            return 101
    except InvalidStatusCode as exc:
        return exc.status_code


async def raw_response(server: WebSocketServer, request: bytes) -> bytes:
    """Everything the server sends back to ``request`` before closing."""
    async with raw_connection(server) as (reader, writer):
        writer.write(request)
        return await asyncio.wait_for(reader.read(), 2)


# serve() and WebSocketServer.


async def test_await_serve_and_close() -> None:
    server = await serve(echo, "127.0.0.1", 0)
    assert isinstance(server, WebSocketServer)
    assert serve is Serve
    assert server.is_serving()
    assert server.get_loop() is asyncio.get_running_loop()
    async with connect(server_uri(server)) as ws:
        await ws.send("hi")
        assert await ws.recv() == "hi"
    server.close()
    await server.wait_closed()
    assert not server.is_serving()


async def test_serve_can_be_created_outside_a_running_loop() -> None:
    # Legacy code builds serve() and passes it to run_until_complete().
    assert isinstance(serve(echo, "127.0.0.1", 0), Serve)


async def test_websockets_set_and_close_with_1001() -> None:
    connected = asyncio.Event()

    async def handler(ws: WebSocketServerProtocol) -> None:
        connected.set()
        await ws.wait_closed()

    server = await serve(handler, "127.0.0.1", 0)
    async with connect(server_uri(server)) as ws:
        await connected.wait()
        assert len(server.websockets) == 1
        assert all(isinstance(w, WebSocketServerProtocol) for w in server.websockets)
        server.close()
        with pytest.raises(ConnectionClosedOK):
            await ws.recv()
        assert ws.close_code == 1001
    await server.wait_closed()
    assert server.websockets == set()


async def test_close_without_closing_connections_waits_for_handlers() -> None:
    release = asyncio.Event()

    async def handler(ws: WebSocketServerProtocol) -> None:
        await release.wait()
        await ws.send("still here")

    server = await serve(handler, "127.0.0.1", 0)
    async with connect(server_uri(server)) as ws:
        server.close(close_connections=False)
        closed = asyncio.create_task(server.wait_closed())
        await asyncio.sleep(0.02)
        assert not closed.done()
        release.set()
        assert await ws.recv() == "still here"
        await asyncio.wait_for(closed, 2)


async def test_handshake_during_shutdown_gets_503() -> None:
    entered = asyncio.Event()
    release = asyncio.Event()

    async def process_request(path: str, headers: Headers) -> None:
        entered.set()
        await release.wait()

    server = await serve(echo, "127.0.0.1", 0, process_request=process_request)
    connecting = asyncio.ensure_future(connect(server_uri(server)))
    await entered.wait()
    server.close()
    await asyncio.sleep(0)
    release.set()
    with pytest.raises(InvalidStatusCode) as raised:
        await connecting
    assert raised.value.status_code == 503
    await server.wait_closed()


async def test_start_serving_and_sockets() -> None:
    server = await serve(echo, "127.0.0.1", 0, start_serving=False)
    assert not server.is_serving()
    await server.start_serving()
    assert server.is_serving()
    assert server.sockets[0].getsockname()[0] == "127.0.0.1"
    server.close()
    await server.wait_closed()


async def test_serve_forever_cancellation_stops_listening_only() -> None:
    async with legacy_server() as server, connect(server_uri(server)) as ws:
        forever = asyncio.create_task(server.serve_forever())
        await asyncio.sleep(0.01)
        forever.cancel()
        with pytest.raises(asyncio.CancelledError):
            await forever
        assert not server.is_serving()
        await ws.send("still open")
        assert await ws.recv() == "still open"


async def test_websocket_server_is_an_async_context_manager() -> None:
    async with await serve(echo, "127.0.0.1", 0) as server:
        assert server.is_serving()
    assert not server.is_serving()


async def test_host_may_be_a_sequence() -> None:
    async with serve(echo, ["127.0.0.1"], 0) as server, connect(server_uri(server)) as ws:
        await ws.send("multi")
        assert await ws.recv() == "multi"


async def test_unix_serve(tmp_path: Path) -> None:
    path = str(tmp_path / "server.sock")
    async with unix_serve(echo, path) as server:
        assert server.sockets[0].getsockname() == path


async def test_logs(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="websockets.server"):
        async with legacy_server() as server, connect(server_uri(server)):
            port = server.sockets[0].getsockname()[1]
    messages = [record.getMessage() for record in caplog.records]
    assert f"server listening on 127.0.0.1:{port}" in messages
    assert "connection open" in messages
    assert "connection closed" in messages
    assert "server closing" in messages
    assert "server closed" in messages


# Connection handlers.


async def test_handler_with_path_argument_is_deprecated() -> None:
    async def handler(ws: WebSocketServerProtocol, path: str) -> None:
        await ws.send(path)

    with pytest.warns(DeprecationWarning, match="remove second argument of ws_handler"):
        serving = serve(handler, "127.0.0.1", 0)
    async with serving as server, connect(server_uri(server, "/room")) as ws:
        assert await ws.recv() == "/room"


async def test_handler_with_one_argument_doesnt_warn() -> None:
    async def handler(ws: WebSocketServerProtocol, path: str = "unused") -> None:
        await ws.send(ws.path)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        serving = serve(handler, "127.0.0.1", 0)
    async with serving as server, connect(server_uri(server, "/one")) as ws:
        assert await ws.recv() == "/one"


async def test_ws_handler_keyword() -> None:
    async with (
        serve(ws_handler=echo, host="127.0.0.1", port=0) as server,
        connect(server_uri(server)) as ws,
    ):
        await ws.send("kw")
        assert await ws.recv() == "kw"


async def test_handler_exception_closes_with_1011(caplog: pytest.LogCaptureFixture) -> None:
    async def handler(ws: WebSocketServerProtocol) -> None:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="websockets.server"):
        async with legacy_server(handler) as server, connect(server_uri(server)) as ws:
            await ws.wait_closed()
    assert ws.close_code == 1011
    assert "connection handler failed" in caplog.text


async def test_handler_return_closes_with_1000() -> None:
    async with legacy_server(lambda ws: ws.send("bye")) as server:
        async with connect(server_uri(server)) as ws:
            assert await ws.recv() == "bye"
            await ws.wait_closed()
        assert ws.close_code == 1000


async def test_server_side_attributes() -> None:
    seen: dict[str, object] = {}

    async def handler(ws: WebSocketServerProtocol) -> None:
        seen.update(
            path=ws.path,
            origin=ws.origin,
            request=ws.request_headers,
            response=ws.response_headers,
            state=ws.state,
            server=ws.ws_server,
        )

    async with legacy_server(handler) as server:
        async with connect(server_uri(server, "/p"), origin="https://a.example"):
            pass
        await asyncio.sleep(0.01)
    assert seen["path"] == "/p"
    assert seen["origin"] == "https://a.example"
    assert isinstance(seen["request"], Headers)
    assert seen["response"]["Server"] == SERVER  # type: ignore[index]
    assert seen["state"] is State.OPEN
    assert seen["server"] is server


# process_request.


async def test_process_request_tuple_answers_the_request() -> None:
    async def process_request(path: str, headers: Headers) -> object:
        if path == "/health":
            return http.HTTPStatus.OK, [("X-Health", "good")], b"OK\n"
        return None

    async with legacy_server(process_request=process_request) as server:
        response = await raw_response(server, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert await status_of(server) == 101
    head, body = response.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\nX-Health: good\r\n" in head
    assert b"\r\nContent-Length: 3\r\n" in head
    assert b"\r\nServer: " in head
    assert body == b"OK\n"


async def test_process_request_int_status() -> None:
    async def process_request(path: str, headers: Headers) -> object:
        return 404, {}, b""

    async with legacy_server(process_request=process_request) as server:
        assert await status_of(server) == 404


async def test_sync_process_request_is_deprecated() -> None:
    def process_request(path: str, headers: Headers) -> object:
        return http.HTTPStatus.FORBIDDEN, [], b""

    async with legacy_server(process_request=process_request) as server:
        with pytest.warns(DeprecationWarning, match="declare process_request as a coroutine"):
            assert await status_of(server) == 403


async def test_overridden_process_request() -> None:
    class Async(WebSocketServerProtocol):
        async def process_request(self, path: str, request_headers: Headers) -> object:
            return http.HTTPStatus.IM_A_TEAPOT, [], b""

    class Sync(WebSocketServerProtocol):
        def process_request(self, path: str, request_headers: Headers) -> object:  # type: ignore[override]
            return http.HTTPStatus.IM_A_TEAPOT, [], b""

    async with legacy_server(create_protocol=Async) as server:
        assert await status_of(server) == 418
    async with legacy_server(create_protocol=Sync) as server:
        with pytest.warns(DeprecationWarning, match="declare process_request as a coroutine"):
            assert await status_of(server) == 418


async def test_abort_handshake_from_handshake_override() -> None:
    class Aborting(WebSocketServerProtocol):
        async def process_request(self, path: str, request_headers: Headers) -> object:
            raise AbortHandshake(http.HTTPStatus.UNAUTHORIZED, {"X-A": "1"}, b"no")

    async with legacy_server(create_protocol=Aborting) as server:
        assert await status_of(server) == 401


async def test_process_request_error_gives_500(caplog: pytest.LogCaptureFixture) -> None:
    async def process_request(path: str, headers: Headers) -> object:
        raise ValueError("bug")

    with caplog.at_level(logging.ERROR, logger="websockets.server"):
        async with legacy_server(process_request=process_request) as server:
            assert await status_of(server) == 500
    assert "opening handshake failed" in caplog.text


# Response headers.


async def test_extra_headers() -> None:
    async with (
        legacy_server(extra_headers={"X-Server-Extra": "1"}) as server,
        connect(server_uri(server)) as ws,
    ):
        assert ws.response_headers["X-Server-Extra"] == "1"


async def test_extra_headers_callable() -> None:
    calls = []

    def extra_headers(path: str, request_headers: Headers) -> list[tuple[str, str]]:
        calls.append((path, request_headers["X-Client"]))
        return [("X-Echo", request_headers["X-Client"])]

    async with (
        legacy_server(extra_headers=extra_headers) as server,
        connect(server_uri(server, "/q"), extra_headers={"X-Client": "c1"}) as ws,
    ):
        assert ws.response_headers["X-Echo"] == "c1"
    assert calls == [("/q", "c1")]


async def test_server_header() -> None:
    async with legacy_server() as server, connect(server_uri(server)) as ws:
        assert ws.response_headers["Server"] == SERVER
    async with legacy_server(server_header=None) as server, connect(server_uri(server)) as ws:
        assert "Server" not in ws.response_headers
    async with legacy_server(server_header="mine/1") as server, connect(server_uri(server)) as ws:
        assert ws.response_headers["Server"] == "mine/1"
    # A Server header in extra_headers wins.
    async with (
        legacy_server(extra_headers={"Server": "extra"}) as server,
        connect(server_uri(server)) as ws,
    ):
        assert ws.response_headers.get_all("Server") == ["extra"]


# Origins.


async def test_origins() -> None:
    async with legacy_server(origins=["https://good.example"]) as server:
        assert await status_of(server, origin="https://good.example") == 101
        assert await status_of(server, origin="https://evil.example") == 403
        assert await status_of(server) == 403
    async with legacy_server(origins=["https://good.example", None]) as server:
        assert await status_of(server) == 101


async def test_empty_string_origin_is_deprecated_per_connection() -> None:
    with warnings.catch_warnings(record=True) as at_serve:
        warnings.simplefilter("always")
        serving = serve(echo, "127.0.0.1", 0, origins=[""])
    assert at_serve == []
    async with serving as server:
        for _ in range(2):
            with pytest.warns(DeprecationWarning, match="use None instead of '' in origins"):
                assert await status_of(server) == 101
        assert await status_of(server, origin="https://any.example") == 403


# Subprotocols.


@pytest.mark.parametrize(
    ("client", "server", "expected"),
    [
        (["a", "b", "c", "d"], ["d", "b", "c", "a"], "b"),
        (["a", "b"], ["b", "a"], "a"),
        (["x"], ["a", "b"], None),
        (["b"], ["a", "b"], "b"),
    ],
)
async def test_subprotocol_preferences_are_averaged(
    client: list[str], server: list[str], expected: str | None
) -> None:
    async with legacy_server(subprotocols=server) as ws_server:
        try:
            async with connect(server_uri(ws_server), subprotocols=client) as ws:
                assert ws.subprotocol == expected
        except InvalidStatusCode:
            pytest.fail("the legacy server accepts clients without a common subprotocol")


async def test_client_without_subprotocols_is_accepted() -> None:
    async with (
        legacy_server(subprotocols=["chat"]) as server,
        connect(server_uri(server)) as ws,
    ):
        assert ws.subprotocol is None


async def test_select_subprotocol_argument() -> None:
    calls: list[tuple[Sequence[str], Sequence[str]]] = []

    def select_subprotocol(client: Sequence[str], server: Sequence[str]) -> str:
        calls.append((client, server))
        return "b"

    async with (
        legacy_server(subprotocols=["a", "b"], select_subprotocol=select_subprotocol) as server,
        connect(server_uri(server), subprotocols=["a", "b"]) as ws,
    ):
        assert ws.subprotocol == "b"
    assert calls == [(["a", "b"], ["a", "b"])]


async def test_select_subprotocol_override() -> None:
    class Last(WebSocketServerProtocol):
        def select_subprotocol(self, client_subprotocols, server_subprotocols):  # type: ignore[no-untyped-def]
            return client_subprotocols[-1]

    async with (
        legacy_server(create_protocol=Last, subprotocols=["a", "b"]) as server,
        connect(server_uri(server), subprotocols=["a", "b"]) as ws,
    ):
        assert ws.subprotocol == "b"


# Invalid requests.


async def test_not_a_websocket_request_gets_426() -> None:
    async with legacy_server() as server:
        response = await raw_response(server, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    head, body = response.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 426 Upgrade Required\r\n")
    assert b"\r\nUpgrade: websocket\r\n" in head
    assert b"You need a WebSocket client." in body


async def test_invalid_key_gets_400() -> None:
    async with legacy_server() as server:
        response = await raw_response(
            server,
            b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n",
        )
    assert response.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"Sec-WebSocket-Key" in response


async def test_malformed_request_gets_400() -> None:
    async with legacy_server() as server:
        response = await raw_response(server, b"POST / HTTP/1.1\r\n\r\n")
    assert response.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert response.endswith(
        b"\r\n\r\nFailed to open a WebSocket connection: "
        b"did not receive a valid HTTP request; unsupported HTTP method: POST.\n"
    )


async def test_raw_handshake_succeeds() -> None:
    async with legacy_server(compression=None) as server, raw_connection(server) as (r, w):
        head = await raw_handshake(r, w)
        assert head.startswith(b"HTTP/1.1 101 Switching Protocols\r\n")
        assert b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" in head
        # A masked "hi" text frame comes back unmasked.
        w.write(b"\x81\x82\x00\x00\x00\x00hi")
        assert await r.readexactly(4) == b"\x81\x02hi"


async def test_open_timeout_closes_idle_connections() -> None:
    async with legacy_server(open_timeout=0.05) as server, raw_connection(server) as (r, _w):
        assert await asyncio.wait_for(r.read(), 2) == b""


async def test_client_leaving_before_request_is_rejected(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="websockets.server"):
        async with legacy_server() as server:
            async with raw_connection(server):
                pass
            await asyncio.sleep(0.02)
    messages = [record.getMessage() for record in caplog.records]
    assert "connection rejected (400 Bad Request)" in messages
    assert "connection closed" in messages


async def test_rejections_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="websockets.server"):
        async with legacy_server(origins=["https://good.example"]) as server:
            assert await status_of(server, origin="https://evil.example") == 403
    assert "connection rejected (403 Forbidden)" in caplog.text


# Deprecated and custom arguments.


async def test_deprecated_arguments() -> None:
    with pytest.warns(DeprecationWarning, match="rename timeout to close_timeout"):
        serving = serve(echo, "127.0.0.1", 0, timeout=2)
    async with serving as server, connect(server_uri(server)):
        (ws,) = server.websockets
        assert ws.close_timeout == 2
    with pytest.warns(DeprecationWarning, match="remove loop argument"):
        serve(echo, "127.0.0.1", 0, loop=asyncio.get_running_loop())


async def test_legacy_recv_argument_warns_for_each_connection() -> None:
    results: asyncio.Queue[object] = asyncio.Queue()

    async def handler(ws: WebSocketServerProtocol) -> None:
        await ws.close()
        await results.put(await ws.recv())

    async with legacy_server(handler, legacy_recv=True) as server:
        with pytest.warns(DeprecationWarning, match="legacy_recv is deprecated"):
            async with connect(server_uri(server)):
                assert await asyncio.wait_for(results.get(), 2) is None


async def test_klass_and_create_protocol() -> None:
    class Custom(WebSocketServerProtocol):
        pass

    with pytest.warns(DeprecationWarning, match="rename klass to create_protocol"):
        serving = serve(echo, "127.0.0.1", 0, klass=Custom)
    async with serving as server, connect(server_uri(server)):
        assert {type(ws) for ws in server.websockets} == {Custom}
    async with legacy_server(create_protocol=Custom) as server, connect(server_uri(server)):
        assert {type(ws) for ws in server.websockets} == {Custom}


async def test_server_options_reach_connections() -> None:
    async with (
        legacy_server(ping_interval=None, max_size=7, max_queue=1, compression=None) as server,
        connect(server_uri(server)),
    ):
        (ws,) = server.websockets
        assert (ws.ping_interval, ws.max_size, ws.max_queue) == (None, 7, 1)
        assert ws.extensions == []
    with pytest.raises(ValueError, match="unsupported compression"):
        serve(echo, "127.0.0.1", 0, compression="lz4")


# Closing after the handler.


async def test_server_half_closes_then_waits_before_closing_tcp() -> None:
    # A peer that never answers: close_timeout for the close frame, then close_timeout
    # after the half-close, then TCP is closed.
    connections: list[WebSocketServerProtocol] = []

    async def leave(ws: WebSocketServerProtocol) -> None:
        connections.append(ws)

    async with (
        legacy_server(leave, close_timeout=0.2) as server,
        raw_connection(server) as (
            reader,
            writer,
        ),
    ):
        await raw_handshake(reader, writer)
        start = asyncio.get_running_loop().time()
        async with asyncio.timeout(5):
            while not connections:
                await asyncio.sleep(0.01)
            await connections[0].wait_closed()
        elapsed = asyncio.get_running_loop().time() - start
        assert 0.35 < elapsed < 2


async def test_failing_close_after_the_handler_still_closes_tcp(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class FailingClose(WebSocketServerProtocol):
        async def close(self, code: int = 1000, reason: str = "") -> None:
            raise RuntimeError("close failed")

    async def leave(ws: WebSocketServerProtocol) -> None:
        pass

    caplog.set_level(logging.INFO)
    async with (
        asyncio.timeout(5),
        legacy_server(leave, create_protocol=FailingClose) as server,
        connect(server_uri(server), close_timeout=1) as ws,
    ):
        await ws.wait_closed()
        assert ws.close_code == 1006
    assert "closing handshake failed" in caplog.text
    assert "connection closed" in caplog.text
