"""Echo benchmark for the threading implementation: ours against upstream websockets 17.4.

Each implementation's ``websockets.sync`` echo server runs in its own process on
127.0.0.1; the client runs in this process with the same implementation. Compression
is off. Figures, each the best of ``--repeat`` runs, as in ``benchmarks.echo``:

- rtt: round trips per second, one 32-byte message at a time;
- pipelined: messages per second, 256-byte messages sent from a second thread without
  waiting for the echoes;
- large: MiB per second echoed, 1 MiB messages, one at a time.

Ratios compare ours to upstream: above 1.0 is faster.
``python -m benchmarks.echo_sync --serve IMPL`` is the server process.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SMALL = b"x" * 32
MEDIUM = b"y" * 256
LARGE = b"z" * 2**20
MAX_SIZE = 2**22

PACKAGES = {"ours": "websockets_impl", "upstream": "websockets"}


@dataclass
class Result:
    rtt: float = 0.0
    pipelined: float = 0.0
    large: float = 0.0


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

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def measure_rtt(connect: Callable[..., Any], uri: str, count: int) -> float:
    with connect(uri, compression=None, max_size=MAX_SIZE) as ws:
        for _ in range(100):
            ws.send(SMALL)
            ws.recv()
        start = time.perf_counter()
        for _ in range(count):
            ws.send(SMALL)
            if ws.recv() != SMALL:
                raise AssertionError("bad echo")
        return count / (time.perf_counter() - start)


def measure_pipelined(connect: Callable[..., Any], uri: str, count: int) -> float:
    with connect(uri, compression=None, max_size=MAX_SIZE) as ws:

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
        return count / (time.perf_counter() - start)


def measure_large(connect: Callable[..., Any], uri: str, count: int) -> float:
    with connect(uri, compression=None, max_size=MAX_SIZE) as ws:
        ws.send(LARGE)
        ws.recv()
        start = time.perf_counter()
        for _ in range(count):
            ws.send(LARGE)
            if len(ws.recv()) != len(LARGE):
                raise AssertionError("bad echo")
        return count * len(LARGE) / 2**20 / (time.perf_counter() - start)


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
        for _ in range(options.repeat):
            for name, result in results.items():
                connect, uri = clients[name], servers[name].uri
                result.rtt = max(result.rtt, measure_rtt(connect, uri, options.rtt))
                result.pipelined = max(
                    result.pipelined, measure_pipelined(connect, uri, options.pipelined)
                )
                result.large = max(result.large, measure_large(connect, uri, options.large))
    finally:
        for server in servers.values():
            server.stop()

    import websockets

    print(
        f"threading echo, {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, upstream websockets {websockets.__version__}, "
        f"best of {options.repeat}"
    )
    ours, upstream = results["ours"], results["upstream"]
    print(f"{'figure':<12}{'ours':>14}{'upstream':>14}{'ratio':>8}")
    for label, unit, attribute in (
        ("rtt", "msg/s", "rtt"),
        ("pipelined", "msg/s", "pipelined"),
        ("1 MiB", "MiB/s", "large"),
    ):
        mine, theirs = getattr(ours, attribute), getattr(upstream, attribute)
        print(f"{label:<12}{mine:>10.0f} {unit}{theirs:>10.0f} {unit}{mine / theirs:>7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
