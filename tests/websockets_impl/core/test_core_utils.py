"""Handshake keys and masking."""

from __future__ import annotations

import base64
import os
import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from websockets_impl.utils import (
    TRANSLATE_THRESHOLD,
    accept_key,
    apply_mask,
    generate_key,
    get_socket_name,
    mask_int,
    mask_translate,
)


def reference_mask(data: bytes, mask: bytes) -> bytes:
    return bytes(byte ^ mask[index % 4] for index, byte in enumerate(data))


class TestKeys:
    def test_accept_key_example_from_rfc(self) -> None:
        # RFC 6455 1.3.
        assert accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

    def test_generate_key(self) -> None:
        keys = {generate_key() for _ in range(10)}
        assert len(keys) == 10
        for key in keys:
            assert len(base64.b64decode(key, validate=True)) == 16


class TestApplyMask:
    @pytest.mark.parametrize(
        "size", [0, 1, 3, 4, 5, 31, 32, 33, TRANSLATE_THRESHOLD - 1, TRANSLATE_THRESHOLD + 3]
    )
    def test_matches_the_definition(self, size: int) -> None:
        data, mask = os.urandom(size), os.urandom(4)
        assert apply_mask(data, mask) == reference_mask(data, mask)

    def test_accepts_bytes_like(self) -> None:
        data, mask = os.urandom(100), os.urandom(4)
        expected = reference_mask(data, mask)
        assert apply_mask(bytearray(data), mask) == expected
        assert apply_mask(memoryview(data), mask) == expected
        assert type(apply_mask(bytearray(data), mask)) is bytes

    def test_mask_length(self) -> None:
        with pytest.raises(ValueError, match="4 bytes"):
            apply_mask(b"data", b"abc")

    @settings(max_examples=200, deadline=None)
    @given(data=st.binary(max_size=1000), mask=st.binary(min_size=4, max_size=4))
    def test_strategies_agree(self, data: bytes, mask: bytes) -> None:
        expected = reference_mask(data, mask)
        assert mask_int(data, mask) == expected
        assert mask_translate(data, mask) == expected


class TestGetSocketName:
    def test_ipv4_is_host_colon_port(self) -> None:
        with socket.socket(socket.AF_INET) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
            assert get_socket_name(sock) == f"127.0.0.1:{port}"

    @pytest.mark.skipif(not socket.has_ipv6, reason="no IPv6")
    def test_ipv6_host_is_bracketed(self) -> None:
        with socket.socket(socket.AF_INET6) as sock:
            try:
                sock.bind(("::1", 0))
            except OSError:
                pytest.skip("IPv6 loopback unavailable")
            port = sock.getsockname()[1]
            assert get_socket_name(sock) == f"[::1]:{port}"

    @pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets")
    def test_unix_socket_is_its_path(self, tmp_path: object) -> None:
        path = os.path.join(str(tmp_path), "sock")
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(path)
            assert get_socket_name(sock) == path

    @pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets")
    def test_unbound_unix_socket(self) -> None:
        left, right = socket.socketpair(socket.AF_UNIX)
        with left, right:
            # An unbound Unix socket has an empty name, still a Unix socket.
            assert get_socket_name(left) == str(left.getsockname())

    def test_unknown_family_raises_assertion_error(self) -> None:
        class Fake:
            family = -1

            def getsockname(self) -> str:
                return "?"

        with pytest.raises(AssertionError):
            get_socket_name(Fake())  # type: ignore[arg-type]
