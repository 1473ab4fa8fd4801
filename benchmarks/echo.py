"""Echo benchmark: our asyncio implementation against upstream websockets 17.4.

Each implementation's echo server runs in its own process on 127.0.0.1 (see
``echo_server``); the client runs in this process with the same implementation.
Compression is off. Figures:

- rtt: round trips per second, one 32-byte message at a time;
- pipelined: messages per second, 256-byte messages sent without waiting for echoes;
- large: MiB per second echoed, 1 MiB messages, one at a time;
- memory: growth of the server's RSS per idle connection, over N connections.

Each throughput figure is the best of ``--repeat`` runs. Ratios compare each
implementation to its baseline (``ours`` to ``upstream``, the legacy ones likewise):
above 1.0 is faster; for memory, below 1.0 is leaner.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import resource
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from benchmarks.echo_impls import IMPLEMENTATIONS, Implementation
from benchmarks.echo_server import MAX_SIZE

SMALL = b"x" * 32
MEDIUM = b"y" * 256
LARGE = b"z" * 2**20


@dataclass
class Settings:
    rtt_count: int
    pipelined_count: int
    large_count: int
    connections: int
    repeat: int


@dataclass
class Result:
    rtt: float = 0.0
    pipelined: float = 0.0
    large: float = 0.0
    memory: float = 0.0
    """KiB per idle connection."""


class ServerProcess:
    """An echo server in a child process."""

    def __init__(self, impl: Implementation) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.echo_server", impl.name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"{impl.name} server failed to start: {line!r}")
        self.uri = f"ws://127.0.0.1:{int(line.split()[1])}/"

    def rss_kib(self) -> int:
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise RuntimeError("VmRSS not found")

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


async def best_of(repeat: int, run: Callable[[], Awaitable[float]]) -> float:
    return max([await run() for _ in range(repeat)])


async def measure_rtt(connect: Callable[..., Any], uri: str, count: int) -> float:
    async with connect(uri, compression=None, max_size=MAX_SIZE) as ws:
        for _ in range(100):
            await ws.send(SMALL)
            await ws.recv()
        start = time.perf_counter()
        for _ in range(count):
            await ws.send(SMALL)
            if await ws.recv() != SMALL:
                raise AssertionError("bad echo")
        return count / (time.perf_counter() - start)


async def measure_pipelined(connect: Callable[..., Any], uri: str, count: int) -> float:
    async with connect(uri, compression=None, max_size=MAX_SIZE) as ws:

        async def sender() -> None:
            for _ in range(count):
                await ws.send(MEDIUM)

        start = time.perf_counter()
        task = asyncio.create_task(sender())
        for _ in range(count):
            if await ws.recv() != MEDIUM:
                raise AssertionError("bad echo")
        await task
        return count / (time.perf_counter() - start)


async def measure_large(connect: Callable[..., Any], uri: str, count: int) -> float:
    async with connect(uri, compression=None, max_size=MAX_SIZE) as ws:
        await ws.send(LARGE)
        await ws.recv()
        start = time.perf_counter()
        for _ in range(count):
            await ws.send(LARGE)
            if len(await ws.recv()) != len(LARGE):
                raise AssertionError("bad echo")
        return count * len(LARGE) / 2**20 / (time.perf_counter() - start)


async def measure_memory(connect: Callable[..., Any], server: ServerProcess, count: int) -> float:
    """Server RSS growth per idle connection, in KiB."""

    async def open_batch(size: int) -> list[Any]:
        return list(
            await asyncio.gather(
                *(connect(server.uri, compression=None, open_timeout=60) for _ in range(size))
            )
        )

    async def close_all(connections: list[Any]) -> None:
        await asyncio.gather(*(ws.close() for ws in connections))

    # Warm up the server's allocator and lazy imports with a first round of connections.
    await close_all(await open_batch(min(count, 100)))
    await asyncio.sleep(0.5)
    before = server.rss_kib()
    connections: list[Any] = []
    try:
        while len(connections) < count:
            connections += await open_batch(min(100, count - len(connections)))
        # A round trip on each connection proves it's open and settles the server's buffers.
        for ws in connections[:: max(1, count // 20)]:
            await ws.send(SMALL)
            await ws.recv()
        await asyncio.sleep(0.5)
        after = server.rss_kib()
    finally:
        await close_all(connections)
    return (after - before) / count


async def measure_throughput(
    impls: dict[str, Implementation], settings: Settings
) -> dict[str, Result]:
    """Run each workload on every implementation in turn, ``repeat`` times; keep the best.

    Interleaving the runs spreads the noise of a busy machine over all implementations.
    """
    clients = {name: impl.load()[1] for name, impl in impls.items()}
    servers: dict[str, ServerProcess] = {}
    results = {name: Result() for name in impls}
    try:
        for name, impl in impls.items():
            servers[name] = ServerProcess(impl)
        for _ in range(settings.repeat):
            for name in impls:
                connect, uri, result = clients[name], servers[name].uri, results[name]
                result.rtt = max(result.rtt, await measure_rtt(connect, uri, settings.rtt_count))
                result.pipelined = max(
                    result.pipelined,
                    await measure_pipelined(connect, uri, settings.pipelined_count),
                )
                result.large = max(
                    result.large, await measure_large(connect, uri, settings.large_count)
                )
    finally:
        for server in servers.values():
            server.stop()
    return results


async def measure_memory_of(impl: Implementation, connections: int) -> float:
    """Server memory per idle connection, with a fresh server process."""
    _, connect = impl.load()
    server = ServerProcess(impl)
    try:
        gc.collect()
        return await measure_memory(connect, server, connections)
    finally:
        server.stop()


def raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))


def report(results: dict[str, Result]) -> None:
    header = f"{'implementation':<18}{'rtt msg/s':>12}{'pipelined msg/s':>18}"
    header += f"{'1 MiB MiB/s':>14}{'KiB/conn':>11}"
    print(header)
    for name, result in results.items():
        print(
            f"{name:<18}{result.rtt:>12,.0f}{result.pipelined:>18,.0f}"
            f"{result.large:>14,.1f}{result.memory:>11,.1f}"
        )
    for name, result in results.items():
        baseline = IMPLEMENTATIONS[name].baseline
        if baseline is None or baseline not in results:
            continue
        base = results[baseline]
        memory = f"{result.memory / base.memory:.2f}x" if base.memory > 0 else "n/a"
        print(
            f"{name}/{baseline}: rtt {result.rtt / base.rtt:.2f}x, "
            f"pipelined {result.pipelined / base.pipelined:.2f}x, "
            f"1 MiB {result.large / base.large:.2f}x, memory/conn {memory}"
        )


def parse_args(argv: list[str] | None) -> tuple[Settings, list[str]]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.echo")
    parser.add_argument("--quick", action="store_true", help="small counts, one run each")
    parser.add_argument("--impl", action="append", choices=sorted(IMPLEMENTATIONS))
    parser.add_argument("--rtt", type=int, help="round trips per run")
    parser.add_argument("--pipelined", type=int, help="pipelined messages per run")
    parser.add_argument("--large", type=int, help="1 MiB echoes per run")
    parser.add_argument("--connections", type=int, help="idle connections for memory")
    parser.add_argument("--repeat", type=int, help="runs per figure, best kept")
    options, _ = parser.parse_known_args(argv)
    quick = options.quick
    settings = Settings(
        rtt_count=options.rtt or (2_000 if quick else 10_000),
        pipelined_count=options.pipelined or (5_000 if quick else 40_000),
        large_count=options.large or (10 if quick else 200),
        connections=options.connections or (200 if quick else 1_000),
        repeat=options.repeat or (1 if quick else 3),
    )
    return settings, options.impl or list(IMPLEMENTATIONS)


def main(argv: list[str] | None = None) -> int:
    settings, names = parse_args(argv)
    raise_fd_limit(2 * settings.connections + 256)
    impls: dict[str, Implementation] = {}
    for name in names:
        impl = IMPLEMENTATIONS[name]
        reason = impl.unavailable()
        if reason is None:
            impls[name] = impl
        else:
            print(f"skipped {name} ({impl.description}): {reason}")
    print(f"running {', '.join(impls)}: {settings}", flush=True)
    results = asyncio.run(measure_throughput(impls, settings))
    for name, impl in impls.items():
        results[name].memory = asyncio.run(measure_memory_of(impl, settings.connections))
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
