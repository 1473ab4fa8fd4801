"""WebSocket URIs."""

from __future__ import annotations

import pytest

from websockets_impl.exceptions import InvalidURI
from websockets_impl.uri import WebSocketURI, parse_uri


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("ws://localhost/", WebSocketURI(False, "localhost", 80, "/", "")),
        ("wss://localhost/", WebSocketURI(True, "localhost", 443, "/", "")),
        ("ws://localhost", WebSocketURI(False, "localhost", 80, "/", "")),
        ("ws://localhost:8080/path?q=1", WebSocketURI(False, "localhost", 8080, "/path", "q=1")),
        ("ws://LOCALHOST/", WebSocketURI(False, "localhost", 80, "/", "")),
        ("ws://[::1]:8443/", WebSocketURI(False, "::1", 8443, "/", "")),
        (
            "ws://user:pass@localhost/",
            WebSocketURI(False, "localhost", 80, "/", "", "user", "pass"),
        ),
        # 17.2+: credentials are percent-decoded.
        (
            "ws://us%3Aer:p%40x@localhost/",
            WebSocketURI(False, "localhost", 80, "/", "", "us:er", "p@x"),
        ),
        # IRIs become URIs.
        ("ws://bücher.example/", WebSocketURI(False, "xn--bcher-kva.example", 80, "/", "")),
        ("ws://localhost/päth?q=ü", WebSocketURI(False, "localhost", 80, "/p%C3%A4th", "q=%C3%BC")),
        ("ws://localhost/a%20b", WebSocketURI(False, "localhost", 80, "/a%20b", "")),
    ],
)
def test_parse_uri(uri: str, expected: WebSocketURI) -> None:
    assert parse_uri(uri) == expected


@pytest.mark.parametrize(
    "uri",
    [
        "http://localhost/",
        "localhost",
        "ws:///path",
        "ws://localhost/#fragment",
        "ws://localhost:99999/",
        "ws://localhost:port/",
        "ws://user@localhost/",
    ],
)
def test_invalid_uri(uri: str) -> None:
    with pytest.raises(InvalidURI) as info:
        parse_uri(uri)
    assert info.value.uri == uri


def test_resource_name() -> None:
    assert parse_uri("ws://h/").resource_name == "/"
    assert parse_uri("ws://h/p?q").resource_name == "/p?q"
    assert parse_uri("ws://h?q").resource_name == "/?q"


def test_user_info() -> None:
    assert parse_uri("ws://h/").user_info is None
    assert parse_uri("ws://u:p@h/").user_info == ("u", "p")
    assert parse_uri("ws://u:@h/").user_info == ("u", "")
