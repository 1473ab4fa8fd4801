#!/usr/bin/env python3
"""wsdump: an interactive websocket client for the terminal.

    wsdump wss://echo.example.com -H "Authorization: Bearer x" --subprotocol chat

Lines typed on stdin are sent as text frames; everything received is printed with a
timestamp. Ctrl-D closes the connection cleanly.
"""

import argparse
import asyncio
import datetime
import json
import os
import ssl
import sys

import websockets
import websockets.exceptions


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="wsdump", description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("-H", "--header", action="append", default=[], help="extra request header")
    parser.add_argument("--origin")
    parser.add_argument("--subprotocol", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=10.0, help="closing handshake timeout")
    parser.add_argument("--insecure", action="store_true", help="skip TLS verification")
    parser.add_argument("--json", action="store_true", help="pretty-print JSON messages")
    parser.add_argument("--raw", action="store_true", help="print headers and frames only")
    return parser.parse_args(argv)


def parse_headers(values):
    headers = []
    for value in values:
        name, sep, content = value.partition(":")
        if not sep:
            raise SystemExit(f"wsdump: bad header {value!r} (expected 'Name: value')")
        headers.append((name.strip(), content.strip()))
    return headers


def stamp():
    return datetime.datetime.now().strftime("%H:%M:%S.%f")[:-3]


def render(message, pretty):
    if isinstance(message, bytes):
        return f"<{len(message)} bytes> {message[:64].hex()}"
    if pretty:
        try:
            return json.dumps(json.loads(message), indent=2, sort_keys=True)
        except ValueError:
            pass
    return message


async def read_stdin(queue):
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        await queue.put(line if line else None)
        if not line:
            return


async def session(args):
    context = None
    if args.url.startswith("wss://") and args.insecure:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    async with websockets.connect(
        args.url,
        extra_headers=parse_headers(args.header),  # error: WSU401
        origin=args.origin,
        subprotocols=args.subprotocol or None,
        timeout=args.timeout,  # error: WSU406
        ssl=context,
    ) as ws:
        print(f"# connected to {ws.host}:{ws.port} secure={ws.secure}", file=sys.stderr)  # error: WSU206, WSU206, WSU206
        for name, value in ws.response_headers.raw_items():  # error: WSU205
            print(f"# < {name}: {value}", file=sys.stderr)
        if ws.subprotocol:
            print(f"# subprotocol: {ws.subprotocol}", file=sys.stderr)
        queue = asyncio.Queue()
        reader = asyncio.create_task(read_stdin(queue))
        try:
            while not ws.closed:  # error: WSU202
                get_line = asyncio.create_task(queue.get())
                get_msg = asyncio.create_task(ws.recv())
                done, pending = await asyncio.wait({get_line, get_msg}, return_when=asyncio.FIRST_COMPLETED)
                for task in pending:
                    task.cancel()
                if get_msg in done:
                    print(f"{stamp()} < {render(get_msg.result(), args.json)}")
                if get_line in done:
                    line = get_line.result()
                    if line is None:
                        await ws.close()
                        break
                    await ws.send(line.rstrip("\n"))
                    print(f"{stamp()} > {line.rstrip()}")
        except websockets.exceptions.ConnectionClosed as exc:
            print(f"# connection closed: {exc.code} {exc.reason or '(no reason)'}", file=sys.stderr)  # error: WSU208, WSU208
        finally:
            reader.cancel()


def main(argv=None):
    args = parse_args(argv)
    try:
        asyncio.run(session(args))
    except websockets.exceptions.InvalidStatusCode as exc:  # error: WSU105
        print(f"wsdump: server rejected the handshake with HTTP {exc.status_code}", file=sys.stderr)  # error: WSU105
        return 2
    except websockets.exceptions.InvalidURI as exc:
        print(f"wsdump: {exc}", file=sys.stderr)
        return 2
    except (OSError, asyncio.TimeoutError) as exc:
        print(f"wsdump: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(os.environ.get("WSDUMP_ARGS", "").split() or None))
