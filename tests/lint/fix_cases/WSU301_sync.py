"""A threading server: its serve() has no legacy version and calls the handler
with the connection only, whose request carries the path."""

from websockets.sync.server import serve


def echo(websocket, path):
    for message in websocket:
        websocket.send(f"{path}: {message}")


def needs_path(websocket, path, *extra):
    websocket.send(path)


def main():
    with serve(echo, "localhost", 8765) as server:
        server.serve_forever()
    with serve(needs_path, "localhost", 8766) as server:
        server.serve_forever()
