"""The handlers of ``held_shared_handler``, in a module of their own."""


async def echo(websocket, path):
    await websocket.send(f"echo {path}")


async def echo_twice(websocket, path):
    # Calls ``echo`` the legacy way, with the path: ``echo`` can't lose its parameter alone.
    await echo(websocket, path)
    await echo(websocket, path)
