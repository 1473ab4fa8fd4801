from __future__ import annotations

import warnings

import pytest

from websockets_impl.datastructures import Headers
from websockets_impl.exceptions import InvalidHeader, InvalidHeaderValue, InvalidUpgrade
from websockets_impl.utils import accept_key

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from websockets_impl.legacy.handshake import (
        build_request,
        build_response,
        check_request,
        check_response,
    )


def test_round_trip() -> None:
    request = Headers()
    key = build_request(request)
    assert request["Upgrade"] == "websocket"
    assert request["Sec-WebSocket-Version"] == "13"
    assert check_request(request) == key
    response = Headers()
    build_response(response, key)
    assert response["Sec-WebSocket-Accept"] == accept_key(key)
    check_response(response, key)


def test_rfc_6455_example() -> None:
    response = Headers()
    build_response(response, "dGhlIHNhbXBsZSBub25jZQ==")
    assert response["Sec-WebSocket-Accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def valid_request() -> Headers:
    headers = Headers()
    build_request(headers)
    return headers


def replaced(headers: Headers, name: str, *values: str) -> Headers:
    del headers[name]
    for value in values:
        headers[name] = value
    return headers


def test_connection_header_may_list_several_options() -> None:
    headers = replaced(valid_request(), "Connection", "keep-alive, Upgrade")
    check_request(headers)


@pytest.mark.parametrize(
    ("name", "values", "error"),
    [
        ("Connection", ["keep-alive"], InvalidUpgrade),
        ("Connection", [], InvalidUpgrade),
        ("Upgrade", ["h2c"], InvalidUpgrade),
        ("Upgrade", ["websocket, h2c"], InvalidUpgrade),
        ("Sec-WebSocket-Key", [], InvalidHeader),
        ("Sec-WebSocket-Key", ["not base64!"], InvalidHeaderValue),
        ("Sec-WebSocket-Key", ["c2hvcnQ="], InvalidHeaderValue),
        (
            "Sec-WebSocket-Key",
            ["dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25jZQ=="],
            InvalidHeader,
        ),
        ("Sec-WebSocket-Version", ["8"], InvalidHeaderValue),
        ("Sec-WebSocket-Version", [], InvalidHeader),
    ],
)
def test_check_request_rejects(name: str, values: list[str], error: type[Exception]) -> None:
    with pytest.raises(error):
        check_request(replaced(valid_request(), name, *values))


def test_check_response_rejects_wrong_accept() -> None:
    response = Headers()
    build_response(response, "dGhlIHNhbXBsZSBub25jZQ==")
    with pytest.raises(InvalidHeaderValue):
        check_response(response, "c2FtcGxlIG5vbmNlIDE2Yg==")


def test_check_response_rejects_missing_upgrade() -> None:
    response = Headers()
    build_response(response, "dGhlIHNhbXBsZSBub25jZQ==")
    del response["Upgrade"]
    with pytest.raises(InvalidUpgrade):
        check_response(response, "dGhlIHNhbXBsZSBub25jZQ==")
