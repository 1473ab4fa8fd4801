# wsu: extend-select=WSU101
"""Market data clients tuned with the legacy `max_queue=` (messages, not frames)."""

from websockets.asyncio.client import connect

FEED_OPTIONS = {
    "max_queue": 1024,  # bursts of quotes  # WSU410: review max_queue (frames, not messages)
    "ping_interval": 10,
}


async def quotes(uri: str) -> None:
    async with connect(uri, **FEED_OPTIONS) as ws:
        print(await ws.recv())


async def trades(uri: str) -> None:
    async with connect(uri, max_queue=64) as ws:  # WSU410: review max_queue (frames, not messages)
        print(await ws.recv())


async def orders(uri: str) -> None:
    # The keyword's line ends inside a string: the comment goes where the string ends.
    async with connect(uri, max_queue=8, user_agent_header="""orders
client""") as ws:  # WSU410: review max_queue (frames, not messages)
        print(await ws.recv())


async def reviewed(uri: str) -> None:
    async with connect(uri, max_queue=None) as ws:  # noqa: WSU410
        print(await ws.recv())
