# wsu: extend-select=WSU5
"""`await ...` needs no parentheses as an operand of `+` or as a comprehension's element."""

from websockets.asyncio.client import ClientConnection


async def batch(ws: ClientConnection) -> bytes:
    frames = [await ws.recv(decode=False) for _ in range(3)]
    return b"".join(frames) + await ws.recv(decode=False)


async def first_byte(ws: ClientConnection) -> int:
    return (await ws.recv(decode=False))[0]
