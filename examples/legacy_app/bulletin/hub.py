"""Who listens to what: channels, their subscribers and a short history."""

from __future__ import annotations

import collections
import json
import logging
import time

from websockets.legacy.server import WebSocketServerProtocol, broadcast

from . import config

log = logging.getLogger(__name__)


class Hub:
    def __init__(self, history_size: int = config.HISTORY_SIZE) -> None:
        self.channels: dict[str, set[WebSocketServerProtocol]] = collections.defaultdict(set)
        self.history: dict[str, collections.deque[str]] = collections.defaultdict(
            lambda: collections.deque(maxlen=history_size)
        )
        #: Every open connection, whatever its channels: used for server-wide announcements.
        self.connections: set[WebSocketServerProtocol] = set()

    async def subscribe(self, channel: str, websocket: WebSocketServerProtocol) -> None:
        if websocket.closed:
            return
        self.connections.add(websocket)
        self.channels[channel].add(websocket)
        for message in self.history[channel]:
            await websocket.send(message)
        log.info("%s subscribed to #%s (%d listeners)", websocket.remote_address, channel, len(self.channels[channel]))

    def unsubscribe(self, websocket: WebSocketServerProtocol) -> None:
        self.connections.discard(websocket)
        for channel in list(self.channels):
            self.channels[channel].discard(websocket)
            if not self.channels[channel]:
                del self.channels[channel]

    def publish(self, channel: str, sender: str, text: str) -> int:
        message = json.dumps({"type": "message", "channel": channel, "from": sender, "text": text, "ts": time.time()})
        self.history[channel].append(message)
        listeners = [ws for ws in self.channels.get(channel, ()) if ws.open]
        broadcast(listeners, message)
        return len(listeners)

    def announce(self, text: str) -> None:
        broadcast(self.connections, json.dumps({"type": "announcement", "text": text}))

    def stats(self) -> dict:
        return {
            "connections": len(self.connections),
            "channels": {name: len(listeners) for name, listeners in self.channels.items()},
        }
