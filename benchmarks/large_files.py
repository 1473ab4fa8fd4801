"""Cost of one large module: ``wsu check`` and the language server at 1, 2, 5 and 10 MB.

The module is generated: realistic legacy websockets code (handlers, ``connect()`` and
``serve()`` calls, attribute reads, ``process_request`` callbacks, protocol subclasses,
noqa comments) repeated with varied names until the wanted size. Figures, per size:

- ``wsu check --no-cache`` on the file, in a subprocess: wall time and peak RSS;
- in-process ``check_source``: CPU time and the tracemalloc peak (noise-free growth);
- the language server, driven in-process: time from ``didOpen`` to the published
  diagnostics, and from an edit (``didChange``) to the next publication.

Not a timed test: the growth from 1 to 10 MB shows whether the cost is linear.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HEADER = '''"""Generated legacy websockets module (benchmarks.large_files)."""
import asyncio
import http
import websockets
import websockets.legacy.server
from websockets.legacy.protocol import WebSocketCommonProtocol
from websockets.exceptions import ConnectionClosed, InvalidStatusCode

CLIENTS = set()

'''

SNIPPETS = [
    '''
async def handler_{n}(websocket, path):
    """Echo handler number {n}."""
    CLIENTS.add(websocket)
    try:
        if path == "/room/{n}":
            print(websocket.remote_address, websocket.request_headers["Host"])
        async for message in websocket:
            await websocket.send(message)
        if websocket.open:
            await websocket.close(1000, "bye {n}")
    except ConnectionClosed as exc:
        print(exc.code, exc.reason)
    finally:
        CLIENTS.discard(websocket)
''',
    """
async def client_{n}(uri="ws://localhost:{port}/{n}"):
    async with websockets.connect(uri, extra_headers={{"X-N": "{n}"}}, timeout=10) as ws:
        await ws.send("hello {n}")
        reply = await ws.recv()
        if ws.closed:
            return None
        return reply, ws.response_headers, ws.host, ws.port, ws.secure
""",
    """
async def process_request_{n}(path, request_headers):
    if path == "/health/{n}":
        return http.HTTPStatus.OK, [], b"OK\\n"
    if "Authorization" not in request_headers:  # noqa: WSU302
        return http.HTTPStatus.UNAUTHORIZED, [], b"no\\n"
    return None
""",
    '''
class Protocol{n}(WebSocketCommonProtocol):
    """A legacy protocol subclass, number {n}."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_{n} = 0

    async def recv(self):
        self.count_{n} += 1
        return await super().recv()
''',
    """
def select_subprotocol_{n}(client_subprotocols, server_subprotocols):
    for protocol in client_subprotocols:
        if protocol in server_subprotocols:
            return protocol
    return None


async def serve_{n}():
    async with websockets.serve(
        handler_{n},
        "localhost",
        {port},
        process_request=process_request_{n},
        select_subprotocol=select_subprotocol_{n},
        extra_headers=[("X-Server", "{n}")],
        create_protocol=Protocol{n},
        read_limit=2 ** 16,
    ):
        await asyncio.Future()
""",
    """
class Room{n}:
    def __init__(self):
        self.members = set()
        self.ws = None

    async def join(self, websocket):
        self.members.add(websocket)
        self.ws = websocket
        try:
            message = await websocket.recv()
            text = message.decode() if isinstance(message, bytes) else message
            print(text, websocket.path, self.ws.closed)
        except websockets.ConnectionClosedError as exc:
            print("closed", exc.code)  # noqa
        except InvalidStatusCode as exc:
            print(exc.status_code)
""",
]


def generate(size: int) -> str:
    """A legacy websockets module of about ``size`` bytes (at least one of each snippet)."""
    parts = [HEADER]
    total = len(HEADER)
    n = 0
    while total < size:
        for snippet in SNIPPETS:
            text = snippet.format(n=n, port=8000 + n % 1000)
            parts.append(text)
            total += len(text)
        n += 1
    return "".join(parts)


def run_cli(path: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and the diagnostic count of ``wsu check --no-cache``."""
    code = (
        "import resource, sys\n"
        "from lint_plugin.cli import main\n"
        "try:\n"
        "    status = main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    status = exc.code\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    start = time.perf_counter()
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "check",
            "--no-cache",
            "--exit-zero",
            "--output-format",
            "concise",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    try:
        rss = int(completed.stderr.strip().splitlines()[-1]) / 1024
    except (IndexError, ValueError):
        raise SystemExit(f"large_files: wsu check failed: {completed.stderr[-2000:]}") from None
    count = sum(1 for line in completed.stdout.splitlines() if ": WSU" in line)
    return elapsed, rss, count


def run_in_process(source: str) -> tuple[float, float, int]:
    """CPU seconds, tracemalloc peak (MB) and diagnostic count of ``check_source``."""
    from lint_plugin.engine import check_source

    check_source(HEADER + SNIPPETS[0].format(n=0, port=1))  # imports, caches
    tracemalloc.start()
    start = time.process_time()
    result = check_source(source, filename="large.py")
    cpu = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return cpu, peak, len(result.diagnostics)


def run_server(source: str) -> tuple[float, float]:
    """Seconds from didOpen to diagnostics, and from a one-character edit to diagnostics."""
    from benchmarks._lsp_driver import Driver

    driver = Driver()
    try:
        opened = driver.open(source)
        edited = driver.edit_last_line()
    finally:
        driver.close()
    return opened, edited


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.large_files", description=__doc__)
    parser.add_argument(
        "--sizes", default="1,2,5,10", help="comma-separated sizes in MB (default 1,2,5,10)"
    )
    parser.add_argument("--no-server", action="store_true", help="skip the language server")
    options, _ = parser.parse_known_args(argv)
    sizes = [float(s) for s in options.sizes.split(",") if s]
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(
        f"{'size':>6} {'lines':>8} {'diags':>7} | {'cli wall':>9} {'cli RSS':>9} |"
        f" {'cpu':>7} {'tracemalloc':>11} | {'lsp open':>9} {'lsp edit':>9}"
    )
    with tempfile.TemporaryDirectory(prefix="wsu-large-") as scratch:
        for mb in sizes:
            source = generate(int(mb * 1_000_000))
            path = Path(scratch) / "large.py"
            path.write_text(source)
            wall, rss, _ = run_cli(path)
            cpu, peak, count = run_in_process(source)
            if options.no_server:
                opened = edited = float("nan")
            else:
                opened, edited = run_server(source)
            print(
                f"{mb:5.0f}M {source.count(chr(10)):8d} {count:7d} | {wall:8.2f}s {rss:7.0f}MB |"
                f" {cpu:6.2f}s {peak:9.0f}MB | {opened:8.2f}s {edited:8.2f}s",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
