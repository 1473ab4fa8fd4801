"""HTTP Basic authentication for the websocket endpoint."""

from __future__ import annotations

import hmac
import logging

from websockets.legacy.auth import BasicAuthWebSocketServerProtocol

from . import config

log = logging.getLogger(__name__)

USERS = config.load_users()


async def check_credentials(username: str, password: str) -> bool:
    expected = USERS.get(username)
    if expected is None or not hmac.compare_digest(expected, password):
        log.warning("failed login for %r", username)
        return False
    return True


class BulletinProtocol(BasicAuthWebSocketServerProtocol):
    """The connection class: knows the authenticated user and what they may do."""

    @property
    def can_publish(self) -> bool:
        return self.username in config.PUBLISHERS and self.subprotocol != "bulletin.v1"

    def describe(self) -> str:
        host, port = self.remote_address[:2]
        return f"{self.username}@{host}:{port}{self.path}"
