"""Admin console: a password-protected websocket shell into the running service.

Operators authenticate with HTTP Basic; each line they send is evaluated against a small
command table and the result is sent back. Written for websockets 9, when Basic auth
lived in websockets.auth and Headers in websockets.http.
"""

import asyncio
import functools
import hashlib
import hmac
import json
import logging
import os
import shlex

import websockets
from websockets.auth import BasicAuthWebSocketServerProtocol  # error: WSU106
from websockets.exceptions import AbortHandshake  # error: WSU105
from websockets.http import Headers  # error: WSU106

log = logging.getLogger("admin")

USERS = {"ops": hashlib.sha256(os.environ.get("ADMIN_PASSWORD", "change-me").encode()).hexdigest()}
ALLOWED_NETWORKS = ("10.", "192.168.", "127.")


class AdminProtocol(BasicAuthWebSocketServerProtocol):  # error: WSU304, WSU411
    async def check_credentials(self, username, password):
        expected = USERS.get(username)
        digest = hashlib.sha256(password.encode()).hexdigest()
        return expected is not None and hmac.compare_digest(expected, digest)

    async def process_request(self, path, request_headers):  # error: WSU302
        peer = self.transport.get_extra_info("peername")[0]
        if not peer.startswith(ALLOWED_NETWORKS):
            raise AbortHandshake(403, Headers([("Content-Type", "text/plain")]), b"not from here\n")
        return await super().process_request(path, request_headers)


def cmd_status(ws: BasicAuthWebSocketServerProtocol, *args):
    return {"user": ws.username, "tasks": len(asyncio.all_tasks()), "secure": ws.secure}  # error: WSU206


def cmd_env(ws, name=None):
    if name is None:
        return sorted(k for k in os.environ if not k.endswith(("KEY", "SECRET", "PASSWORD")))
    return os.environ.get(name)


def cmd_loglevel(ws, level="INFO"):
    logging.getLogger().setLevel(level.upper())
    return {"level": level.upper()}


COMMANDS = {"status": cmd_status, "env": cmd_env, "loglevel": cmd_loglevel}


async def console(websocket: AdminProtocol, path):  # error: WSU301
    log.warning("admin session for %s from %s", websocket.username, websocket.remote_address)
    await websocket.send(f"welcome {websocket.username}; commands: {', '.join(sorted(COMMANDS))}")
    async for line in websocket:
        parts = shlex.split(line)
        if not parts:
            continue
        command = COMMANDS.get(parts[0])
        if command is None:
            await websocket.send(f"unknown command {parts[0]!r}")
            continue
        try:
            result = command(websocket, *parts[1:])
        except TypeError as exc:
            result = {"error": str(exc)}
        await websocket.send(json.dumps(result, indent=2, default=str))


async def main():
    async with websockets.serve(
        console,
        "127.0.0.1",
        int(os.environ.get("ADMIN_PORT", "8022")),
        create_protocol=functools.partial(AdminProtocol, realm="admin"),  # error: WSU404
        max_size=4096,
    ):
        await asyncio.Future()


async def check_admin_port(url):
    uri = websockets.parse_uri(url)  # error: WSU106
    log.info("checking %s:%s", uri.host, uri.port)
    try:
        async with websockets.connect(url, extra_headers=Headers(Authorization="Basic b3BzOng=")) as ws:  # error: WSU401
            return ws.open  # error: WSU201
    except websockets.InvalidStatusCode as exc:  # error: WSU105
        return exc.status_code == 401  # error: WSU105


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())
