# wsu: target-version=13.1
"""The legacy `connect` given as a parameter's default: the connections it opens are not
followed (`.closed` read on them would stay), so its switch is not applied."""

import websockets


class Browser:
    def __init__(self, ws_connector=websockets.connect):
        self._ws_connector = ws_connector
        self._ws_connection = None

    async def start(self, url):
        self._ws_connection = await self._ws_connector(url)
        return self._ws_connection.closed
