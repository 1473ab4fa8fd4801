"""A threading client and server (websockets.sync): ``open`` is gone there too."""

from websockets.sync.client import connect, reconnect
from websockets.sync.server import ServerConnection
from websockets.protocol import State


def poll(uri: str) -> None:
    with connect(uri) as websocket:
        while websocket.state is State.OPEN:
            websocket.send("ping")
            websocket.recv()


def first_open(uri: str) -> bool:
    for websocket in reconnect(uri):
        return websocket.state is State.OPEN
    return False


def status(websocket: ServerConnection) -> str:
    return "up" if websocket.state is State.OPEN else "down"


def pretend_open(websocket: ServerConnection) -> None:
    # Test double: assigning the attribute gets a hint only.
    websocket.open = True
