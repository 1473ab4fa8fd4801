"""Settings, read once from the environment."""

from __future__ import annotations

import os

HOST = os.environ.get("BULLETIN_HOST", "localhost")
PORT = int(os.environ.get("BULLETIN_PORT", "8765"))
REALM = os.environ.get("BULLETIN_REALM", "bulletin")

#: Origins allowed to open a websocket from a browser (clients that send no Origin
#: header at all, like the CLI, are let in by the server as well).
ORIGINS = [
    origin.strip()
    for origin in os.environ.get("BULLETIN_ORIGINS", "http://localhost:8000").split(",")
    if origin.strip()
]

#: Subprotocols in order of preference; v1 clients cannot publish.
SUBPROTOCOLS = ["bulletin.v2", "bulletin.v1"]

#: How many recent messages a new subscriber receives per channel.
HISTORY_SIZE = int(os.environ.get("BULLETIN_HISTORY", "20"))


def load_users(spec: str | None = None) -> dict[str, str]:
    """Parse ``BULLETIN_USERS="alice:wonderland,bob:builder"`` into {user: password}."""
    spec = os.environ.get("BULLETIN_USERS", "alice:wonderland,bob:builder") if spec is None else spec
    users = {}
    for entry in spec.split(","):
        name, sep, password = entry.strip().partition(":")
        if name and sep:
            users[name] = password
    return users


#: Users who may publish; everybody else only subscribes.
PUBLISHERS = set(os.environ.get("BULLETIN_PUBLISHERS", "alice").split(","))
