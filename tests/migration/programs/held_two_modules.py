"""A migration split across two modules: the server here, its protocol subclass in
``_tenant_protocol``.

Each module is fixed on its own and each holds its server part back: here ``serve()``
passes ``create_protocol=`` a class from another module (WSU404, no fix), so the handler
keeps its legacy ``path`` argument and ``serve()`` its legacy import; there, the subclass
overrides ``process_request`` (WSU304, WSU302: hand edits) and keeps its legacy base. The
client depends on none of it and moves to the new implementation. The program still runs,
and every hand edit is still reported.
"""
# migration: manual
# rules: WSU101, WSU301, WSU302, WSU304, WSU401, WSU404
# expect-warning: websockets_impl.legacy is deprecated
# expect-warning: remove second argument of ws_handler

import asyncio

from _tenant_protocol import TenantProtocol
from websockets.exceptions import InvalidHandshake
from websockets.legacy.client import connect
from websockets.legacy.server import serve


async def report(websocket, path):
    await websocket.send(f"{websocket.tenant}: {path} ready")


async def main():
    async with serve(report, "127.0.0.1", 0, create_protocol=TenantProtocol) as server:
        uri = f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/invoices"
        for key in ["k-123", "k-456", "k-000"]:
            try:
                async with connect(uri, extra_headers={"X-Api-Key": key}) as websocket:
                    print(await websocket.recv())
            except InvalidHandshake as exc:
                print(f"{key}: {exc}")


asyncio.run(main())
