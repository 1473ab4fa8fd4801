"""The connection handler of ``imported_handler``, in a module of its own."""


async def echo(websocket, path):
    await websocket.send(f"echo {path}")
