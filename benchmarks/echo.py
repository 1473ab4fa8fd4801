"""Echo benchmark: our implementations against upstream websockets 17.4, in one report.

Each implementation's echo server runs in its own process on 127.0.0.1 (see
``echo_server``; ``echo_sync`` for the threading implementation); the client runs in
this process with the same implementation. Figures:

- rtt: round trips per second, one 32-byte message at a time;
- pipelined: messages per second, 256-byte messages sent without waiting for echoes;
- 1 MiB: MiB per second echoed, 1 MiB messages, one at a time;
- memory: growth of the server's RSS per idle connection, over N connections.

Tables: the asyncio implementation with compression off (all four figures), the same
with permessage-deflate on at its default settings (the three throughput figures,
with text-like payloads that compress about 3:1 rather than runs of one byte), the
legacy implementation against upstream's legacy API (four figures), and the threading
implementation (three figures, from ``benchmarks.echo_sync``).

Every figure is the median of ``--repeat`` runs; the runs of all implementations are
interleaved so that a busy machine slows them alike. Ratios compare each implementation
to its peer from the same run: above 1.0 is faster; for memory, below 1.0 is leaner.
The "cpu ratio" column compares the CPU time (client + server processes) per message or
per MiB: the peer's over ours, so above 1.0 means ours costs less. It moves much less
than wall-clock figures when other work shares the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from benchmarks import echo_sync
from benchmarks._report import (
    Figure,
    Row,
    load_average,
    machine,
    memory_row,
    print_table,
    process_cpu,
    rate_row,
)
from benchmarks.echo_impls import IMPLEMENTATIONS, Implementation
from benchmarks.echo_server import MAX_SIZE

SMALL = b"x" * 32
MEDIUM = b"y" * 256
LARGE = b"z" * 2**20


def text_like(size: int, seed: int = 0) -> bytes:
    """Deterministic JSON-ish text of ``size`` bytes that deflate shrinks about 3:1."""
    rng = random.Random(seed)
    words = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        for _ in range(2000)
    ]
    parts: list[str] = []
    length = 0
    while length < size:
        key, name, value = rng.choice(words), rng.choice(words), rng.choice(words)
        part = f'{{"{key}": {rng.randint(0, 10**6)}, "{name}": "{value}"}}, '
        parts.append(part)
        length += len(part)
    return "".join(parts).encode()[:size]


# Payloads with permessage-deflate: text rather than one repeated byte.
DEFLATE_PAYLOADS = (text_like(32, 1), text_like(256, 2), text_like(2**20, 3))
PLAIN_PAYLOADS = (SMALL, MEDIUM, LARGE)

# Goals of issue 16: (rtt, pipelined, 1 MiB, memory).
GOALS = {
    "asyncio": (1.6, 1.8, 1.3, 0.8),
    "deflate": (1.2, 1.2, 1.2, None),
    "legacy": (1.0, 1.0, 1.0, 1.0),
    "threading": (1.0, 1.0, 1.0, None),
}


@dataclass
class Settings:
    rtt_count: int
    pipelined_count: int
    large_count: int
    connections: int
    repeat: int
    tables: list[str] = field(default_factory=lambda: list(GOALS))


@dataclass
class Result:
    rtt: Figure = field(default_factory=Figure)
    pipelined: Figure = field(default_factory=Figure)
    large: Figure = field(default_factory=Figure)
    memory: float = 0.0
    """KiB per idle connection."""


class ServerProcess:
    """An echo server in a child process."""

    def __init__(self, impl: Implementation, deflate: bool = False) -> None:
        command = [sys.executable, "-m", "benchmarks.echo_server", impl.name]
        if deflate:
            command.append("deflate")
        self.process = subprocess.Popen(
            command,
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

    def cpu(self) -> float:
        return process_cpu(self.process.pid)

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


Workload = Callable[..., Awaitable[tuple[float, float]]]


async def measure_rtt(ws: Any, payload: bytes, count: int) -> tuple[float, float]:
    """Return (messages, seconds)."""
    for _ in range(100):
        await ws.send(payload)
        await ws.recv()
    start = time.perf_counter()
    for _ in range(count):
        await ws.send(payload)
        if await ws.recv() != payload:
            raise AssertionError("bad echo")
    return count, time.perf_counter() - start


async def measure_pipelined(ws: Any, payload: bytes, count: int) -> tuple[float, float]:
    async def sender() -> None:
        for _ in range(count):
            await ws.send(payload)

    start = time.perf_counter()
    task = asyncio.create_task(sender())
    for _ in range(count):
        if await ws.recv() != payload:
            raise AssertionError("bad echo")
    await task
    return count, time.perf_counter() - start


async def measure_large(ws: Any, payload: bytes, count: int) -> tuple[float, float]:
    """Return (MiB, seconds)."""
    await ws.send(payload)
    await ws.recv()
    start = time.perf_counter()
    for _ in range(count):
        await ws.send(payload)
        if len(await ws.recv()) != len(payload):
            raise AssertionError("bad echo")
    return count * len(payload) / 2**20, time.perf_counter() - start


async def run_one(
    connect: Callable[..., Any],
    server: ServerProcess,
    workload: Workload,
    payload: bytes,
    count: int,
    deflate: bool,
    figure: Figure,
) -> None:
    options: dict[str, Any] = {"max_size": MAX_SIZE}
    if not deflate:
        options["compression"] = None
    async with connect(server.uri, **options) as ws:
        client_cpu, server_cpu = time.process_time(), server.cpu()
        units, elapsed = await workload(ws, payload, count)
        cpu = time.process_time() - client_cpu + server.cpu() - server_cpu
    figure.add(units / elapsed, cpu / units)


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
    impls: dict[str, Implementation], settings: Settings, deflate: bool
) -> dict[str, Result]:
    """Run each workload on every implementation in turn, ``repeat`` times.

    Interleaving the runs spreads the noise of a busy machine over all implementations.
    """
    clients = {name: impl.load()[1] for name, impl in impls.items()}
    servers: dict[str, ServerProcess] = {}
    results = {name: Result() for name in impls}
    small, medium, large = DEFLATE_PAYLOADS if deflate else PLAIN_PAYLOADS
    # Deflating 1 MiB costs far more than copying it: fewer echoes keep the run short.
    large_count = max(1, settings.large_count // 4) if deflate else settings.large_count
    try:
        for name, impl in impls.items():
            servers[name] = ServerProcess(impl, deflate)
        for _ in range(settings.repeat):
            for name in impls:
                connect, server, result = clients[name], servers[name], results[name]
                for workload, payload, count, figure in (
                    (measure_rtt, small, settings.rtt_count, result.rtt),
                    (measure_pipelined, medium, settings.pipelined_count, result.pipelined),
                    (measure_large, large, large_count, result.large),
                ):
                    await run_one(connect, server, workload, payload, count, deflate, figure)
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


def rows(
    ours: Result, theirs: Result, goals: tuple[float, float, float, float | None]
) -> list[Row]:
    table = [
        rate_row("round trips, 32 B", "/s", ours.rtt, theirs.rtt, goals[0]),
        rate_row("pipelined, 256 B", "/s", ours.pipelined, theirs.pipelined, goals[1]),
        rate_row("1 MiB echo", "MiB", ours.large, theirs.large, goals[2]),
    ]
    if goals[3] is not None:
        table.append(memory_row(ours.memory, theirs.memory, goals[3]))
    return table


def print_floor(floor: Result, ours: Result, peer: Result) -> None:
    """The same workloads over bare TCP, and what each implementation adds to them."""
    above = [1e6 * (1 / r.rtt.rate - 1 / floor.rtt.rate) for r in (ours, peer)]
    print(
        f"  floor (bare asyncio TCP echo, same run): {floor.rtt.rate:,.0f} round trips/s, "
        f"{floor.pipelined.rate:,.0f} pipelined/s, {floor.large.rate:,.1f} MiB/s\n"
        f"  per round trip above the floor: ours {above[0]:.1f} us, upstream {above[1]:.1f} us; "
        f"best possible round-trip ratio here: {floor.rtt.rate / peer.rtt.rate:.2f}x"
    )


TABLES = {
    # table: (title, ours, peer, deflate)
    "asyncio": ("asyncio, compression off", "ours", "upstream", False),
    "deflate": ("asyncio, permessage-deflate (default settings)", "ours", "upstream", True),
    "legacy": ("legacy API, compression off", "ours-legacy", "upstream-legacy", False),
}


def parse_args(argv: list[str] | None) -> Settings:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.echo")
    parser.add_argument("--quick", action="store_true", help="small counts, one run each")
    parser.add_argument(
        "--table", action="append", choices=list(GOALS), help="run only these tables"
    )
    parser.add_argument("--rtt", type=int, help="round trips per run")
    parser.add_argument("--pipelined", type=int, help="pipelined messages per run")
    parser.add_argument("--large", type=int, help="1 MiB echoes per run")
    parser.add_argument("--connections", type=int, help="idle connections for memory")
    parser.add_argument("--repeat", type=int, help="runs per figure, median kept")
    options, _ = parser.parse_known_args(argv)
    quick = options.quick
    return Settings(
        rtt_count=options.rtt or (2_000 if quick else 10_000),
        pipelined_count=options.pipelined or (5_000 if quick else 40_000),
        large_count=options.large or (10 if quick else 200),
        connections=options.connections or (200 if quick else 1_000),
        repeat=options.repeat or (1 if quick else 3),
        tables=options.table or list(GOALS),
    )


def main(argv: list[str] | None = None) -> int:
    settings = parse_args(argv)
    raise_fd_limit(2 * settings.connections + 256)
    print(machine())
    print(
        f"median of {settings.repeat} interleaved runs; {settings.rtt_count:,} round trips, "
        f"{settings.pipelined_count:,} pipelined messages, {settings.large_count} x 1 MiB "
        f"(a quarter with deflate), {settings.connections:,} idle connections",
        flush=True,
    )
    for table in settings.tables:
        if table == "threading":
            sync_results = echo_sync.run(
                settings.rtt_count // 2,
                settings.pipelined_count // 2,
                settings.large_count // 2,
                settings.repeat,
            )
            print_table(
                "threading (websockets.sync), compression off",
                "upstream",
                echo_sync.rows(sync_results, GOALS["threading"][0]),
            )
            continue
        title, ours, peer, deflate = TABLES[table]
        names = (ours, peer, "floor") if table == "asyncio" else (ours, peer)
        impls = {name: IMPLEMENTATIONS[name] for name in names}
        for name, impl in impls.items():
            reason = impl.unavailable()
            if reason is not None:
                print(f"skipped {title}: {name} ({impl.description}): {reason}")
                break
        else:
            results = asyncio.run(measure_throughput(impls, settings, deflate))
            if GOALS[table][3] is not None:
                for name, impl in ((ours, impls[ours]), (peer, impls[peer])):
                    results[name].memory = asyncio.run(
                        measure_memory_of(impl, settings.connections)
                    )
            print_table(title, peer, rows(results[ours], results[peer], GOALS[table]))
            if "floor" in results:
                print_floor(results["floor"], results[ours], results[peer])
    print(f"\nload average at the end: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
