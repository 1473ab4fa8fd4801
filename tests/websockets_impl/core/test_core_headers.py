"""Parsers and builders of handshake headers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from websockets_impl.exceptions import InvalidHeaderFormat, InvalidHeaderValue
from websockets_impl.headers import (
    build_authorization_basic,
    build_extension,
    build_host,
    build_subprotocol,
    build_www_authenticate_basic,
    parse_authorization_basic,
    parse_connection,
    parse_extension,
    parse_subprotocol,
    parse_upgrade,
    validate_subprotocols,
)
from websockets_impl.typing import ExtensionName, ExtensionParameter, Subprotocol


class TestLists:
    @pytest.mark.parametrize(
        ("header", "expected"),
        [
            ("Upgrade", ["Upgrade"]),
            ("keep-alive, Upgrade", ["keep-alive", "Upgrade"]),
            (",, Upgrade ,\t,keep-alive,", ["Upgrade", "keep-alive"]),
        ],
    )
    def test_connection(self, header: str, expected: list[str]) -> None:
        assert parse_connection(header) == expected

    @pytest.mark.parametrize("header", ["", " ", ",", "Up grade", "Upgrade;", "a,b c"])
    def test_invalid_connection(self, header: str) -> None:
        with pytest.raises(InvalidHeaderFormat) as info:
            parse_connection(header)
        assert info.value.name == "Connection"

    def test_upgrade_with_versions(self) -> None:
        assert parse_upgrade("websocket, HTTP/2.0, IRC/6.9") == ["websocket", "HTTP/2.0", "IRC/6.9"]
        with pytest.raises(InvalidHeaderFormat):
            parse_upgrade("websocket/")

    def test_subprotocols(self) -> None:
        assert parse_subprotocol("chat, superchat") == ["chat", "superchat"]
        assert (
            build_subprotocol([Subprotocol("chat"), Subprotocol("superchat")]) == "chat, superchat"
        )
        with pytest.raises(InvalidHeaderFormat):
            parse_subprotocol("chat super")

    def test_validate_subprotocols(self) -> None:
        validate_subprotocols([Subprotocol("chat")])
        validate_subprotocols((Subprotocol("chat"), Subprotocol("superchat")))
        validate_subprotocols([])

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ({"chat": 1}, "subprotocols must be a list"),
            (42, "subprotocols must be a list"),
            ("chat", "subprotocols must be a list, not a str"),
        ],
    )
    def test_validate_subprotocols_type(self, value: object, message: str) -> None:
        with pytest.raises(TypeError) as raised:
            validate_subprotocols(value)  # type: ignore[arg-type]
        assert str(raised.value) == message

    def test_validate_subprotocols_tokens(self) -> None:
        with pytest.raises(ValueError) as raised:
            validate_subprotocols([Subprotocol("bad subprotocol")])
        assert str(raised.value) == "invalid subprotocol: bad subprotocol"


class TestExtensions:
    def test_rfc_7692_example(self) -> None:
        header = (
            "permessage-deflate; client_max_window_bits; server_max_window_bits=10, "
            "permessage-deflate; client_max_window_bits"
        )
        assert parse_extension(header) == [
            (
                "permessage-deflate",
                [("client_max_window_bits", None), ("server_max_window_bits", "10")],
            ),
            ("permessage-deflate", [("client_max_window_bits", None)]),
        ]

    def test_quoted_values_and_whitespace(self) -> None:
        assert parse_extension('foo ;  bar = "baz" ; qux="1"') == [
            ("foo", [("bar", "baz"), ("qux", "1")])
        ]

    @pytest.mark.parametrize(
        "header",
        ["", "foo;", "foo; =1", "foo; bar=", 'foo; bar="a b"', 'foo; bar="open', "foo bar"],
    )
    def test_invalid(self, header: str) -> None:
        with pytest.raises(InvalidHeaderFormat):
            parse_extension(header)

    def test_build(self) -> None:
        extensions: list[tuple[ExtensionName, list[ExtensionParameter]]] = [
            (ExtensionName("a"), [("b", None), ("c", "1")]),
            (ExtensionName("d"), []),
        ]
        assert build_extension(extensions) == "a; b; c=1, d"

    @settings(max_examples=200, deadline=None)
    @given(
        extensions=st.lists(
            st.tuples(
                st.from_regex(r"[a-z][a-z0-9\-]{0,10}", fullmatch=True),
                st.lists(
                    st.tuples(
                        st.from_regex(r"[a-z_]{1,10}", fullmatch=True),
                        st.none() | st.from_regex(r"[0-9a-z]{1,5}", fullmatch=True),
                    ),
                    max_size=4,
                ),
            ),
            min_size=1,
            max_size=4,
        )
    )
    def test_round_trip(
        self, extensions: list[tuple[ExtensionName, list[ExtensionParameter]]]
    ) -> None:
        assert parse_extension(build_extension(extensions)) == extensions


class TestAuthorization:
    def test_rfc_7617_example(self) -> None:
        header = "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        assert parse_authorization_basic(header) == ("Aladdin", "open sesame")
        assert build_authorization_basic("Aladdin", "open sesame") == header

    def test_round_trip_utf8_and_colons_in_password(self) -> None:
        header = build_authorization_basic("josé", "p:ss:wörd")
        assert parse_authorization_basic(header) == ("josé", "p:ss:wörd")

    def test_scheme_is_case_insensitive(self) -> None:
        assert parse_authorization_basic("basic dTpw") == ("u", "p")

    def test_colon_in_username(self) -> None:
        with pytest.raises(ValueError):
            build_authorization_basic("a:b", "c")

    @pytest.mark.parametrize(
        ("header", "error"),
        [
            ("Bearer abc", InvalidHeaderValue),
            ("Basic", InvalidHeaderFormat),
            ("Basic  dTpw", InvalidHeaderFormat),
            ("Basic dTpw extra", InvalidHeaderFormat),
            ("Basic !!!!", InvalidHeaderFormat),
            ("Basic dXNlcg==", InvalidHeaderValue),  # "user", without colon
            ("Basic dTp", InvalidHeaderValue),  # incorrect padding
        ],
    )
    def test_invalid(self, header: str, error: type[Exception]) -> None:
        with pytest.raises(error):
            parse_authorization_basic(header)

    def test_www_authenticate(self) -> None:
        assert build_www_authenticate_basic("my realm") == 'Basic realm="my realm", charset="UTF-8"'
        assert build_www_authenticate_basic('a"b\\c') == 'Basic realm="a\\"b\\\\c", charset="UTF-8"'

    @pytest.mark.parametrize("realm", ["a\x00b", "line\nbreak", "del\x7f", "snow\u2603"])
    def test_www_authenticate_refuses_what_cant_be_quoted(self, realm: str) -> None:
        with pytest.raises(ValueError) as raised:
            build_www_authenticate_basic(realm)
        assert str(raised.value) == "invalid characters for quoted-string encoding"

    def test_www_authenticate_accepts_tab_and_latin1(self) -> None:
        assert build_www_authenticate_basic("a\tcafé") == 'Basic realm="a\tcafé", charset="UTF-8"'


class TestHost:
    @pytest.mark.parametrize(
        ("host", "port", "secure", "expected"),
        [
            ("example.com", 80, False, "example.com"),
            ("example.com", 443, True, "example.com"),
            ("example.com", 443, False, "example.com:443"),
            ("example.com", 8080, True, "example.com:8080"),
            ("127.0.0.1", 80, False, "127.0.0.1"),
            ("::1", 80, False, "[::1]"),
            ("::1", 8080, False, "[::1]:8080"),
        ],
    )
    def test_build_host(self, host: str, port: int, secure: bool, expected: str) -> None:
        assert build_host(host, port, secure) == expected

    def test_always_include_port(self) -> None:
        assert build_host("example.com", 80, False, always_include_port=True) == "example.com:80"
