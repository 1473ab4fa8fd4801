"""The echo benchmark's floor echoes messages as the WebSocket implementations do."""

from __future__ import annotations

import asyncio

from benchmarks import echo
from benchmarks.echo_floor import connect, serve


async def test_round_trips_and_pipelined_messages_come_back_whole() -> None:
    async with serve(None, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}/", compression=None) as client:
            # Each message comes back as sent, even split over several reads.
            messages, _ = await echo.measure_rtt(client, b"x" * 32, 50)
            assert messages == 50
            big = bytes(range(256)) * 4096
            await client.send(big)
            assert await client.recv() == big
            # recv() called before anything was sent waits for the sender.
            messages, _ = await echo.measure_pipelined(client, b"y" * 256, 500)
            assert messages == 500
            assert client.buffer == bytearray() and not client.sizes


async def test_recv_waits_for_the_whole_message() -> None:
    async with serve(None, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        async with connect(f"ws://127.0.0.1:{port}/") as client:
            receiving = asyncio.ensure_future(client.recv())
            await asyncio.sleep(0.05)
            assert not receiving.done()
            await client.send(b"abc")
            assert await asyncio.wait_for(receiving, 5) == b"abc"
