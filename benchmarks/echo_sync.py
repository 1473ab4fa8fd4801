"""Echo benchmark for the threading implementation: ours against upstream websockets 17.4.

Each implementation's ``sync`` (threading) echo server runs in its own process on
127.0.0.1; the client runs in this process with the same implementation. Compression
is off. Figures, each the median of ``--repeat`` interleaved runs, as in ``benchmarks.echo``
(whose report includes this table):

- rtt: round trips per second, one 32-byte message at a time;
- pipelined: messages per second, 256-byte messages sent from a second thread without
  waiting for the echoes;
- large: MiB per second echoed, 1 MiB messages, one at a time.

Ratios compare ours to upstream: above 1.0 is faster; the CPU ratio is upstream's CPU time
(client + server) per message over ours.
``python -m benchmarks.echo_sync --serve IMPL`` is the server process.
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from benchmarks._report import Figure, Row, machine, print_table, process_cpu, rate_row

SMALL = b"x" * 32
MEDIUM = b"y" * 256
LARGE = b"z" * 2**20
MAX_SIZE = 2**22

PACKAGES = {"ours": "websockets_impl", "upstream": "websockets"}

PART_OF = "echo"
"""``python -m benchmarks`` runs this table as part of ``benchmarks.echo``'s report."""


@dataclass
class Result:
    rtt: Figure = field(default_factory=Figure)
    pipelined: Figure = field(default_factory=Figure)
    large: Figure = field(default_factory=Figure)


def serve_until_stdin_closes(name: str) -> None:
    """The server process: an echo server until the parent closes our stdin."""
    server_module = importlib.import_module(f"{PACKAGES[name]}.sync.server")

    def echo(connection: Any) -> None:
        for message in connection:
            connection.send(message)

    server = server_module.serve(echo, "127.0.0.1", 0, compression=None, max_size=MAX_SIZE)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"PORT {server.socket.getsockname()[1]}", flush=True)
    sys.stdin.read()
    server.shutdown()


class ServerProcess:
    def __init__(self, name: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.echo_sync", "--serve", name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"{name} server failed to start: {line!r}")
        self.uri = f"ws://127.0.0.1:{int(line.split()[1])}/"

    def cpu(self) -> float:
        return process_cpu(self.process.pid)

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def measure_rtt(ws: Any, count: int) -> tuple[float, float]:
    """Return (messages, seconds)."""
    for _ in range(100):
        ws.send(SMALL)
        ws.recv()
    start = time.perf_counter()
    for _ in range(count):
        ws.send(SMALL)
        if ws.recv() != SMALL:
            raise AssertionError("bad echo")
    return count, time.perf_counter() - start


def measure_pipelined(ws: Any, count: int) -> tuple[float, float]:
    def sender() -> None:
        for _ in range(count):
            ws.send(MEDIUM)

    start = time.perf_counter()
    thread = threading.Thread(target=sender)
    thread.start()
    for _ in range(count):
        if ws.recv() != MEDIUM:
            raise AssertionError("bad echo")
    thread.join()
    return count, time.perf_counter() - start


def measure_large(ws: Any, count: int) -> tuple[float, float]:
    """Return (MiB, seconds)."""
    ws.send(LARGE)
    ws.recv()
    start = time.perf_counter()
    for _ in range(count):
        ws.send(LARGE)
        if len(ws.recv()) != len(LARGE):
            raise AssertionError("bad echo")
    return count * len(LARGE) / 2**20, time.perf_counter() - start


def run_one(
    connect: Callable[..., Any],
    server: ServerProcess,
    workload: Callable[[Any, int], tuple[float, float]],
    count: int,
    figure: Figure,
) -> None:
    with connect(server.uri, compression=None, max_size=MAX_SIZE) as ws:
        client_cpu, server_cpu = time.process_time(), server.cpu()
        units, elapsed = workload(ws, count)
        cpu = time.process_time() - client_cpu + server.cpu() - server_cpu
    figure.add(units / elapsed, cpu / units)


def run(rtt: int, pipelined: int, large: int, repeat: int) -> dict[str, Result]:
    """Measure both implementations, interleaved; return their figures."""
    clients = {
        name: importlib.import_module(f"{package}.sync.client").connect
        for name, package in PACKAGES.items()
    }
    servers: dict[str, ServerProcess] = {}
    results = {name: Result() for name in PACKAGES}
    try:
        for name in PACKAGES:
            servers[name] = ServerProcess(name)
        # Interleaved runs spread the noise of a busy machine over both implementations.
        for _ in range(repeat):
            for name, result in results.items():
                connect, server = clients[name], servers[name]
                run_one(connect, server, measure_rtt, rtt, result.rtt)
                run_one(connect, server, measure_pipelined, pipelined, result.pipelined)
                run_one(connect, server, measure_large, large, result.large)
    finally:
        for server in servers.values():
            server.stop()
    return results


def rows(results: dict[str, Result], goal: float) -> list[Row]:
    ours, upstream = results["ours"], results["upstream"]
    return [
        rate_row("round trips, 32 B", "/s", ours.rtt, upstream.rtt, goal),
        rate_row("pipelined, 256 B", "/s", ours.pipelined, upstream.pipelined, goal),
        rate_row("1 MiB echo", "MiB", ours.large, upstream.large, goal),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.echo_sync")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--sync-rtt", type=int, default=5000, dest="rtt")
    parser.add_argument("--sync-pipelined", type=int, default=20000, dest="pipelined")
    parser.add_argument("--sync-large", type=int, default=100, dest="large")
    parser.add_argument("--repeat", type=int, default=3)
    options, _ = parser.parse_known_args(argv)
    if options.serve:
        serve_until_stdin_closes(options.serve)
        return 0

    print(machine())
    print(f"median of {options.repeat} interleaved runs", flush=True)
    results = run(options.rtt, options.pipelined, options.large, options.repeat)
    print_table("threading (websockets.sync), compression off", "upstream", rows(results, 1.0))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
