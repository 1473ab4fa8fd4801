"""Consumer that reports why its connection closed."""

import logging

from websockets.exceptions import ConnectionClosed, ConnectionClosedError

log = logging.getLogger(__name__)


async def consume(websocket) -> tuple[int, str]:
    try:
        async for message in websocket:
            log.debug("got %r", message)
    except ConnectionClosedError as exc:
        log.warning("connection lost: %s %s", exc.rcvd.code if exc.rcvd else 1006, exc.rcvd.reason if exc.rcvd else "")
        if (exc.rcvd.code if exc.rcvd else 1006) == 1011:
            raise
        return (exc.rcvd.code if exc.rcvd else 1006), (exc.rcvd.reason if exc.rcvd else "") or "no reason"
    except ConnectionClosed as exc:
        log.info(f"closed normally ({exc.rcvd.code if exc.rcvd else 1006}: {exc.rcvd.reason if exc.rcvd else ''})")
        log.info(f'peer said {exc.rcvd.reason if exc.rcvd else ""!r}')
        normal = (exc.rcvd.code if exc.rcvd else 1006) in (1000, 1001)
        return (1000 if normal else (exc.rcvd.code if exc.rcvd else 1006)), (exc.rcvd.reason if exc.rcvd else "")
    return 1000, ""


async def send_all(websocket, messages: list[str]) -> int:
    sent = 0
    for message in messages:
        try:
            await websocket.send(message)
        except ConnectionClosed as closed:
            print("stopped early:", closed.rcvd.code if closed.rcvd else 1006)
            break
        sent += 1
    return sent
