"""Cost of one large module: ``wsu check`` and the language server at 1, 2, 5 and 10 MB.

The module is generated: realistic legacy websockets code (handlers, ``connect()`` and
``serve()`` calls, attribute reads, ``process_request`` callbacks, protocol subclasses,
noqa comments) repeated with varied names until the wanted size. Figures, per size:

- ``wsu check --no-cache`` on the file (the default, full, report), in a subprocess: wall
  time and peak RSS;
- in-process ``check_source``: CPU time and the tracemalloc peak (noise-free growth);
- the language server, driven in-process: time from ``didOpen`` to the published
  diagnostics, and from an edit (``didChange``) to the next publication.

Not a timed test: the growth from 1 to 10 MB shows whether the cost is linear. Modules
above ``lint_plugin.segments.THRESHOLD`` are checked in segments; ``--whole`` checks them
whole everywhere (the CLI, in-process, the server), as before segments, to compare.
"""

from __future__ import annotations

import argparse
import math
import os
import re
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
from websockets.exceptions import ConnectionClosed

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
    try:
        async with websockets.connect(uri, extra_headers={{"X-N": "{n}"}}, timeout=10) as ws:
            await ws.send("hello {n}")
            reply = await ws.recv()
            if ws.closed:
                return None
            return reply, ws.response_headers, ws.host, ws.port, ws.secure
    except websockets.InvalidStatusCode as exc:
        print(exc.status_code)
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
""",
]


#: Code without websockets, for ``generate``'s ``plain``.
PLAIN = """
class Ledger{n}:
    \"\"\"Bookkeeping for account {n}.\"\"\"

    def __init__(self, owner, opening=0):
        self.owner = owner
        self.entries = [("opening", opening)]
        self.tags = {{}}

    def add(self, label, amount, *, tag=None):
        if not isinstance(amount, (int, float)):
            raise TypeError(f"amount must be a number, not {{type(amount).__name__}}")
        self.entries.append((label, amount))
        if tag is not None:
            self.tags.setdefault(tag, []).append(len(self.entries) - 1)
        return self.balance()

    def balance(self):
        return sum(amount for _, amount in self.entries)

    def report(self, width=40):
        lines = [f"{{self.owner:<{{width}}}}"]
        for label, amount in self.entries:
            lines.append(f"{{label:<{{width - 12}}}}{{amount:>12.2f}}")
        return "\\n".join(lines)


def summarise_{n}(ledgers):
    totals = {{}}
    for ledger in ledgers:
        for tag, indexes in ledger.tags.items():
            totals[tag] = totals.get(tag, 0) + sum(ledger.entries[i][1] for i in indexes)
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))
"""


def generate(size: int, plain: int = 0) -> str:
    """A legacy websockets module of about ``size`` bytes (at least one of each snippet);
    with ``plain``, that many classes and functions without websockets after each
    snippet (12: one finding per ~160 lines, instead of one per ~4)."""
    parts = [HEADER]
    total = len(HEADER)
    n = 0
    while total < size:
        for k, snippet in enumerate(SNIPPETS):
            texts = [snippet.format(n=n, port=8000 + n % 1000)]
            texts += [PLAIN.format(n=(n * len(SNIPPETS) + k) * plain + i) for i in range(plain)]
            parts.extend(texts)
            total += sum(len(text) for text in texts)
        n += 1
    return "".join(parts)


#: The module as generated, or changed into what the segmented check once took whole
#: (``--shape``): each adds or moves a few lines.
SHAPES = {
    "generated": lambda source: source,
    # A syntax error on the last line: the error used to be found by a whole parse.
    "broken-at-end": lambda source: source + "def broken(:\n    pass\n",
    # Another module's star import.
    "star-import": lambda source: "from os.path import *\n" + source,
    # websockets imported only inside functions.
    "imports-in-functions": lambda source: _IMPORTS.sub(
        lambda found: f"def _imports():\n    {found.group(0)}", source
    ),
}
_IMPORTS = re.compile(r"^(?:import|from) [^\n]*websockets[^\n]*\n", re.MULTILINE)


#: Run first in a process that must check every module whole (``--whole``), the language
#: server's buffers too (no segment cache).
WHOLE = (
    "from lint_plugin import segment_cache, segments\n"
    "segments.THRESHOLD = segment_cache.THRESHOLD = 1 << 62\n"
)


_HEADER = re.compile(r"^WSU\d+ ", re.MULTILINE)


def run_cli(path: Path, whole: bool = False) -> tuple[float, float, float, float, int]:
    """Wall and CPU seconds (worker processes included), peak RSS of the process and of its
    largest worker (MB), diagnostic count of ``wsu check --no-cache``."""
    code = (WHOLE if whole else "") + (
        "import resource, sys\n"
        "from lint_plugin.cli import main\n"
        "try:\n"
        "    status = main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    status = exc.code\n"
        "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
        "workers = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "cpu = usage.ru_utime + usage.ru_stime + workers.ru_utime + workers.ru_stime\n"
        # ru_maxrss keeps the peak of the process before its exec: the benchmark's own,
        # forked to start it. VmHWM is this program's alone.
        "peak = usage.ru_maxrss\n"
        "try:\n"
        "    with open('/proc/self/status') as status:\n"
        "        peak = next(int(l.split()[1]) for l in status if l.startswith('VmHWM:'))\n"
        "except (OSError, StopIteration):\n"
        "    pass\n"
        "print(cpu, peak, workers.ru_maxrss, file=sys.stderr)\n"
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
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    try:
        cpu, rss, workers = completed.stderr.strip().splitlines()[-1].split()
    except (IndexError, ValueError):
        raise SystemExit(f"large_files: wsu check failed: {completed.stderr[-2000:]}") from None
    # The default (full) format, as users run it: a header line per finding.
    count = len(_HEADER.findall(completed.stdout))
    return elapsed, float(cpu), int(rss) / 1024, int(workers) / 1024, count


def run_in_process(source: str, whole: bool = False) -> tuple[float, float, int]:
    """CPU seconds (slowed by tracemalloc), its peak (MB), diagnostics of ``check_source``."""
    from lint_plugin import segments
    from lint_plugin.engine import check_source

    check_source(HEADER + SNIPPETS[0].format(n=0, port=1))  # imports, caches
    threshold = segments.THRESHOLD
    if whole:
        segments.THRESHOLD = 1 << 62
    tracemalloc.start()
    start = time.process_time()
    try:
        result = check_source(source, filename="large.py")
    finally:
        segments.THRESHOLD = threshold
    cpu = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return cpu, peak, len(result.diagnostics)


def run_server(source: str, whole: bool = False) -> tuple[float, float, float, float]:
    """Seconds from didOpen to diagnostics (wall, and the server's CPU), and from a
    one-character edit to diagnostics (debounce 0)."""
    from benchmarks._lsp_driver import Driver

    whole_server(whole)
    driver = Driver()
    try:
        before = driver.cpu()
        opened = driver.open(source)
        server_cpu = driver.cpu() - before
        edited = driver.edit_last_line()
        rss = driver.peak_rss()
    finally:
        driver.close()
    return opened, server_cpu, edited, rss


def whole_server(whole: bool) -> None:
    """The driver's server checks buffers whole (``--whole``) or as it does by default."""
    from benchmarks import _lsp_driver

    _lsp_driver.SERVER = (
        [
            sys.executable,
            "-c",
            WHOLE + "import sys\nfrom lint_plugin.cli import main\nsys.exit(main(sys.argv[1:]))",
        ]
        if whole
        else _lsp_driver.DEFAULT_SERVER
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.large_files", description=__doc__)
    parser.add_argument(
        "--sizes", default="1,2,5,10", help="comma-separated sizes in MB (default 1,2,5,10)"
    )
    parser.add_argument("--no-server", action="store_true", help="skip the language server")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also the in-process tracemalloc peak (slow)"
    )
    parser.add_argument(
        "--whole", action="store_true", help="check modules whole, never in segments"
    )
    parser.add_argument(
        "--plain",
        type=int,
        default=0,
        metavar="N",
        help="N classes without websockets after each snippet (12: a finding per ~160"
        " lines; default 0: one per ~4, a worst case)",
    )
    parser.add_argument(
        "--shape",
        choices=list(SHAPES),
        default="generated",
        help="the generated module as it is (default), or with a syntax error on its last"
        " line, another module's star import, or websockets imported only in functions",
    )
    options, _ = parser.parse_known_args(argv)
    sizes = [float(s) for s in options.sizes.split(",") if s]
    mode = "whole modules" if options.whole else "large modules in segments"
    mode += f", {options.plain} plain classes per snippet, shape {options.shape}"
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {mode}")
    print(
        f"{'size':>5} {'lines':>7} {'diags':>6} | {'cli cpu':>8} {'cli wall':>8} {'cli RSS':>8}"
        f" {'RSS/src':>7} {'worker':>7} | {'trace':>7} | {'lsp open':>8} {'lsp cpu':>8} {'edit':>6}"
        f" {'lsp RSS':>8}"
    )
    with tempfile.TemporaryDirectory(prefix="wsu-large-") as scratch:
        for mb in sizes:
            source = SHAPES[options.shape](generate(int(mb * 1_000_000), options.plain))
            path = Path(scratch) / "large.py"
            path.write_text(source)
            wall, cpu, rss, worker_rss, count = run_cli(path, options.whole)
            peak = run_in_process(source, options.whole)[1] if options.tracemalloc else math.nan
            if options.no_server:
                opened = server_cpu = edited = server_rss = math.nan
            else:
                opened, server_cpu, edited, server_rss = run_server(source, options.whole)
            print(
                f"{mb:4g}M {source.count(chr(10)):7d} {count:6d} | {cpu:7.2f}s {wall:7.2f}s"
                f" {rss:6.0f}MB {rss * 1e6 / len(source):6.0f}x {worker_rss:5.0f}MB |"
                f" {peak:5.0f}MB |"
                f" {opened:7.2f}s {server_cpu:7.2f}s {edited:5.2f}s {server_rss:6.0f}MB",
                flush=True,
            )
    if not options.no_server:
        edit_latency(whole=options.whole)
    return 0


def edit_latency(lines: int = 5000, whole: bool = False) -> None:
    """The language server on a module of ``lines`` lines: an edit to its diagnostics, for
    a character typed on the last line, one typed in the middle, a line added in the
    middle (every segment after it moves); median of 5 each."""
    from benchmarks._lsp_driver import Driver

    source = generate(1000)
    while source.count("\n") < lines:
        source = generate(int(len(source) * lines / source.count("\n")) + 100)
    middle = source.count("\n") // 2
    edits = {
        "last line, a character": lambda driver: driver.edit_last_line(),
        "middle, a character": lambda driver: driver.insert(middle, "#"),
        "middle, a line": lambda driver: driver.insert(middle, "\n"),
    }
    whole_server(whole)
    for debounce in (0.0, None):
        driver = Driver(debounce=debounce)
        label = "0" if debounce is not None else "default"
        try:
            driver.open(source)
            for what, edit in edits.items():
                times = []
                for _ in range(5):
                    before = driver.cpu()
                    wall = edit(driver)
                    times.append((wall, driver.cpu() - before))
                wall, cpu = sorted(times)[len(times) // 2]
                print(
                    f"lsp, {source.count(chr(10))}-line module, debounce {label}, {what}:"
                    f" edit -> diagnostics {wall * 1000:.0f} ms wall,"
                    f" {cpu * 1000:.0f} ms server CPU (median of 5)",
                    flush=True,
                )
        finally:
            driver.close()


if __name__ == "__main__":
    sys.exit(main())
