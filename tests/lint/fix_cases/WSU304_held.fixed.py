"""Customised connections: a counting client and an API-key gate on the server."""

import http

from websockets.legacy.client import WebSocketClientProtocol, connect
from websockets.legacy.server import WebSocketServerProtocol, serve

API_KEYS = {"k-123": "acme"}


class CountingClient(WebSocketClientProtocol):
    """Counts the messages it receives."""

    received = 0

    async def recv(self):
        message = await super().recv()
        self.received += 1
        return message


class TenantProtocol(WebSocketServerProtocol):
    async def process_request(self, path, request_headers):
        tenant = API_KEYS.get(request_headers.get("X-Api-Key", ""))
        if tenant is None:
            return http.HTTPStatus.FORBIDDEN, [], b"unknown API key\n"
        self.tenant = tenant
        return await super().process_request(path, request_headers)

    def select_subprotocol(self, client_subprotocols, server_subprotocols):
        return "v2" if "v2" in client_subprotocols else None


async def handler(websocket):
    await websocket.send(websocket.tenant)


async def main():
    async with serve(handler, "", 8765, create_protocol=TenantProtocol):
        async with connect("ws://localhost:8765/", klass=CountingClient) as websocket:
            print(await websocket.recv(), websocket.received)
