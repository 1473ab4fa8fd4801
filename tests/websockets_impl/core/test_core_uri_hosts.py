"""Hosts and ports of WebSocket URIs that urllib alone would let through or mangle."""

from __future__ import annotations

import pytest

from websockets_impl.exceptions import InvalidURI
from websockets_impl.uri import parse_uri


@pytest.mark.parametrize(
    "uri",
    [
        "ws://[::1",  # unclosed IPv6 literal: urllib raises ValueError
        "ws://[::1/path",
        "ws://exa\x00mple.com/",  # NUL would reach the Host header
        "ws://a b/",
        "ws://a<b>/",
    ],
)
def test_invalid_hosts_raise_invalid_uri(uri: str) -> None:
    with pytest.raises(InvalidURI) as raised:
        parse_uri(uri)
    assert raised.value.uri == uri
    assert "hostname isn't valid" in str(raised.value)


def test_line_breaks_in_the_authority_raise_invalid_uri() -> None:
    # urllib drops CR and LF, which leaves "hostX-Injected: 1": not a valid port.
    with pytest.raises(InvalidURI):
        parse_uri("ws://host\r\nX-Injected: 1/")


@pytest.mark.parametrize(
    ("uri", "host"),
    [
        ("ws://[::1]/", "::1"),
        ("ws://[fe80::1%25eth0]:8000/", "fe80::1%25eth0"),
        ("ws://under_score.example/", "under_score.example"),
        ("ws://caf%C3%A9.example/", "caf%C3%A9.example"),
        ("ws://café.example/", "xn--caf-dma.example"),
    ],
)
def test_valid_hosts_are_kept(uri: str, host: str) -> None:
    assert parse_uri(uri).host == host


@pytest.mark.parametrize(
    ("uri", "port"),
    [("ws://host:0/", 80), ("wss://host:0/", 443), ("ws://host:/", 80), ("ws://host:1/", 1)],
)
def test_port_zero_means_the_default_port(uri: str, port: int) -> None:
    assert parse_uri(uri).port == port
