"""The interactive client: ``python -m websockets_impl ws://host:port/path``.

Lines typed on standard input are sent as text messages; messages received are printed
above the input line as they arrive.

"""

from __future__ import annotations

import argparse
import asyncio
import os
import ssl
import sys
import threading
from typing import Any

from .asyncio.client import ClientConnection, connect
from .frames import Close
from .version import version as websockets_version

__all__ = ["main"]

# Printing above the prompt, in VT100: save the cursor, go one line down then back up
# (scrolling when at the bottom), insert a blank line there, go to its first column and
# print; then restore the cursor and go down one line, where the prompt moved.
BEFORE_MESSAGE = "\N{ESC}7\n\N{ESC}[A\N{ESC}[L\N{ESC}[G"
AFTER_MESSAGE = "\n\N{ESC}8\N{ESC}[B"
CLEAR_LINE = "\r\N{ESC}[K"

# repr()-style escapes for C0 and C1 control characters, so the terminal stays usable.
CONTROL_CHARACTERS = {code: repr(chr(code))[1:-1] for code in (*range(32), *range(127, 160))}


def escape(text: str) -> str:
    """``text`` with its control characters escaped as Python writes them."""
    return text.translate(CONTROL_CHARACTERS)


def print_during_input(line: str) -> None:
    sys.stdout.write(f"{BEFORE_MESSAGE}{line}{AFTER_MESSAGE}")
    sys.stdout.flush()


def print_over_input(line: str) -> None:
    sys.stdout.write(f"{CLEAR_LINE}{line}\n")
    sys.stdout.flush()


def read_stdin(
    loop: asyncio.AbstractEventLoop, lines: asyncio.Queue[str | None], stop: threading.Event
) -> None:
    """Read lines from stdin in a thread; queue each one, then ``None`` at EOF."""
    try:
        while not stop.is_set():
            try:
                line = input("> ")
            except EOFError:
                break
            loop.call_soon_threadsafe(lines.put_nowait, line.rstrip("\r\n"))
    finally:
        loop.call_soon_threadsafe(lines.put_nowait, None)


async def print_incoming(connection: ClientConnection) -> None:
    async for message in connection:
        if isinstance(message, str):
            print_during_input(f"< {escape(message)}")
        else:
            print_during_input(f"< (binary) {message.hex()}")


async def send_outgoing(connection: ClientConnection, lines: asyncio.Queue[str | None]) -> None:
    while (line := await lines.get()) is not None:
        await connection.send(line)


async def interactive_client(uri: str, **kwargs: Any) -> int:
    try:
        connection = await connect(uri, **kwargs)
    except Exception as exc:
        print(f"Failed to connect to {uri}: {exc}.")
        return 1
    print(f"Connected to {uri}.")

    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str | None] = asyncio.Queue()
    stop = threading.Event()
    # A daemon thread: a blocking read of stdin mustn't keep the process alive.
    threading.Thread(target=read_stdin, args=(loop, lines, stop), daemon=True).start()

    incoming = asyncio.create_task(print_incoming(connection))
    outgoing = asyncio.create_task(send_outgoing(connection, lines))
    try:
        await asyncio.wait([incoming, outgoing], return_when=asyncio.FIRST_COMPLETED)
        if outgoing.done():
            # End of input: close, still printing what arrives until the server answers.
            await connection.close()
            await asyncio.gather(incoming, return_exceptions=True)
    finally:
        stop.set()
        incoming.cancel()
        outgoing.cancel()
        await asyncio.gather(incoming, outgoing, return_exceptions=True)
        await connection.close()
        close = Close(
            connection.close_code if connection.close_code is not None else 1006,
            connection.close_reason or "",
        )
        print_over_input(f"Connection closed: {close}.")
    return 0


def main(argv: list[str] | None = None) -> None:
    """Run the interactive client with the command line arguments ``argv``."""
    parser = argparse.ArgumentParser(
        prog="websockets",
        description="Interactive WebSocket client.",
        add_help=False,
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--version", action="store_true")
    group.add_argument("uri", metavar="<uri>", nargs="?")
    parser.add_argument("--insecure", action="store_true")
    parser.add_argument("--help", action="help")
    args = parser.parse_args(argv)

    if args.version:
        print(f"websockets {websockets_version}")
        sys.exit(0)
    if args.uri is None:
        parser.print_usage()
        sys.exit(2)

    if sys.platform == "win32":  # pragma: no cover
        os.system("")  # enables VT100 escape sequences in the console
    try:
        import readline  # noqa: F401  (line editing for input())
    except ImportError:  # pragma: no cover
        pass

    kwargs: dict[str, Any] = {}
    if args.insecure and args.uri.startswith("wss://"):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        kwargs["ssl"] = context
    try:
        status = asyncio.run(interactive_client(args.uri, **kwargs))
    except KeyboardInterrupt:
        # Ctrl-C ends the session without a traceback.
        status = 0
    sys.exit(status)
