"""Client whose noqa comments outlived the findings they silenced."""

from websockets.asyncio.client import connect


async def main(uri: str) -> None:
    async with connect(uri, open_timeout=5) as ws:  # noqa: E501
        await ws.send("hi")  # sent once
        reply = await ws.recv()  # type: ignore
        print(reply)  # noqa: T201
