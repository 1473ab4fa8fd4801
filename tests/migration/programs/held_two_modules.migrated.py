"""held_two_modules, migrated by hand: the tenant check becomes a ``process_request``
function storing the tenant on the connection."""

import asyncio
import http

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve
from websockets.exceptions import InvalidHandshake

API_KEYS = {"k-123": "acme", "k-456": "globex"}


def check_tenant(connection, request):
    tenant = API_KEYS.get(request.headers.get("X-Api-Key", ""))
    if tenant is None:
        return connection.respond(http.HTTPStatus.FORBIDDEN, "unknown API key\n")
    connection.tenant = tenant
    return None


async def report(websocket):
    await websocket.send(f"{websocket.tenant}: {websocket.request.path} ready")


async def main():
    async with serve(report, "127.0.0.1", 0, process_request=check_tenant) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/invoices"
        for key in ["k-123", "k-456", "k-000"]:
            try:
                async with connect(uri, additional_headers={"X-Api-Key": key}) as websocket:
                    print(await websocket.recv())
            except InvalidHandshake as exc:
                print(f"{key}: {exc}")


asyncio.run(main())
