"""A threading client and server (websockets.sync): ``open`` is gone there too."""

from websockets.sync.client import connect, reconnect
from websockets.sync.server import ServerConnection


def poll(uri: str) -> None:
    with connect(uri) as websocket:
        while websocket.open:
            websocket.send("ping")
            websocket.recv()


def first_open(uri: str) -> bool:
    for websocket in reconnect(uri):
        return websocket.open
    return False


def status(websocket: ServerConnection) -> str:
    return "up" if websocket.open else "down"


def pretend_open(websocket: ServerConnection) -> None:
    # Test double: assigning the attribute gets a hint only.
    websocket.open = True
