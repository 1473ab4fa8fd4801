"""Local control agent: a websocket server on a Unix socket plus its command-line client.

    agent serve                      # listen on $XDG_RUNTIME_DIR/agent.sock
    agent call status                # one request, prints the JSON reply
    agent tail                       # stream log events until Ctrl-C

Built on websockets_impl's legacy implementation (unix_serve / unix_connect).
"""

import argparse
import asyncio
import json
import logging
import os
import sys
import time

import websockets_impl.legacy.client  # error: WSU101
from websockets_impl.legacy.server import unix_serve  # error: WSU101
from websockets_impl.exceptions import ConnectionClosed

log = logging.getLogger("agent")

SOCKET = os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "agent.sock")
STARTED = time.time()
TAILERS = set()


def emit(level, text):
    event = json.dumps({"ts": time.time(), "level": level, "text": text})
    for ws in list(TAILERS):
        asyncio.ensure_future(ws.send(event))


async def do_status(args):
    return {"pid": os.getpid(), "uptime": round(time.time() - STARTED, 1), "tailers": len(TAILERS)}


async def do_reload(args):
    emit("info", "configuration reloaded")
    return {"reloaded": True}


COMMANDS = {"status": do_status, "reload": do_reload}


async def control(ws, path):  # error: WSU301
    if path == "/tail":
        TAILERS.add(ws)
        try:
            await ws.wait_closed()
        finally:
            TAILERS.discard(ws)
        return
    async for raw in ws:
        request = json.loads(raw)
        command = COMMANDS.get(request.get("cmd"))
        if command is None:
            await ws.send(json.dumps({"error": f"unknown command {request.get('cmd')!r}"}))
            continue
        reply = await command(request.get("args", []))
        emit("debug", f"{request['cmd']} from {ws.request_headers.get('User-Agent', '?')}")  # error: WSU204
        await ws.send(json.dumps(reply))


async def serve_forever():
    if os.path.exists(SOCKET):
        os.unlink(SOCKET)
    async with unix_serve(control, SOCKET, timeout=1, max_queue=4):  # error: WSU406, WSU410
        os.chmod(SOCKET, 0o600)
        log.info("agent listening on %s", SOCKET)
        await asyncio.Future()


async def call(cmd, args):
    async with websockets_impl.legacy.client.unix_connect(SOCKET, "ws://localhost/control") as ws:  # error: WSU101
        await ws.send(json.dumps({"cmd": cmd, "args": args}))
        print(json.dumps(json.loads(await ws.recv()), indent=2))


async def tail():
    ws = await websockets_impl.legacy.client.unix_connect(SOCKET, "ws://localhost/tail")  # error: WSU101
    try:
        while ws.open:  # error: WSU201
            event = json.loads(await ws.recv())
            print(f"{time.strftime('%H:%M:%S', time.localtime(event['ts']))} {event['level']:>5} {event['text']}")
    except ConnectionClosed as exc:
        print(f"agent closed the stream ({exc.code})", file=sys.stderr)  # error: WSU208
    finally:
        await ws.close()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="agent")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("serve")
    call_parser = sub.add_parser("call")
    call_parser.add_argument("cmd")
    call_parser.add_argument("args", nargs="*")
    sub.add_parser("tail")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    try:
        if args.action == "serve":
            asyncio.run(serve_forever())
        elif args.action == "call":
            asyncio.run(call(args.cmd, args.args))
        else:
            asyncio.run(tail())
    except KeyboardInterrupt:
        return 130
    except (FileNotFoundError, ConnectionRefusedError):
        print(f"agent is not running ({SOCKET})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
