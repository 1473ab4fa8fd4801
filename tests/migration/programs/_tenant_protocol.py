"""The protocol subclass of ``held_two_modules``, in a module of its own."""

import http

from websockets.legacy.server import WebSocketServerProtocol

API_KEYS = {"k-123": "acme", "k-456": "globex"}


class TenantProtocol(WebSocketServerProtocol):
    async def process_request(self, path, request_headers):
        tenant = API_KEYS.get(request_headers.get("X-Api-Key", ""))
        if tenant is None:
            return http.HTTPStatus.FORBIDDEN, [], b"unknown API key\n"
        self.tenant = tenant
        return await super().process_request(path, request_headers)
