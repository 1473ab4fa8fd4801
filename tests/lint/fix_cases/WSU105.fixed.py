"""Client of a REST+WebSocket API that reports handshake failures."""

import logging

import websockets
import websockets.sync.client
from websockets.exceptions import AbortHandshake, InvalidStatus
from websockets.exceptions import ProtocolError as ProtoError

log = logging.getLogger(__name__)


async def subscribe(uri: str) -> int | None:
    try:
        async with websockets.connect(uri) as ws:
            await ws.send('{"op": "subscribe"}')
            return len(await ws.recv())
    except InvalidStatus as exc:
        if exc.response.status_code == 429:
            log.warning("rate limited, retry after %s", exc.response.headers.get("Retry-After"))
            return None
        log.error("rejected with %d", exc.response.status_code)
        raise
    except ProtoError:
        log.exception("protocol violation")
        return None


def classify(exc: Exception) -> str:
    if isinstance(exc, websockets.exceptions.ProtocolError):
        return "protocol"
    if isinstance(exc, websockets.InvalidStatus):
        return "http"
    return "other"


def deny(path: str) -> None:
    raise AbortHandshake(403, [], f"{path} is private".encode())


def redirect() -> None:
    raise websockets.exceptions.RedirectHandshake("wss://new.example.com/")


def poll(uri: str) -> int | None:
    # The threading client raises InvalidStatus already: the clause never matched.
    try:
        with websockets.sync.client.connect(uri) as ws:
            return len(ws.recv())
    except websockets.exceptions.InvalidStatus as exc:
        return exc.response.status_code
