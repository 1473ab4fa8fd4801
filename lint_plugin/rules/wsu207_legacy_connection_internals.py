"""WSU207 legacy-connection-internals."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Diagnostic, FixAvailability
from lint_plugin.rules._connections import hinted_attributes
from lint_plugin.spec import Rule, RuleSpec

#: Legacy-only members -> the closest documented API of the new implementation.
MEMBERS = {
    "available_subprotocols": "the `subprotocols` argument of `connect()` / `serve()`",
    "extra_headers": "`{conn}.request.headers`",
    "messages": "`await {conn}.recv()`",
    "transfer_data_task": "`await {conn}.wait_closed()`",
    "close_connection_task": "`await {conn}.wait_closed()`",
    "keepalive_ping_task": "the `ping_interval` / `ping_timeout` arguments",
    "fail_connection": "`await {conn}.close(code, reason)`",
    "ensure_open": "calling `send()` / `recv()` and handling `ConnectionClosed`",
    "read_message": "`await {conn}.recv()`",
    "read_data_frame": "`{conn}.recv_streaming()`",
    "read_frame": "`{conn}.recv_streaming()`",
    "write_frame": "`await {conn}.send(...)`",
    "write_close_frame": "`await {conn}.close(code, reason)`",
    "legacy_recv": "handling `ConnectionClosed` around `recv()`",
    "loop": "`asyncio.get_running_loop()`",
    "close_rcvd": "`{conn}.close_code` / `{conn}.close_reason`",
    "close_sent": "`{conn}.close_code` / `{conn}.close_reason`",
    "close_rcvd_then_sent": "`{conn}.close_code` / `{conn}.close_reason`",
    "connection_open": "nothing: the new implementation opens connections itself",
    "is_client": "`isinstance({conn}, ClientConnection)`",
    "side": "`isinstance({conn}, ClientConnection)`",
    "reader": "`{conn}.recv()` / `{conn}.recv_streaming()`",
    "max_queue": "the `max_queue` argument (now counted in frames)",
    "read_limit": "nothing: the new implementation has no read buffer",
    "pings": "`await {conn}.ping()`, which returns the latency",
    "handshake": "the `process_request` / `process_response` callables",
    # Methods of the legacy protocol the new connection has no counterpart of (pymee calls
    # ``abort_pings()`` when its connection drops).
    "abort_pings": "nothing: the new connection runs its own pings (`ping_interval=`)",
    "connection_closed_exc": "`{conn}.close_code` / `{conn}.close_reason`",
    "wait_for_connection_lost": "`await {conn}.wait_closed()`",
    "close_transport": "`await {conn}.close()`",
    "keepalive_ping": "the `ping_interval` / `ping_timeout` arguments",
    "close_connection": "`await {conn}.close()`",
    "transfer_data": "`await {conn}.recv()`",
    "transfer_data_exc": "`{conn}.close_code` / `{conn}.close_reason`",
    "process_extensions": "the `extensions` argument of `connect()` / `serve()`",
    "process_subprotocol": "the `subprotocols` / `select_subprotocol` arguments",
    "read_http_response": "the `process_response` callable",
    "write_http_request": "the `additional_headers` argument",
    "write_frame_sync": "`await {conn}.send(...)`",
}

SPEC = RuleSpec(
    code="WSU207",
    name="legacy-connection-internals",
    summary="Legacy-only member of a connection",
    message="`{conn}.{attr}` is an internal of the legacy implementation; use {hint}",
    fix_title="Use {hint}",
    fix_availability=FixAvailability.NONE,
    applicability=None,
    deprecated_in="14.0 (not in the new implementation)",
    fix_from=(13, 0),
    example_flagged_at=(2, 20),
    what_it_does=(
        "Checks for members of a connection that only the legacy implementation has: "
        + ", ".join(f"`{m}`" for m in sorted(MEMBERS))
        + "."
    ),
    why_bad=(
        "Code relied on these undocumented internals of `WebSocketCommonProtocol`. The new "
        "implementation does not have them; each has a documented replacement."
    ),
    example=(
        "async def reader(websocket):\n"
        "    message = await websocket.read_message()\n"
        "\n"
        "async def main():\n"
        "    from websockets.asyncio.client import connect\n"
        '    async with connect("ws://localhost:8765") as websocket:\n'
        "        await reader(websocket)\n"
    ),
    use_instead=(
        "async def reader(websocket):\n"
        "    message = await websocket.recv()\n"
        "\n"
        "async def main():\n"
        "    from websockets.asyncio.client import connect\n"
        '    async with connect("ws://localhost:8765") as websocket:\n'
        "        await reader(websocket)\n"
    ),
    fix_safety="No fix: each replacement changes how the code is structured.",
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    return hinted_attributes(ctx, SPEC, MEMBERS)


RULE = Rule(SPEC, check)
