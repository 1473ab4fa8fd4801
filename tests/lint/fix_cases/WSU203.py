"""Router that dispatches connections on their request path."""

import asyncio
import logging
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection, serve

log = logging.getLogger(__name__)
ROUTES = {}


def route(path):
    def register(handler):
        ROUTES[path] = handler
        return handler

    return register


@route("/echo")
async def echo(websocket: ServerConnection) -> None:
    async for message in websocket:
        await websocket.send(f"{websocket.path}: {message}")


def query(websocket: ServerConnection) -> dict[str, list[str]]:
    return parse_qs(urlsplit(websocket.path).query)


async def dispatch(websocket):
    log.info("new connection on %s", websocket.path)
    if websocket.path == "/health":
        await websocket.close()
        return
    handler = ROUTES.get(websocket.path.split("?")[0].rstrip("/"))
    if handler is None:
        await websocket.close(1008, f"no route for {websocket.path!r}")
        return
    await handler(websocket)


async def main() -> None:
    async with serve(dispatch, "", 8000):
        await asyncio.Future()


def reroute(ws: ServerConnection) -> None:
    # Assigning the attribute gets a hint only.
    ws.path = "/v2"
