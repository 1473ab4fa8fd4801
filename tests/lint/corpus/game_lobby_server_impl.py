"""Lobby and match server for a turn-based multiplayer game.

Players authenticate with a session ticket in the query string; the custom protocol
class validates it during the handshake and keeps the player object on the connection.
Runs on websockets_impl through its legacy API (the original server predates 10.0).
"""

import asyncio
import http
import json
import logging
import secrets
import urllib.parse
from dataclasses import dataclass, field

import websockets_impl
from websockets_impl.legacy.server import WebSocketServerProtocol, serve  # error: WSU101
from websockets_impl.exceptions import AbortHandshake  # error: WSU105

log = logging.getLogger("lobby")

TICKETS: dict[str, str] = {}
MATCH_SIZE = 2


@dataclass
class Player:
    name: str
    rating: int = 1200
    ws: object = None


@dataclass
class Match:
    id: str
    players: list[Player] = field(default_factory=list)
    moves: list[dict] = field(default_factory=list)
    turn: int = 0


class GameProtocol(WebSocketServerProtocol):  # error: WSU304
    player: Player | None = None

    async def process_request(self, path, request_headers):  # error: WSU302
        parsed = urllib.parse.urlsplit(path)
        if parsed.path == "/status":
            return http.HTTPStatus.OK, [("Content-Type", "text/plain")], b"up\n"
        ticket = urllib.parse.parse_qs(parsed.query).get("ticket", [""])[0]
        name = TICKETS.pop(ticket, None)
        if name is None:
            raise AbortHandshake(http.HTTPStatus.UNAUTHORIZED, [], b"bad ticket\n")
        self.player = Player(name=name, ws=self)
        return None

    def connection_lost(self, exc):
        log.info("%s disconnected from %s", self.player.name if self.player else "?", self.host)  # error: WSU206
        super().connection_lost(exc)

    async def send_event(self, kind: str, **data) -> None:
        if self.open:  # error: WSU201
            await self.send(json.dumps({"event": kind, **data}))


class Lobby:
    def __init__(self) -> None:
        self.waiting: asyncio.Queue[GameProtocol] = asyncio.Queue()
        self.matches: dict[str, Match] = {}

    async def matchmaker(self) -> None:
        while True:
            first: GameProtocol = await self.waiting.get()
            second: GameProtocol = await self.waiting.get()
            if first.closed:  # error: WSU202
                await self.waiting.put(second)
                continue
            match = Match(id=secrets.token_hex(4), players=[first.player, second.player])
            self.matches[match.id] = match
            for seat, conn in enumerate((first, second)):
                await conn.send_event("match_start", match=match.id, seat=seat)

    async def play(self, ws: GameProtocol) -> None:
        await self.waiting.put(ws)
        await ws.send_event("queued", position=self.waiting.qsize())
        async for raw in ws:
            msg = json.loads(raw)
            match = self.matches.get(msg.get("match"))
            if match is None:
                await ws.send_event("error", reason="unknown match")
                continue
            seat = next(i for i, p in enumerate(match.players) if p is ws.player)
            if seat != match.turn % MATCH_SIZE:
                await ws.send_event("error", reason="not your turn")
                continue
            match.moves.append({"seat": seat, "move": msg["move"]})
            match.turn += 1
            for player in match.players:
                await player.ws.send_event("move", seat=seat, move=msg["move"])


LOBBY = Lobby()


async def handler(websocket):
    log.info("player %s on %s", websocket.player.name, websocket.path)  # error: WSU203
    await LOBBY.play(websocket)


def issue_ticket(name: str) -> str:
    ticket = secrets.token_urlsafe(16)
    TICKETS[ticket] = name
    return ticket


async def main() -> None:
    asyncio.create_task(LOBBY.matchmaker())
    async with serve(
        handler,
        "0.0.0.0",
        9300,
        create_protocol=GameProtocol,  # error: WSU404
        ping_interval=10,
        max_queue=8,  # error: WSU410
        read_limit=2**14,  # error: WSU408
    ):
        log.info("lobby ready; test ticket %s", issue_ticket("alice"))
        await asyncio.Future()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())
