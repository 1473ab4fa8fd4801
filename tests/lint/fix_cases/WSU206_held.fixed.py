"""A helper shared by both sides reads `host`: which address it meant is unknown."""

from websockets.legacy.server import serve


def describe(websocket):
    return f"{websocket.host}:{websocket.port}"


async def handler(websocket):
    print("serving", describe(websocket))
    await websocket.send(f"port {websocket.port}")


async def main():
    async with serve(handler, "", 8765):
        pass
