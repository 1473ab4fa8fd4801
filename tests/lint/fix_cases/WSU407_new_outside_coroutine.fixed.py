# wsu: target-version=14.0
"""`loop=` on a call made outside a coroutine that is already the new implementation
(yt-dlp's sync wrapper, on a websockets without a pin): the new `connect()` takes no loop
and binds none until it is awaited, so `loop=` goes wherever the call is made. On a
legacy call made there it stays (hint only): the loop given is the one it runs on."""

import asyncio

import websockets
from websockets.legacy.client import connect as legacy_connect


class Wrapper:
    def __init__(self, url):
        self.loop = asyncio.new_event_loop()
        self.conn = websockets.connect(url)
        self.ws = self.loop.run_until_complete(self.conn.__aenter__())

    def recv(self):
        return self.loop.run_until_complete(self.ws.recv())


class LegacyWrapper:
    def __init__(self, url):
        self.loop = asyncio.new_event_loop()
        self.conn = legacy_connect(url, loop=self.loop)
        self.ws = self.loop.run_until_complete(self.conn.__aenter__())
