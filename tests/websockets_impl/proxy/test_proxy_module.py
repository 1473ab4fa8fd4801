"""websockets_impl.proxy: parsing proxy URIs, finding them in the environment, CONNECT."""

from __future__ import annotations

import pytest

from websockets_impl.exceptions import InvalidProxy
from websockets_impl.proxy import Proxy, get_proxy, parse_proxy, prepare_connect_request
from websockets_impl.uri import parse_uri


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("http://proxy:8080", Proxy("http", "proxy", 8080)),
        ("https://PROXY", Proxy("https", "proxy", 443)),
        ("http://proxy/", Proxy("http", "proxy", 80)),
        ("socks5h://proxy", Proxy("socks5h", "proxy", 80)),
        ("socks4://10.0.0.1:1080", Proxy("socks4", "10.0.0.1", 1080)),
        ("http://[::1]:3128", Proxy("http", "::1", 3128)),
        ("http://user:p%40ss@proxy:1", Proxy("http", "proxy", 1, "user", "p@ss")),
        ("http://høst:1", Proxy("http", "xn--hst-0na", 1)),
    ],
)
def test_parse_valid_proxies(uri: str, expected: Proxy) -> None:
    assert parse_proxy(uri) == expected


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("ftp://proxy", "scheme ftp isn't supported"),
        ("http://", "hostname isn't provided"),
        ("http://proxy/path", "path is meaningless"),
        ("http://proxy/?query", "query is meaningless"),
        ("http://proxy/#fragment", "fragment is meaningless"),
        ("http://user@proxy", "username provided without password"),
    ],
)
def test_parse_invalid_proxies(uri: str, message: str) -> None:
    with pytest.raises(InvalidProxy) as raised:
        parse_proxy(uri)
    assert str(raised.value) == f"{uri} isn't a valid proxy: {message}"


def test_user_info() -> None:
    assert Proxy("http", "h", 1).user_info is None
    assert Proxy("http", "h", 1, "u", "p").user_info == ("u", "p")


def test_get_proxy_prefers_by_scheme_and_honours_no_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("http_proxy", "https_proxy", "ws_proxy", "wss_proxy", "socks_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    ws, wss = parse_uri("ws://example.com/"), parse_uri("wss://example.com/")
    assert get_proxy(ws) is None
    monkeypatch.setenv("http_proxy", "http://plain:1")
    assert get_proxy(ws) == "http://plain:1"
    assert get_proxy(wss) is None
    monkeypatch.setenv("https_proxy", "http://secure:2")
    assert get_proxy(ws) == "http://secure:2"
    assert get_proxy(wss) == "http://secure:2"
    monkeypatch.setenv("socks_proxy", "http://socks:3")
    assert get_proxy(ws) == "socks5h://socks:3"
    monkeypatch.setenv("wss_proxy", "http://wss:4")
    assert get_proxy(wss) == "http://wss:4"
    monkeypatch.setenv("no_proxy", "example.com")
    assert get_proxy(ws) is None
    assert get_proxy(parse_uri("ws://other.org/")) == "socks5h://socks:3"


def test_prepare_connect_request() -> None:
    request = prepare_connect_request(
        Proxy("http", "proxy", 80), parse_uri("ws://example.com/"), user_agent_header="UA/1"
    )
    assert (
        request
        == b"CONNECT example.com:80 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: UA/1\r\n\r\n"
    )
    request = prepare_connect_request(
        Proxy("http", "proxy", 80, "u", "p"), parse_uri("wss://[::1]:8443/"), None
    )
    assert request == (
        b"CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\n"
        b"Proxy-Authorization: Basic dTpw\r\n\r\n"
    )


def test_socks_needs_python_socks(monkeypatch: pytest.MonkeyPatch) -> None:
    from websockets_impl.proxy import socks_proxy_settings

    settings = socks_proxy_settings(parse_proxy("socks5h://u:p@proxy:1080"))
    assert (settings["host"], settings["port"], settings["rdns"]) == ("proxy", 1080, True)
    assert socks_proxy_settings(parse_proxy("socks4://proxy"))["rdns"] is False
    monkeypatch.setitem(__import__("sys").modules, "python_socks", None)
    with pytest.raises(ImportError, match="connecting through a SOCKS proxy requires python-socks"):
        socks_proxy_settings(parse_proxy("socks5://proxy:1080"))
