"""Low-level tooling that still imports modules renamed or removed over the years."""

import websockets
import websockets.auth
from websockets import framing
from websockets.uri import WebSocketURI
from websockets.protocol import Protocol, State
from websockets.datastructures import Headers, MultipleValuesError
from websockets.http import read_request
import websockets.uri


def target(uri: str) -> WebSocketURI:
    return websockets.uri.parse_uri(uri)


def build_headers(token: str) -> Headers:
    headers = Headers()
    headers["Authorization"] = f"Bearer {token}"
    try:
        headers.get_all("Cookie")
    except MultipleValuesError:
        pass
    return headers


def is_open(connection: Protocol) -> bool:
    return connection.state is State.OPEN


def opcode_names() -> list[str]:
    return [op.name for op in framing.Opcode]


def check_key(key: str) -> None:
    websockets.handshake.check_request(Headers({"Sec-WebSocket-Key": key}))


async def parse(stream):
    return await read_request(stream)


def authenticate(credentials):
    return websockets.auth.basic_auth_protocol_factory(credentials=credentials)
