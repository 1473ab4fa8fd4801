# wsu: target-version=14.0
"""websockets imported only where another import fails (absent under Pyodide, imjoy-rpc):
the import the fix adds goes beside it, in the handler."""

try:
    import js  # noqa: F401

    IS_PYODIDE = True
except ImportError:
    from websockets.asyncio.client import connect

    IS_PYODIDE = False


class Connection:
    def __init__(self, url):
        self.url = url
        self.websocket = None

    async def emit(self, data):
        if self.websocket is None or self.websocket.closed:
            self.websocket = await connect(self.url)
        await self.websocket.send(data)

    def forget(self):
        self.websocket.closed = True  # an assignment: a hint only
