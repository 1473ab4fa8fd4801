"""HTTP Basic Authentication for the legacy server."""

from __future__ import annotations

import base64
import http
import warnings

import pytest
from legacy_helpers import legacy_server, raw_connection, server_uri

from websockets_impl.datastructures import Headers

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from websockets_impl.legacy.auth import (
        BasicAuthWebSocketServerProtocol,
        basic_auth_protocol_factory,
    )
    from websockets_impl.legacy.client import connect
    from websockets_impl.legacy.exceptions import InvalidStatusCode
    from websockets_impl.legacy.server import WebSocketServer, WebSocketServerProtocol


async def send_username(ws: WebSocketServerProtocol) -> None:
    assert isinstance(ws, BasicAuthWebSocketServerProtocol)
    await ws.send(ws.username or "")


def with_credentials(server: WebSocketServer, username: str, password: str) -> str:
    return server_uri(server).replace("ws://", f"ws://{username}:{password}@")


async def rejection(uri: str, **kwargs: object) -> InvalidStatusCode:
    with pytest.raises(InvalidStatusCode) as raised:
        await connect(uri, **kwargs)  # type: ignore[arg-type]
    return raised.value


async def test_credentials_pair() -> None:
    factory = basic_auth_protocol_factory(realm="vault", credentials=("alice", "s3cret"))
    async with legacy_server(send_username, create_protocol=factory) as server:
        async with connect(with_credentials(server, "alice", "s3cret")) as ws:
            assert await ws.recv() == "alice"
        exc = await rejection(with_credentials(server, "alice", "wrong"))
        assert exc.status_code == 401
        assert exc.headers["WWW-Authenticate"] == 'Basic realm="vault", charset="UTF-8"'
        exc = await rejection(with_credentials(server, "mallory", "s3cret"))
        assert exc.status_code == 401
        exc = await rejection(server_uri(server))
        assert exc.status_code == 401


async def test_credentials_list_and_non_ascii_password() -> None:
    factory = basic_auth_protocol_factory(credentials=[("a", "1"), ("b", "pässword")])
    async with legacy_server(send_username, create_protocol=factory) as server:
        async with connect(with_credentials(server, "a", "1")) as ws:
            assert await ws.recv() == "a"
        token = base64.b64encode("b:pässword".encode()).decode()
        headers = {"Authorization": f"Basic {token}"}
        async with connect(server_uri(server), extra_headers=headers) as ws:
            assert await ws.recv() == "b"
        assert (await rejection(with_credentials(server, "b", "1"))).status_code == 401


async def test_check_credentials_coroutine() -> None:
    checked = []

    async def check_credentials(username: str, password: str) -> bool:
        checked.append((username, password))
        return password == f"{username}-pw"

    factory = basic_auth_protocol_factory(check_credentials=check_credentials)
    async with legacy_server(send_username, create_protocol=factory) as server:
        async with connect(with_credentials(server, "bob", "bob-pw")) as ws:
            assert await ws.recv() == "bob"
        await rejection(with_credentials(server, "bob", "nope"))
    assert checked == [("bob", "bob-pw"), ("bob", "nope")]


async def test_response_bodies() -> None:
    factory = basic_auth_protocol_factory(credentials=("u", "p"))
    requests = {
        b"": b"Missing credentials\n",
        b"Authorization: Bearer abc\r\n": b"Unsupported credentials\n",
        b"Authorization: Basic dTp4\r\n": b"Invalid credentials\n",
    }
    async with legacy_server(send_username, create_protocol=factory) as server:
        for header, body in requests.items():
            async with raw_connection(server) as (reader, writer):
                writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n" + header + b"\r\n")
                response = await reader.read()
            assert response.startswith(b"HTTP/1.1 401 Unauthorized\r\n")
            assert b'\r\nWWW-Authenticate: Basic realm="", charset="UTF-8"\r\n' in response
            assert response.endswith(b"\r\n\r\n" + body)


async def test_process_request_argument_runs_after_authentication() -> None:
    seen = []

    async def process_request(path: str, headers: Headers) -> object:
        seen.append(path)
        if path == "/closed":
            return http.HTTPStatus.NOT_FOUND, [], b""
        return None

    factory = basic_auth_protocol_factory(credentials=("u", "p"))
    async with legacy_server(create_protocol=factory, process_request=process_request) as server:
        assert (await rejection(server_uri(server, "/closed"))).status_code == 401
        assert seen == []
        uri = with_credentials(server, "u", "p")
        assert (await rejection(uri + "closed")).status_code == 404
        async with connect(uri):
            pass
    assert seen == ["/closed", "/"]


async def test_custom_protocol_subclass() -> None:
    class Custom(BasicAuthWebSocketServerProtocol):
        async def check_credentials(self, username: str, password: str) -> bool:
            # Extends the check given to the factory instead of replacing it.
            return username != "banned" and await super().check_credentials(username, password)

    async def check_credentials(username: str, password: str) -> bool:
        return password == "pw"

    factory = basic_auth_protocol_factory(
        realm="r", check_credentials=check_credentials, create_protocol=Custom
    )
    async with legacy_server(send_username, create_protocol=factory) as server:
        async with connect(with_credentials(server, "root", "pw")) as ws:
            assert await ws.recv() == "root"
        assert {type(ws) for ws in server.websockets} <= {Custom}
        await rejection(with_credentials(server, "banned", "pw"))
        await rejection(with_credentials(server, "root", "other"))


async def test_protocol_used_directly() -> None:
    class Hardcoded(BasicAuthWebSocketServerProtocol):
        realm = "hard"

        async def check_credentials(self, username: str, password: str) -> bool:
            return (username, password) == ("x", "y")

    async with legacy_server(send_username, create_protocol=Hardcoded) as server:
        async with connect(with_credentials(server, "x", "y")) as ws:
            assert await ws.recv() == "x"
        exc = await rejection(server_uri(server))
        assert exc.headers["WWW-Authenticate"].startswith('Basic realm="hard"')


async def test_default_check_credentials_rejects_everything() -> None:
    async with legacy_server(create_protocol=BasicAuthWebSocketServerProtocol) as server:
        assert (await rejection(with_credentials(server, "a", "b"))).status_code == 401


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"credentials": ("a", "b"), "check_credentials": lambda u, p: True},
        {"credentials": "a:b"},
        {"credentials": [("a", "b"), ("c",)]},
        {"credentials": 42},
    ],
)
def test_factory_argument_errors(kwargs: dict[str, object]) -> None:
    with pytest.raises(TypeError):
        basic_auth_protocol_factory(**kwargs)  # type: ignore[arg-type]
