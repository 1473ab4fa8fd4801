"""HTTP Basic Auth with a ``BasicAuthWebSocketServerProtocol`` subclass.

``VaultProtocol`` sets ``realm`` and overrides ``check_credentials`` (a coroutine that
looks the user up in a table and logs each attempt, using nothing of ``self``); it is
installed with ``create_protocol=``. Clients with the right password are greeted by
``websocket.username``; a wrong password or none is refused with 401 and a challenge for
the realm. The fix turns the override into a module-level coroutine function and the
argument into ``process_request=basic_auth(realm=..., check_credentials=...)``.
"""
# migration: auto
# rules: WSU101, WSU105, WSU304, WSU404, WSU411
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: websockets_impl.exceptions.InvalidStatusCode is deprecated

import asyncio

from websockets.exceptions import InvalidStatusCode
from websockets.legacy.auth import BasicAuthWebSocketServerProtocol
from websockets.legacy.client import connect
from websockets.legacy.server import serve

USERS = {"alice": "s3cret", "bob": "hunter2"}
attempts = []


class VaultProtocol(BasicAuthWebSocketServerProtocol):
    """Only vault users get in."""

    realm = "vault"

    async def check_credentials(self, username, password):
        attempts.append(username)
        await asyncio.sleep(0)
        return USERS.get(username) == password


async def handler(websocket):
    await websocket.send(f"hello {websocket.username}")


async def main():
    async with serve(handler, "127.0.0.1", 0, create_protocol=VaultProtocol) as server:
        port = server.sockets[0].getsockname()[1]
        for credentials in ["alice:s3cret@", "bob:guess@", "", "bob:hunter2@"]:
            label = credentials.rstrip("@") or "anonymous"
            try:
                async with connect(f"ws://{credentials}127.0.0.1:{port}/") as websocket:
                    print(f"{label}: {await websocket.recv()}")
            except InvalidStatusCode as exc:
                challenge = exc.headers.get("WWW-Authenticate")
                print(f"{label}: refused with {exc.status_code} ({challenge})")
    print("checked:", ", ".join(attempts))


asyncio.run(main())
