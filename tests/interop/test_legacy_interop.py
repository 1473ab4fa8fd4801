"""The legacy implementation against other implementations, over 127.0.0.1.

- our legacy client against upstream's new and legacy servers and our new server;
- our legacy server against upstream's new and legacy clients and our new client.

Upstream ``websockets`` (17.4) is only used as a black-box peer.
"""

from __future__ import annotations

import asyncio
import importlib.util
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import websockets.asyncio.client as upstream_client
    import websockets.asyncio.server as upstream_server
    import websockets.exceptions as upstream_exceptions
    import websockets.legacy.auth as upstream_legacy_auth
    import websockets.legacy.client as upstream_legacy_client
    import websockets.legacy.exceptions as upstream_legacy_exceptions
    import websockets.legacy.server as upstream_legacy_server

    from websockets_impl import exceptions as our_exceptions
    from websockets_impl.legacy.auth import basic_auth_protocol_factory
    from websockets_impl.legacy.client import connect
    from websockets_impl.legacy.exceptions import InvalidStatusCode
    from websockets_impl.legacy.server import WebSocketServerProtocol, serve

OUR_NEW_MISSING = importlib.util.find_spec("websockets_impl.asyncio.server") is None
needs_our_new = pytest.mark.skipif(
    OUR_NEW_MISSING, reason="websockets_impl.asyncio isn't written yet"
)
if not OUR_NEW_MISSING:
    import websockets_impl.asyncio.client as our_new_client
    import websockets_impl.asyncio.server as our_new_server

USER, PASSWORD = "alice", "s3cret"


def request_headers(ws: Any) -> Mapping[str, str]:
    request = getattr(ws, "request", None)
    return ws.request_headers if request is None else request.headers


def request_path(ws: Any) -> str:
    request = getattr(ws, "request", None)
    return str(ws.path if request is None else request.path)


async def echo(ws: Any) -> None:
    async for message in ws:
        await ws.send(message)


async def report(ws: Any) -> None:
    """Send the path, the X-Token request header and the subprotocol, then echo."""
    await ws.send(f"{request_path(ws)} {request_headers(ws).get('X-Token')} {ws.subprotocol}")
    await echo(ws)


@dataclass(frozen=True)
class ServerPeer:
    """A server implementation and how to configure it the way the tests need."""

    name: str
    serve: Callable[..., Any]
    basic_auth: Callable[[], dict[str, Any]]
    response_header: Callable[[str, str], dict[str, Any]]
    marks: list[Any] = field(default_factory=list)


def new_api_response_header(name: str, value: str) -> dict[str, Any]:
    def process_response(connection: Any, request: Any, response: Any) -> None:
        response.headers[name] = value

    return {"process_response": process_response}


SERVER_PEERS = [
    ServerPeer(
        "upstream-new",
        upstream_server.serve,
        lambda: {"process_request": upstream_server.basic_auth(credentials=(USER, PASSWORD))},
        new_api_response_header,
    ),
    ServerPeer(
        "upstream-legacy",
        upstream_legacy_server.serve,
        lambda: {
            "create_protocol": upstream_legacy_auth.basic_auth_protocol_factory(
                credentials=(USER, PASSWORD)
            )
        },
        lambda name, value: {"extra_headers": {name: value}},
    ),
    ServerPeer(
        "ours-new",
        our_new_server.serve if not OUR_NEW_MISSING else None,  # type: ignore[arg-type]
        lambda: {"process_request": our_new_server.basic_auth(credentials=(USER, PASSWORD))},
        new_api_response_header,
        marks=[needs_our_new],
    ),
]


@dataclass(frozen=True)
class ClientPeer:
    """A client implementation and how to read what the tests check on it."""

    name: str
    connect: Callable[..., Any]
    headers_argument: str
    rejections: tuple[type[Exception], ...]
    marks: list[Any] = field(default_factory=list)

    def status(self, exc: Exception) -> int:
        response = getattr(exc, "response", None)
        return int(exc.status_code if response is None else response.status_code)  # type: ignore[attr-defined]

    def response_headers(self, ws: Any) -> Mapping[str, str]:
        response = getattr(ws, "response", None)
        return ws.response_headers if response is None else response.headers


CLIENT_PEERS = [
    ClientPeer(
        "upstream-new",
        upstream_client.connect,
        "additional_headers",
        (upstream_exceptions.InvalidStatus,),
    ),
    ClientPeer(
        "upstream-legacy",
        upstream_legacy_client.connect,
        "extra_headers",
        (upstream_legacy_exceptions.InvalidStatusCode,),
    ),
    ClientPeer(
        "ours-new",
        our_new_client.connect if not OUR_NEW_MISSING else None,  # type: ignore[arg-type]
        "additional_headers",
        (our_exceptions.InvalidStatus,),
        marks=[needs_our_new],
    ),
]

server_peers = pytest.mark.parametrize(
    "peer", [pytest.param(p, id=p.name, marks=p.marks) for p in SERVER_PEERS]
)
client_peers = pytest.mark.parametrize(
    "peer", [pytest.param(p, id=p.name, marks=p.marks) for p in CLIENT_PEERS]
)


async def start(serve_function: Callable[..., Any], handler: Any, **kwargs: Any) -> Any:
    server = await serve_function(handler, "127.0.0.1", 0, **kwargs)
    host, port = server.sockets[0].getsockname()[:2]
    server.uri = f"ws://{host}:{port}"
    return server


async def stop(server: Any) -> None:
    server.close()
    await asyncio.wait_for(server.wait_closed(), 5)


# Our legacy client against other servers.


@server_peers
async def test_legacy_client_messages(peer: ServerPeer) -> None:
    server = await start(peer.serve, echo)
    try:
        async with connect(server.uri + "/", close_timeout=1) as ws:
            for message in ["café", b"\x00\xff", "x" * 200_000]:
                await ws.send(message)
                assert await ws.recv() == message
            await ws.send(["frag", "mented"])
            assert await ws.recv() == "fragmented"
            latency = await asyncio.wait_for(await ws.ping(), 2)
            assert latency >= 0
            assert [ext.name for ext in ws.extensions] == ["permessage-deflate"]
        assert ws.close_code == 1000
    finally:
        await stop(server)


@server_peers
async def test_legacy_client_headers_path_subprotocol(peer: ServerPeer) -> None:
    server = await start(
        peer.serve,
        report,
        subprotocols=["chat", "superchat"],
        **peer.response_header("X-Served-By", "peer"),
    )
    try:
        async with connect(
            server.uri + "/room?id=1",
            extra_headers={"X-Token": "t0k3n"},
            subprotocols=["superchat"],
            close_timeout=1,
        ) as ws:
            assert await ws.recv() == "/room?id=1 t0k3n superchat"
            assert ws.subprotocol == "superchat"
            assert ws.response_headers["X-Served-By"] == "peer"
    finally:
        await stop(server)


@server_peers
async def test_legacy_client_close_codes(peer: ServerPeer) -> None:
    server_saw: asyncio.Future[tuple[int | None, str | None]] = (
        asyncio.get_running_loop().create_future()
    )

    async def handler(ws: Any) -> None:
        if request_path(ws) == "/server-closes":
            await ws.close(4001, "server says bye")
        else:
            await ws.wait_closed()
            server_saw.set_result((ws.close_code, ws.close_reason))

    server = await start(peer.serve, handler)
    try:
        async with connect(server.uri + "/server-closes", close_timeout=1) as ws:
            with pytest.raises(our_exceptions.ConnectionClosedError):
                await ws.recv()
        assert (ws.close_code, ws.close_reason) == (4001, "server says bye")

        async with connect(server.uri + "/client-closes", close_timeout=1) as ws:
            await ws.close(4002, "client says bye")
        assert await asyncio.wait_for(server_saw, 2) == (4002, "client says bye")
    finally:
        await stop(server)


@server_peers
async def test_legacy_client_basic_auth(peer: ServerPeer) -> None:
    server = await start(peer.serve, echo, **peer.basic_auth())
    try:
        uri = server.uri.replace("ws://", f"ws://{USER}:{PASSWORD}@") + "/"
        async with connect(uri, close_timeout=1) as ws:
            await ws.send("authenticated")
            assert await ws.recv() == "authenticated"
        with pytest.raises(InvalidStatusCode) as raised:
            await connect(server.uri.replace("ws://", f"ws://{USER}:wrong@") + "/")
        assert raised.value.status_code == 401
        assert raised.value.headers["WWW-Authenticate"].startswith("Basic realm=")
    finally:
        await stop(server)


# Other clients against our legacy server.


def legacy_server_kwargs(**kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("close_timeout", 1)
    return kwargs


@client_peers
async def test_legacy_server_messages(peer: ClientPeer) -> None:
    server = await start(serve, echo, **legacy_server_kwargs())
    try:
        async with peer.connect(server.uri + "/") as ws:
            for message in ["café", b"\x00\xff", "y" * 200_000]:
                await ws.send(message)
                assert await ws.recv() == message
            await ws.send(["frag", "mented"])
            assert await ws.recv() == "fragmented"
            await asyncio.wait_for(await ws.ping(), 2)
        assert ws.close_code == 1000
    finally:
        await stop(server)


@client_peers
async def test_legacy_server_headers_path_subprotocol(peer: ClientPeer) -> None:
    def extra_headers(path: str, headers: Any) -> dict[str, str]:
        return {"X-Path": path, "X-Echo-Token": headers["X-Token"]}

    server = await start(
        serve,
        report,
        **legacy_server_kwargs(subprotocols=["d", "b", "c", "a"], extra_headers=extra_headers),
    )
    try:
        async with peer.connect(
            server.uri + "/room?id=2",
            subprotocols=["a", "b", "c", "d"],
            **{peer.headers_argument: {"X-Token": "abc"}},
        ) as ws:
            # Preferences are averaged: b ranks 1 + 1, better than a, c or d.
            assert await ws.recv() == "/room?id=2 abc b"
            assert ws.subprotocol == "b"
            headers = peer.response_headers(ws)
            assert headers["X-Path"] == "/room?id=2"
            assert headers["X-Echo-Token"] == "abc"
    finally:
        await stop(server)


@client_peers
async def test_legacy_server_close_codes(peer: ClientPeer) -> None:
    server_saw: asyncio.Future[tuple[int | None, str | None]] = (
        asyncio.get_running_loop().create_future()
    )

    async def handler(ws: WebSocketServerProtocol) -> None:
        if ws.path == "/server-closes":
            await ws.close(4003, "legacy server says bye")
        else:
            await ws.wait_closed()
            server_saw.set_result((ws.close_code, ws.close_reason))

    server = await start(serve, handler, **legacy_server_kwargs())
    try:
        async with peer.connect(server.uri + "/server-closes") as ws:
            with pytest.raises(Exception, match="4003"):
                await ws.recv()
        assert (ws.close_code, ws.close_reason) == (4003, "legacy server says bye")

        async with peer.connect(server.uri + "/client-closes") as ws:
            await ws.close(4004, "client says bye")
        assert await asyncio.wait_for(server_saw, 2) == (4004, "client says bye")
    finally:
        await stop(server)


@client_peers
async def test_legacy_server_handler_error_closes_with_1011(peer: ClientPeer) -> None:
    async def handler(ws: WebSocketServerProtocol) -> None:
        raise RuntimeError("handler bug")

    server = await start(serve, handler, **legacy_server_kwargs())
    try:
        async with peer.connect(server.uri + "/") as ws:
            await asyncio.wait_for(ws.wait_closed(), 2)
        assert ws.close_code == 1011
    finally:
        await stop(server)


@client_peers
async def test_legacy_server_basic_auth(peer: ClientPeer) -> None:
    async def username(ws: Any) -> None:
        await ws.send(ws.username)

    factory = basic_auth_protocol_factory(realm="interop", credentials=(USER, PASSWORD))
    server = await start(serve, username, **legacy_server_kwargs(create_protocol=factory))
    try:
        uri = server.uri.replace("ws://", f"ws://{USER}:{PASSWORD}@") + "/"
        async with peer.connect(uri) as ws:
            assert await ws.recv() == USER
        with pytest.raises(peer.rejections) as raised:
            await peer.connect(server.uri + "/")
        assert peer.status(raised.value) == 401
    finally:
        await stop(server)


@client_peers
async def test_legacy_server_process_request(peer: ClientPeer) -> None:
    async def process_request(path: str, headers: Any) -> Any:
        if path == "/forbidden":
            return 403, [("X-Reason", "nope")], b"Forbidden\n"
        return None

    server = await start(serve, echo, **legacy_server_kwargs(process_request=process_request))
    try:
        with pytest.raises(peer.rejections) as raised:
            await peer.connect(server.uri + "/forbidden")
        assert peer.status(raised.value) == 403
        async with peer.connect(server.uri + "/allowed") as ws:
            await ws.send("ok")
            assert await ws.recv() == "ok"
    finally:
        await stop(server)


async def test_legacy_client_and_legacy_server_without_compression() -> None:
    server = await start(serve, echo, **legacy_server_kwargs(compression=None))
    try:
        ws = await connect(server.uri + "/", compression=None, close_timeout=1)
        await ws.send(b"plain")
        assert await ws.recv() == b"plain"
        assert ws.extensions == []
        await ws.close()
    finally:
        await stop(server)
