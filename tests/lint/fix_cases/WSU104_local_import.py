# wsu: target-version=13.0
"""websockets imported in the function using it: the import the fix adds goes there too,
beside each import of it."""


async def check_health(address):
    import websockets

    async with websockets.connect(f"ws://{address}"):
        pass


async def check_twice(address):
    try: import websockets
    except ImportError: return
    async with websockets.connect(f"ws://{address}"):
        pass


async def install_if_missing(address):
    # seleniumbase: installed on the fly when the import fails; either import may run.
    try:
        import websockets
    except Exception:
        install("websockets")
        import websockets
    async with websockets.connect(f"ws://{address}"):
        pass


def install(name):
    return name
