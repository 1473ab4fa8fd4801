"""Consumer that reports why its connection closed."""

import logging

from websockets.exceptions import ConnectionClosed, ConnectionClosedError

log = logging.getLogger(__name__)


async def consume(websocket) -> tuple[int, str]:
    try:
        async for message in websocket:
            log.debug("got %r", message)
    except ConnectionClosedError as exc:
        log.warning("connection lost: %s %s", exc.code, exc.reason)
        if exc.code == 1011:
            raise
        return exc.code, exc.reason or "no reason"
    except ConnectionClosed as exc:
        log.info(f"closed normally ({exc.code}: {exc.reason})")
        log.info(f'peer said {exc.reason!r}')
        normal = exc.code in (1000, 1001)
        return (1000 if normal else exc.code), exc.reason
    return 1000, ""


async def send_all(websocket, messages: list[str]) -> int:
    sent = 0
    for message in messages:
        try:
            await websocket.send(message)
        except ConnectionClosed as closed:
            print("stopped early:", closed.code)
            break
        sent += 1
    return sent
