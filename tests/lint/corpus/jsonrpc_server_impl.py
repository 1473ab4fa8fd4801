"""JSON-RPC 2.0 over websocket, with server-initiated notifications.

Methods are registered with a decorator; each connection gets a Session that can push
notifications to the client. Written for websockets 8.1 and moved to websockets_impl
without touching the code.
"""

import asyncio
import inspect
import json
import logging
import traceback

import websockets_impl
from websockets_impl.exceptions import ConnectionClosed, WebSocketProtocolError  # error: WSU105
from websockets_impl.http import Headers  # error: WSU106

log = logging.getLogger("jsonrpc")

PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, INTERNAL_ERROR = -32700, -32600, -32601, -32602, -32603

METHODS = {}


def method(name=None):
    def register(func):
        METHODS[name or func.__name__] = func
        return func

    return register


class RPCError(Exception):
    def __init__(self, code, message, data=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


class Session:
    def __init__(self, websocket: websockets_impl.WebSocketServerProtocol):  # error: WSU103
        self.websocket = websocket
        self.subscriptions = set()

    async def notify(self, method_name, params):
        if not self.websocket.open:  # error: WSU201
            return
        await self.websocket.send(json.dumps({"jsonrpc": "2.0", "method": method_name, "params": params}))


class TracingProtocol(websockets_impl.WebSocketServerProtocol):  # error: WSU103, WSU304
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = 0

    async def process_request(self, path, request_headers: Headers):  # error: WSU302
        log.debug("handshake %s %s", path, request_headers.get("User-Agent"))
        return None


@method()
async def echo(session, *args):
    return list(args)


@method("subscribe")
async def subscribe(session, topic):
    session.subscriptions.add(topic)
    return {"subscribed": topic}


@method("server.info")
async def server_info(session):
    ws: websockets_impl.WebSocketServerProtocol = session.websocket  # error: WSU103
    return {"peer": ws.remote_address, "subprotocol": ws.subprotocol, "path": ws.path}  # error: WSU203


async def dispatch(session, request):
    if not isinstance(request, dict) or request.get("jsonrpc") != "2.0" or "method" not in request:
        raise RPCError(INVALID_REQUEST, "invalid request")
    func = METHODS.get(request["method"])
    if func is None:
        raise RPCError(METHOD_NOT_FOUND, f"method not found: {request['method']}")
    params = request.get("params", [])
    try:
        bound = inspect.signature(func).bind(session, *params) if isinstance(params, list) else inspect.signature(func).bind(session, **params)
    except TypeError as exc:
        raise RPCError(INVALID_PARAMS, str(exc)) from exc
    return await func(*bound.args, **bound.kwargs)


async def handle_message(session, raw):
    try:
        request = json.loads(raw)
    except ValueError:
        return {"jsonrpc": "2.0", "id": None, "error": {"code": PARSE_ERROR, "message": "parse error"}}
    request_id = request.get("id") if isinstance(request, dict) else None
    try:
        result = await dispatch(session, request)
    except RPCError as exc:
        error = {"code": exc.code, "message": exc.message}
        if exc.data is not None:
            error["data"] = exc.data
        return {"jsonrpc": "2.0", "id": request_id, "error": error}
    except Exception:
        log.exception("method failed")
        return {"jsonrpc": "2.0", "id": request_id, "error": {"code": INTERNAL_ERROR, "message": traceback.format_exc(limit=1)}}
    if request_id is None:
        return None
    return {"jsonrpc": "2.0", "id": request_id, "result": result}


async def rpc_handler(websocket, path):  # error: WSU301
    session = Session(websocket)
    websocket.calls = 0
    try:
        async for raw in websocket:
            websocket.calls += 1
            response = await handle_message(session, raw)
            if response is not None:
                await websocket.send(json.dumps(response))
    except ConnectionClosed as exc:
        log.info("client went away: %s", exc.code)  # error: WSU208
    except WebSocketProtocolError:
        log.warning("protocol error from %s", websocket.remote_address)


def main():
    logging.basicConfig(level=logging.DEBUG)
    loop = asyncio.get_event_loop()
    server = loop.run_until_complete(
        websockets_impl.serve(  # error: WSU104
            ws_handler=rpc_handler,  # error: WSU403
            host="127.0.0.1",
            port=4000,
            klass=TracingProtocol,  # error: WSU405
            subprotocols=["jsonrpc2.0"],
        )
    )
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())


if __name__ == "__main__":
    main()
