"""Integration tests for the chat server (pytest + pytest-asyncio).

Written against websockets 10: they start the real server on an ephemeral port and
talk to it with the library's client.
"""

import asyncio
import json
from unittest import mock

import pytest
import websockets

from chat import server as chat_server


@pytest.fixture
async def running_server():
    server = await websockets.serve(chat_server.chat, "127.0.0.1", 0, process_request=chat_server.health_check)
    port = server.sockets[0].getsockname()[1]
    yield f"ws://127.0.0.1:{port}"
    server.close()
    await server.wait_closed()


async def recv_json(ws, timeout=2):
    return json.loads(await asyncio.wait_for(ws.recv(), timeout=timeout))


@pytest.mark.asyncio
async def test_connect_and_join(running_server):
    async with websockets.connect(running_server + "/room/test", extra_headers={"X-Nickname": "ann"}) as ws:  # error: WSU401
        assert ws.open  # error: WSU201
        event = await recv_json(ws)
        assert event["type"] == "join"
        assert event["nick"] == "ann"
        assert ws.response_headers["X-Chat-Version"] == "2.3"  # error: WSU205
    assert ws.closed  # error: WSU202


@pytest.mark.asyncio
async def test_messages_are_relayed(running_server):
    url = running_server + "/room/relay"
    async with websockets.connect(url) as alice, websockets.connect(url) as bob:
        await recv_json(alice)
        await recv_json(alice)
        await recv_json(bob)
        await alice.send(json.dumps({"type": "say", "text": "hi bob"}))
        event = await recv_json(bob)
        assert event == {"type": "say", "nick": mock.ANY, "text": "hi bob", "at": mock.ANY}
        assert bob.path == "/room/relay"  # error: WSU203


@pytest.mark.asyncio
async def test_invalid_json_is_reported(running_server):
    async with websockets.connect(running_server + "/room/x", timeout=1) as ws:  # error: WSU406
        await recv_json(ws)
        await ws.send("not json")
        assert (await recv_json(ws))["reason"] == "invalid JSON"


@pytest.mark.asyncio
async def test_unknown_path_is_rejected(running_server):
    with pytest.raises(websockets.InvalidStatusCode):  # error: WSU105
        async with websockets.connect(running_server + "/nowhere"):
            pass


@pytest.mark.asyncio
async def test_close_code(running_server):
    ws = await websockets.connect(running_server + "/room/close")
    await ws.close(code=4000, reason="bye")
    assert ws.close_code == 4000
    assert ws.close_reason == "bye"


@pytest.mark.asyncio
async def test_server_goes_away(running_server):
    async with websockets.connect(running_server + "/room/gone") as ws:
        await recv_json(ws)
        ws.fail_connection(1001)  # error: WSU207
        with pytest.raises(websockets.ConnectionClosed) as exc_info:
            await ws.recv()
    assert exc_info.value.rcvd is None


@pytest.mark.asyncio
async def test_health_endpoint_uses_legacy_signature():
    status, headers, body = await chat_server.health_check("/healthz", {})
    assert status == 200
    assert json.loads(body)["rooms"] == 0


def test_broadcast_is_called():
    websockets = mock.MagicMock()
    with mock.patch.object(chat_server, "websockets", websockets):
        chat_server.publish("lobby", {"type": "say"})
    websockets.broadcast.assert_called_once()
    assert websockets.WebSocketServerProtocol is not None
