"""Client whose noqa comments outlived the findings they silenced."""

from websockets.asyncio.client import connect  # noqa: WSU101


async def main(uri: str) -> None:
    async with connect(uri, open_timeout=5) as ws:  # noqa: WSU406, E501
        await ws.send("hi")  # noqa: WSU2  # sent once
        reply = await ws.recv()  # type: ignore  # noqa:WSU201,WSU202
        print(reply)  # noqa: T201
