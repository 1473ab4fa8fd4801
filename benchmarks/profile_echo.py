"""Where the time goes: the echo workloads' client side under cProfile.

``python -m benchmarks.profile_echo --impl ours --workload pipelined [--deflate]``
starts the same implementation's echo server in another process (as
``benchmarks.echo`` does), runs one workload in this process under cProfile and prints
the functions with the most own time. ``--impl sync`` / ``sync-upstream`` profile the
threading implementation (cProfile sees the calling thread only, so for it the reader
thread's share is missing: use ``--threads`` to profile every thread with
``threading.setprofile``, or py-spy). The client does what the server does (one send and
one receive per message) plus masking, so its profile covers the frame write path, the
receive path and its queue, masking, and with ``--deflate`` the deflate path.

Not part of ``python -m benchmarks``: it prints profiles, not figures.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib
import io
import pstats
import sys
import threading
from typing import Any

from benchmarks import echo, echo_sync
from benchmarks.echo_impls import IMPLEMENTATIONS

RUN_BY_DEFAULT = False

COUNTS = {"rtt": 5_000, "pipelined": 20_000, "large": 50}


def profile_asyncio(name: str, workload: str, deflate: bool, count: int) -> cProfile.Profile:
    impl = IMPLEMENTATIONS[name]
    _, connect = impl.load()
    server = echo.ServerProcess(impl, deflate)
    payloads = dict(
        zip(
            ("rtt", "pipelined", "large"),
            echo.DEFLATE_PAYLOADS if deflate else echo.PLAIN_PAYLOADS,
            strict=True,
        )
    )
    measure = {
        "rtt": echo.measure_rtt,
        "pipelined": echo.measure_pipelined,
        "large": echo.measure_large,
    }[workload]
    profiler = cProfile.Profile()

    async def run() -> None:
        options: dict[str, Any] = {"max_size": echo.MAX_SIZE}
        if not deflate:
            options["compression"] = None
        async with connect(server.uri, **options) as ws:
            await measure(ws, payloads[workload], max(1, count // 20))  # warm up
            profiler.enable()
            await measure(ws, payloads[workload], count)
            profiler.disable()

    try:
        asyncio.run(run())
    finally:
        server.stop()
    return profiler


def profile_sync(name: str, workload: str, count: int, threads: bool) -> pstats.Stats:
    connect = importlib.import_module(f"{echo_sync.PACKAGES[name]}.sync.client").connect
    server = echo_sync.ServerProcess(name)
    measure = {
        "rtt": echo_sync.measure_rtt,
        "pipelined": echo_sync.measure_pipelined,
        "large": echo_sync.measure_large,
    }[workload]
    profilers: list[cProfile.Profile] = []
    lock = threading.Lock()

    def start_thread_profiler(*args: Any) -> None:
        # Installed by threading.setprofile: runs once in each new thread.
        profiler = cProfile.Profile()
        with lock:
            profilers.append(profiler)
        sys.setprofile(None)
        profiler.enable()

    main_profiler = cProfile.Profile()
    if threads:
        # Before connecting, so that the connection's reader thread is profiled too
        # (from its start: the handshake and the warm-up are in its share).
        threading.setprofile(start_thread_profiler)
    try:
        with connect(server.uri, compression=None, max_size=echo_sync.MAX_SIZE) as ws:
            measure(ws, max(1, count // 20))
            main_profiler.enable()
            measure(ws, count)
            main_profiler.disable()
            threading.setprofile(None)  # type: ignore[arg-type]
    finally:
        server.stop()
    stats = pstats.Stats(main_profiler)
    for profiler in profilers:
        profiler.disable()
        stats.add(profiler)
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_echo")
    parser.add_argument(
        "--impl",
        default="ours",
        choices=[*IMPLEMENTATIONS, *(f"sync-{name}" for name in echo_sync.PACKAGES)],
    )
    parser.add_argument("--workload", default="rtt", choices=list(COUNTS))
    parser.add_argument("--deflate", action="store_true")
    parser.add_argument("--count", type=int)
    parser.add_argument("--threads", action="store_true", help="threading: every thread")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--sort", default="tottime")
    options, _ = parser.parse_known_args(argv)
    count = options.count or COUNTS[options.workload]
    if options.impl.startswith("sync-"):
        stats = profile_sync(
            options.impl.removeprefix("sync-"), options.workload, count, options.threads
        )
    else:
        stats = pstats.Stats(
            profile_asyncio(options.impl, options.workload, options.deflate, count)
        )
    output = io.StringIO()
    stats.stream = output  # type: ignore[attr-defined]
    stats.strip_dirs().sort_stats(options.sort).print_stats(options.top)
    print(output.getvalue().strip())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
