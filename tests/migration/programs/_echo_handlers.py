"""The connection handler of ``held_imported_handler``, in a module of its own."""


async def echo(websocket, path):
    await websocket.send(f"echo {path}")
