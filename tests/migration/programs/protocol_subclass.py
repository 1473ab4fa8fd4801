"""Customising connections by subclassing the legacy protocol classes.

The server subclasses ``WebSocketServerProtocol`` and overrides ``process_request``
to check an API key and remember the tenant on the connection; it's installed with
``create_protocol=``. The client subclasses ``WebSocketClientProtocol`` to count the
messages it receives and is installed with the ancient ``klass=`` argument.

Manual: subclasses of legacy classes, ``create_protocol`` and ``klass`` have no
automatic fix (WSU304, WSU404, WSU405); the customisation moves to a
``process_request`` function and a ``ClientConnection`` subclass.
"""
# migration: manual
# rules: WSU101, WSU302, WSU304, WSU401, WSU404, WSU405
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: rename klass to create_protocol

import asyncio
import http

from websockets.exceptions import InvalidHandshake
from websockets.legacy.client import WebSocketClientProtocol, connect
from websockets.legacy.server import WebSocketServerProtocol, serve

API_KEYS = {"k-123": "acme", "k-456": "globex"}


class TenantProtocol(WebSocketServerProtocol):
    async def process_request(self, path, request_headers):
        tenant = API_KEYS.get(request_headers.get("X-Api-Key", ""))
        if tenant is None:
            return http.HTTPStatus.FORBIDDEN, [], b"unknown API key\n"
        self.tenant = tenant
        return await super().process_request(path, request_headers)


class CountingClient(WebSocketClientProtocol):
    received = 0

    async def recv(self):
        message = await super().recv()
        self.received += 1
        return message


async def report(websocket):
    for topic in ["invoices", "orders"]:
        await websocket.send(f"{websocket.tenant}: {topic} ready")


async def main():
    async with serve(report, "127.0.0.1", 0, create_protocol=TenantProtocol) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/reports"
        for key in ["k-123", "k-456", "k-000"]:
            try:
                async with connect(
                    uri, extra_headers={"X-Api-Key": key}, klass=CountingClient
                ) as websocket:
                    print(await websocket.recv())
                    print(await websocket.recv())
                    print(f"{key}: received {websocket.received} messages")
            except InvalidHandshake as exc:
                print(f"{key}: {exc}")


asyncio.run(main())
