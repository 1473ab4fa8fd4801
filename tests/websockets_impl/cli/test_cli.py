"""``python -m websockets_impl``: the interactive client, run as a subprocess."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from websockets_impl.sync.server import ServerConnection, serve

pytestmark = pytest.mark.timeout(60)

ESCAPES = re.compile(r"\x1b(?:\[[0-9;]*[A-Za-z]|[78])|\r")


def visible(output: str) -> str:
    """What the tests compare: the output without VT100 sequences and prompts."""
    return ESCAPES.sub("", output).replace("> ", "")


def run_client(
    *args: str, stdin: str = "", timeout: float = 20
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "websockets_impl", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def server_uri() -> Iterator[str]:
    """A server that greets, echoes each message uppercased, and closes on 'bye'."""

    def handler(connection: ServerConnection) -> None:
        connection.send("welcome\x1b[31m!")
        connection.send(b"\x00\xff")
        for message in connection:
            if message == "bye":
                return
            assert isinstance(message, str)
            connection.send(message.upper())

    server = serve(handler, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"ws://127.0.0.1:{server.socket.getsockname()[1]}/"
    server.shutdown()
    thread.join(5)


def test_session_until_the_server_closes(server_uri: str) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "websockets_impl", server_uri],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b"hello\n")
    process.stdin.flush()
    output = b""
    while b"HELLO" not in output:
        chunk = process.stdout.read1(4096)
        assert chunk, "the client exited before printing the answer"
        output += chunk
    # Only now: the server closes on "bye", the client must print what came before.
    stdout, stderr = process.communicate(b"bye\n", timeout=20)
    assert process.returncode == 0, stderr
    assert visible((output + stdout).decode()) == (
        f"Connected to {server_uri}.\n"
        "\n< welcome\\x1b[31m!\n"
        "\n< (binary) 00ff\n"
        "\n< HELLO\n"
        "Connection closed: 1000 (OK).\n"
    )


def test_end_of_input_closes_the_connection(server_uri: str) -> None:
    result = run_client(server_uri, stdin="")
    assert result.returncode == 0, result.stderr
    output = visible(result.stdout)
    assert output.startswith(f"Connected to {server_uri}.\n")
    assert output.endswith("Connection closed: 1000 (OK).\n")


def test_ctrl_c_ends_without_traceback(server_uri: str) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "websockets_impl", server_uri],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith(b"Connected to")
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=20)
    assert b"Traceback" not in stderr
    assert visible(stdout.decode()).endswith("Connection closed: 1000 (OK).\n")


def test_refused_connection_and_bad_uri() -> None:
    result = run_client("ws://127.0.0.1:1/")
    assert result.returncode == 1
    assert result.stdout.startswith("Failed to connect to ws://127.0.0.1:1/: ")
    result = run_client("http://example.com/")
    assert result.returncode == 1
    assert result.stdout == (
        "Failed to connect to http://example.com/: "
        "http://example.com/ isn't a valid URI: scheme isn't ws or wss.\n"
    )


def test_usage_version_and_help() -> None:
    result = run_client()
    assert result.returncode == 2
    assert result.stdout.startswith("usage: websockets ")
    result = run_client("--version")
    assert (result.returncode, result.stdout) == (0, "websockets 17.4\n")
    result = run_client("--help")
    assert result.returncode == 0
    assert "Interactive WebSocket client." in result.stdout
