"""Load generator for websocket echo/broadcast servers.

Opens N concurrent connections, sends M messages on each at a target rate and reports
latency percentiles. Partially updated: the connection code is new, the statistics
and teardown code still peek at legacy attributes.
"""

import argparse
import asyncio
import json
import random
import statistics
import string
import sys
import time
from dataclasses import dataclass, field

import websockets
from websockets.exceptions import ConnectionClosed, InvalidHandshake


@dataclass
class Stats:
    latencies: list = field(default_factory=list)
    errors: dict = field(default_factory=dict)
    connected: int = 0
    closed_early: int = 0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def report(self, elapsed: float) -> str:
        if not self.latencies:
            return f"no successful round trips; errors={self.errors}"
        lat = sorted(self.latencies)

        def pct(p: float) -> float:
            return lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000

        return (
            f"{len(lat)} round trips in {elapsed:.1f}s ({len(lat) / elapsed:.0f}/s) "
            f"p50={pct(50):.1f}ms p95={pct(95):.1f}ms p99={pct(99):.1f}ms "
            f"mean={statistics.mean(lat) * 1000:.1f}ms connected={self.connected} "
            f"closed_early={self.closed_early} errors={self.errors}"
        )


def payload(size: int) -> str:
    return "".join(random.choices(string.ascii_letters, k=size))


async def client(uri: str, messages: int, rate: float, size: int, stats: Stats) -> None:
    try:
        async with websockets.connect(uri, ping_interval=None, close_timeout=1, max_size=None) as ws:
            stats.connected += 1
            for seq in range(messages):
                started = time.perf_counter()
                await ws.send(json.dumps({"seq": seq, "data": payload(size)}))
                reply = json.loads(await ws.recv())
                if reply.get("seq") != seq:
                    stats.error("out-of-order")
                stats.latencies.append(time.perf_counter() - started)
                await asyncio.sleep(1 / rate)
            if ws.closed:  # error: WSU202
                stats.closed_early += 1
    except ConnectionClosed as exc:
        stats.closed_early += 1
        stats.error(f"closed-{exc.code}")  # error: WSU208
    except InvalidHandshake as exc:
        stats.error(type(exc).__name__)
    except OSError as exc:
        stats.error(exc.__class__.__name__)


async def ramp(uri: str, connections: int, per_second: int, **kwargs) -> list:
    tasks = []
    for i in range(connections):
        tasks.append(asyncio.create_task(client(uri, **kwargs)))
        if (i + 1) % per_second == 0:
            await asyncio.sleep(1)
    return tasks


async def watchdog(uri: str, interval: float) -> None:
    """Separate control connection that checks the server stays responsive."""
    ws = await websockets.connect(uri, open_timeout=5)
    try:
        while not ws.closed:  # error: WSU202
            started = time.perf_counter()
            pong = await ws.ping()
            await asyncio.wait_for(pong, timeout=interval)
            print(f"[watchdog] ping {1000 * (time.perf_counter() - started):.1f} ms", file=sys.stderr)
            await asyncio.sleep(interval)
    except asyncio.TimeoutError:
        print(f"[watchdog] server unresponsive on {ws.host}", file=sys.stderr)  # error: WSU206
    finally:
        await ws.close()


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("uri")
    parser.add_argument("-c", "--connections", type=int, default=100)
    parser.add_argument("-n", "--messages", type=int, default=50)
    parser.add_argument("-r", "--rate", type=float, default=10.0)
    parser.add_argument("-s", "--size", type=int, default=64)
    parser.add_argument("--ramp", type=int, default=50, help="new connections per second")
    args = parser.parse_args()
    stats = Stats()
    dog = asyncio.create_task(watchdog(args.uri, 5.0))
    started = time.perf_counter()
    tasks = await ramp(args.uri, args.connections, args.ramp, messages=args.messages, rate=args.rate, size=args.size, stats=stats)
    await asyncio.gather(*tasks)
    dog.cancel()
    print(stats.report(time.perf_counter() - started))
    return 1 if stats.errors else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
