# wsu: target-version=14.0
"""alienpy: headers holding `User-Agent` among others (a list of pairs bound to a name, a
dict): renamed, with `user_agent_header=None`, since the new client of websockets 14.x
adds its own `User-Agent` beside the one given; headers of unknown content are renamed
only; headers given through a dict get a hint."""

import websockets


async def listed(url):
    headers_list = [("User-Agent", "alien.py/1.4"), ("X-Token", "t")]
    async with websockets.connect(url, extra_headers=headers_list) as ws:
        return await ws.recv()


async def mixed(url, token):
    async with websockets.connect(url, extra_headers={"User-Agent": "a/1", "Authorization": token}) as ws:
        return await ws.recv()


async def unknown(url, headers):
    async with websockets.connect(url, extra_headers=headers) as ws:
        return await ws.recv()


async def splatted(url):
    # Given through a dict, there is no keyword to add beside it: a hint only.
    options = {"extra_headers": [("User-Agent", "a/1"), ("X-Token", "t")]}
    async with websockets.connect(url, **options) as ws:
        return await ws.recv()
