"""protocol_subclass.py migrated by hand.

The API key check is a ``process_request`` function that stores the tenant on the
connection; the client subclass derives from ``ClientConnection`` and is installed
with ``create_connection=``.
"""

import asyncio
import http

from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import serve
from websockets.exceptions import InvalidHandshake

API_KEYS = {"k-123": "acme", "k-456": "globex"}


def check_api_key(connection, request):
    tenant = API_KEYS.get(request.headers.get("X-Api-Key", ""))
    if tenant is None:
        return connection.respond(http.HTTPStatus.FORBIDDEN, "unknown API key\n")
    connection.tenant = tenant
    return None


class CountingClient(ClientConnection):
    received = 0

    async def recv(self, decode=None):
        message = await super().recv(decode)
        self.received += 1
        return message


async def report(websocket):
    for topic in ["invoices", "orders"]:
        await websocket.send(f"{websocket.tenant}: {topic} ready")


async def main():
    async with serve(report, "127.0.0.1", 0, process_request=check_api_key) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/reports"
        for key in ["k-123", "k-456", "k-000"]:
            try:
                async with connect(
                    uri, additional_headers={"X-Api-Key": key}, create_connection=CountingClient
                ) as websocket:
                    print(await websocket.recv())
                    print(await websocket.recv())
                    print(f"{key}: received {websocket.received} messages")
            except InvalidHandshake as exc:
                print(f"{key}: {exc}")


asyncio.run(main())
