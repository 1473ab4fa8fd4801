"""permessage-deflate (RFC 7692): negotiation, compression, limits."""

from __future__ import annotations

import dataclasses
import random
import tracemalloc
import zlib
from collections.abc import Iterator

import pytest
from core_helpers import transfer
from hypothesis import given, settings
from hypothesis import strategies as st

from websockets_impl.exceptions import (
    DuplicateParameter,
    InvalidParameterName,
    InvalidParameterValue,
    NegotiationError,
    PayloadTooBig,
    ProtocolError,
)
from websockets_impl.extensions import (
    ClientExtensionFactory,
    Extension,
    ServerExtensionFactory,
    permessage_deflate,
)
from websockets_impl.extensions.permessage_deflate import (
    ClientPerMessageDeflateFactory,
    PerMessageDeflate,
    ServerPerMessageDeflateFactory,
    enable_client_permessage_deflate,
    enable_server_permessage_deflate,
)
from websockets_impl.frames import BINARY, CONT, PING, TEXT, CloseCode, Frame
from websockets_impl.protocol import CLIENT, SERVER, Protocol
from websockets_impl.typing import ExtensionParameter

try:
    from zlib_ng import zlib_ng
except ImportError:  # the optional backend (the dev install has it)
    zlib_ng = None
BACKENDS = {"stdlib": zlib, **({"zlib-ng": zlib_ng} if zlib_ng is not None else {})}


@pytest.fixture(autouse=True, scope="module", params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Every test of this module runs with each zlib the extension can use."""
    saved = permessage_deflate._zlib
    permessage_deflate._zlib = BACKENDS[request.param]
    yield request.param
    permessage_deflate._zlib = saved


@pytest.mark.skipif(zlib_ng is None, reason="zlib-ng is not installed")
def test_backend_is_zlib_ng_unless_the_environment_asks_for_stdlib(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("WEBSOCKETS_IMPL_ZLIB", raising=False)
    assert permessage_deflate._backend() is zlib_ng
    monkeypatch.setenv("WEBSOCKETS_IMPL_ZLIB", "stdlib")
    assert permessage_deflate._backend() is zlib


@pytest.mark.parametrize("bits", range(9, 16))
@pytest.mark.parametrize("sender", sorted(BACKENDS))
def test_each_zlib_inflates_what_the_other_deflates(backend: str, sender: str, bits: int) -> None:
    # Repeats at distances up to 60 KB: a deflater using a window wider than negotiated
    # would make the receiver fail with "invalid distance too far back".
    rnd = random.Random(bits)
    blocks = [rnd.randbytes(300) for _ in range(200)]
    messages = [b"".join(rnd.choice(blocks) for _ in range(500)) for _ in range(3)]
    saved = permessage_deflate._zlib
    permessage_deflate._zlib = BACKENDS[sender]
    try:
        deflater = PerMessageDeflate(False, False, bits, bits, {"memLevel": 5})
        frames = [deflater.encode(Frame(BINARY, message)) for message in messages]
    finally:
        permessage_deflate._zlib = saved
    inflater = PerMessageDeflate(False, False, bits, bits)  # context kept across messages
    assert [inflater.decode(frame).data for frame in frames] == messages


def negotiate(
    client: ClientPerMessageDeflateFactory, server: ServerPerMessageDeflateFactory
) -> tuple[list[ExtensionParameter], PerMessageDeflate, PerMessageDeflate]:
    response_params, server_extension = server.process_request_params(
        client.get_request_params(), []
    )
    client_extension = client.process_response_params(response_params, [])
    return response_params, client_extension, server_extension


def settings_of(extension: PerMessageDeflate) -> tuple[bool, bool, int, int]:
    return (
        extension.remote_no_context_takeover,
        extension.local_no_context_takeover,
        extension.remote_max_window_bits,
        extension.local_max_window_bits,
    )


class TestDefaults:
    def test_enable_client(self) -> None:
        [factory] = enable_client_permessage_deflate(None)
        assert isinstance(factory, ClientPerMessageDeflateFactory)
        assert factory.compress_settings == {"memLevel": 5}
        assert factory.server_max_window_bits is None
        assert factory.get_request_params() == [("client_max_window_bits", None)]

    def test_enable_server(self) -> None:
        [factory] = enable_server_permessage_deflate(None)
        assert isinstance(factory, ServerPerMessageDeflateFactory)
        assert factory.server_max_window_bits == factory.client_max_window_bits == 12
        assert factory.compress_settings == {"memLevel": 5}

    def test_enable_keeps_existing_factories(self) -> None:
        client = ClientPerMessageDeflateFactory(server_max_window_bits=10)
        assert enable_client_permessage_deflate([client]) == [client]
        server = ServerPerMessageDeflateFactory()
        assert enable_server_permessage_deflate([server]) == [server]

    def test_default_negotiation(self) -> None:
        [client] = enable_client_permessage_deflate(None)
        [server] = enable_server_permessage_deflate(None)
        params, client_extension, server_extension = negotiate(client, server)  # type: ignore[arg-type]
        assert params == [("server_max_window_bits", "12"), ("client_max_window_bits", "12")]
        assert settings_of(client_extension) == (False, False, 12, 12)
        assert settings_of(server_extension) == (False, False, 12, 12)

    def test_base_classes(self) -> None:
        assert isinstance(ClientPerMessageDeflateFactory(), ClientExtensionFactory)
        assert isinstance(ServerPerMessageDeflateFactory(), ServerExtensionFactory)
        assert isinstance(PerMessageDeflate(False, False, 15, 15), Extension)
        assert PerMessageDeflate.name == "permessage-deflate"

    def test_base_classes_are_instantiable_and_raise_not_implemented(self) -> None:
        frame = Frame(TEXT, b"x")
        calls = [
            lambda: Extension().decode(frame),
            lambda: Extension().encode(frame),
            lambda: ClientExtensionFactory().get_request_params(),
            lambda: ClientExtensionFactory().process_response_params([], []),
            lambda: ServerExtensionFactory().process_request_params([], []),
        ]
        for call in calls:
            with pytest.raises(NotImplementedError):
                call()


class TestConfiguration:
    @pytest.mark.parametrize("bits", [8, 16, 0])
    def test_window_bits_out_of_range(self, bits: int) -> None:
        with pytest.raises(ValueError):
            ClientPerMessageDeflateFactory(server_max_window_bits=bits)
        with pytest.raises(ValueError):
            ClientPerMessageDeflateFactory(client_max_window_bits=bits)
        with pytest.raises(ValueError):
            ServerPerMessageDeflateFactory(server_max_window_bits=bits)
        with pytest.raises(ValueError):
            ServerPerMessageDeflateFactory(client_max_window_bits=bits)
        with pytest.raises(ValueError):
            PerMessageDeflate(False, False, bits, 15)

    def test_wbits_in_compress_settings(self) -> None:
        with pytest.raises(ValueError):
            ClientPerMessageDeflateFactory(compress_settings={"wbits": 10})
        with pytest.raises(ValueError):
            ServerPerMessageDeflateFactory(compress_settings={"wbits": 10})

    def test_require_client_max_window_bits_needs_a_value(self) -> None:
        with pytest.raises(ValueError):
            ServerPerMessageDeflateFactory(require_client_max_window_bits=True)

    def test_request_params(self) -> None:
        factory = ClientPerMessageDeflateFactory(
            server_no_context_takeover=True,
            client_no_context_takeover=True,
            server_max_window_bits=10,
            client_max_window_bits=11,
        )
        assert factory.get_request_params() == [
            ("server_no_context_takeover", None),
            ("client_no_context_takeover", None),
            ("server_max_window_bits", "10"),
            ("client_max_window_bits", "11"),
        ]
        assert (
            ClientPerMessageDeflateFactory(client_max_window_bits=None).get_request_params() == []
        )


class TestNegotiation:
    @pytest.mark.parametrize(
        ("client_kwargs", "server_kwargs", "params", "client_settings", "server_settings"),
        [
            ({}, {}, [], (False, False, 15, 15), (False, False, 15, 15)),
            (
                {"server_no_context_takeover": True},
                {},
                [("server_no_context_takeover", None)],
                (True, False, 15, 15),
                (False, True, 15, 15),
            ),
            (
                {"client_no_context_takeover": True},
                {},
                [("client_no_context_takeover", None)],
                (False, True, 15, 15),
                (True, False, 15, 15),
            ),
            (
                {},
                {"server_no_context_takeover": True, "client_no_context_takeover": True},
                [("server_no_context_takeover", None), ("client_no_context_takeover", None)],
                (True, True, 15, 15),
                (True, True, 15, 15),
            ),
            (
                {"server_max_window_bits": 10},
                {},
                [("server_max_window_bits", "10")],
                (False, False, 10, 15),
                (False, False, 15, 10),
            ),
            (
                {"server_max_window_bits": 10},
                {"server_max_window_bits": 12},
                [("server_max_window_bits", "10")],
                (False, False, 10, 15),
                (False, False, 15, 10),
            ),
            (
                {"server_max_window_bits": 13},
                {"server_max_window_bits": 12},
                [("server_max_window_bits", "12")],
                (False, False, 12, 15),
                (False, False, 15, 12),
            ),
            (
                {"client_max_window_bits": None},
                {"client_max_window_bits": 12},
                [],
                (False, False, 15, 15),
                (False, False, 15, 15),
            ),
            (
                {"client_max_window_bits": 11},
                {},
                [("client_max_window_bits", "11")],
                (False, False, 15, 11),
                (False, False, 11, 15),
            ),
            (
                {"client_max_window_bits": 11},
                {"client_max_window_bits": 10},
                [("client_max_window_bits", "10")],
                (False, False, 15, 10),
                (False, False, 10, 15),
            ),
        ],
    )
    def test_matrix(
        self,
        client_kwargs: dict[str, object],
        server_kwargs: dict[str, object],
        params: list[ExtensionParameter],
        client_settings: tuple[bool, bool, int, int],
        server_settings: tuple[bool, bool, int, int],
    ) -> None:
        client = ClientPerMessageDeflateFactory(**client_kwargs)  # type: ignore[arg-type]
        server = ServerPerMessageDeflateFactory(**server_kwargs)  # type: ignore[arg-type]
        actual_params, client_extension, server_extension = negotiate(client, server)
        assert actual_params == params
        assert settings_of(client_extension) == client_settings
        assert settings_of(server_extension) == server_settings

    def test_server_requires_client_max_window_bits(self) -> None:
        server = ServerPerMessageDeflateFactory(
            client_max_window_bits=10, require_client_max_window_bits=True
        )
        with pytest.raises(NegotiationError):
            server.process_request_params([], [])
        params, _ = server.process_request_params([("client_max_window_bits", None)], [])
        assert params == [("client_max_window_bits", "10")]

    @pytest.mark.parametrize(
        ("params", "error"),
        [
            ([("server_max_window_bits", "8")], InvalidParameterValue),
            ([("server_max_window_bits", "16")], InvalidParameterValue),
            ([("server_max_window_bits", "010")], InvalidParameterValue),
            ([("server_max_window_bits", None)], InvalidParameterValue),
            ([("client_max_window_bits", "8")], InvalidParameterValue),
            ([("server_no_context_takeover", "1")], InvalidParameterValue),
            ([("unknown", None)], InvalidParameterName),
            ([("server_no_context_takeover", None)] * 2, DuplicateParameter),
        ],
    )
    def test_server_rejects_bad_offers(
        self, params: list[ExtensionParameter], error: type[NegotiationError]
    ) -> None:
        with pytest.raises(error):
            ServerPerMessageDeflateFactory().process_request_params(params, [])

    @pytest.mark.parametrize(
        ("client_kwargs", "params"),
        [
            ({"server_no_context_takeover": True}, []),
            ({"server_max_window_bits": 10}, []),
            ({"server_max_window_bits": 10}, [("server_max_window_bits", "11")]),
            ({"client_max_window_bits": None}, [("client_max_window_bits", "10")]),
            ({"client_max_window_bits": 10}, [("client_max_window_bits", "11")]),
            ({}, [("client_max_window_bits", None)]),
            ({}, [("server_max_window_bits", "8")]),
            ({}, [("unknown", None)]),
        ],
    )
    def test_client_rejects_bad_responses(
        self, client_kwargs: dict[str, object], params: list[ExtensionParameter]
    ) -> None:
        client = ClientPerMessageDeflateFactory(**client_kwargs)  # type: ignore[arg-type]
        with pytest.raises(NegotiationError):
            client.process_response_params(params, [])

    def test_duplicates_are_declined(self) -> None:
        extension = PerMessageDeflate(False, False, 15, 15)
        with pytest.raises(NegotiationError):
            ServerPerMessageDeflateFactory().process_request_params([], [extension])
        with pytest.raises(NegotiationError):
            ClientPerMessageDeflateFactory().process_response_params([], [extension])


class TestCompression:
    def test_rfc_7692_example(self) -> None:
        # RFC 7692 7.2.3.1: "Hello" compressed without context takeover.
        extension = PerMessageDeflate(True, True, 15, 15)
        frame = Frame(TEXT, b"\xf2\x48\xcd\xc9\xc9\x07\x00", rsv1=True)
        assert extension.decode(frame) == Frame(TEXT, b"Hello")

    def test_rfc_7692_example_with_context_takeover(self) -> None:
        # RFC 7692 7.2.3.2: the second "Hello" reuses the first one's window.
        extension = PerMessageDeflate(False, False, 15, 15)
        first = Frame(TEXT, b"\xf2\x48\xcd\xc9\xc9\x07\x00", rsv1=True)
        second = Frame(TEXT, b"\xf2\x00\x11\x00\x00", rsv1=True)
        assert extension.decode(first).data == b"Hello"
        assert extension.decode(second).data == b"Hello"

    def test_uncompressed_message_passes_through(self) -> None:
        extension = PerMessageDeflate(False, False, 15, 15)
        frame = Frame(BINARY, b"raw")
        assert extension.decode(frame) is frame

    def test_control_frames_are_untouched(self) -> None:
        extension = PerMessageDeflate(False, False, 15, 15)
        frame = Frame(PING, b"ping")
        assert extension.encode(frame) is frame
        assert extension.decode(frame) is frame

    def test_rsv1_only_on_the_first_frame(self) -> None:
        extension = PerMessageDeflate(False, False, 15, 15)
        first = extension.encode(Frame(TEXT, b"a" * 100, fin=False))
        last = extension.encode(Frame(CONT, b"b" * 100))
        assert first.rsv1 and not last.rsv1

    def test_rsv1_on_a_continuation_is_rejected(self) -> None:
        sender = PerMessageDeflate(False, False, 15, 15)
        receiver = PerMessageDeflate(False, False, 15, 15)
        receiver.decode(sender.encode(Frame(TEXT, b"a", fin=False)))
        frame = dataclasses.replace(sender.encode(Frame(CONT, b"b")), rsv1=True)
        with pytest.raises(ProtocolError) as raised:
            receiver.decode(frame)
        assert str(raised.value) == "RSV1 bit set in continuation frame"

    def test_corrupt_data(self) -> None:
        extension = PerMessageDeflate(False, False, 15, 15)
        with pytest.raises(ProtocolError, match="decompression failed"):
            extension.decode(Frame(BINARY, b"\xff\xff\xff\xff", rsv1=True))

    def test_max_size_while_decompressing(self) -> None:
        sender = PerMessageDeflate(False, False, 15, 15)
        receiver = PerMessageDeflate(False, False, 15, 15)
        frame = sender.encode(Frame(BINARY, b"\x00" * 1000))
        assert len(frame.data) < 100
        with pytest.raises(PayloadTooBig):
            receiver.decode(frame, max_size=999)

    def test_max_size_boundary(self) -> None:
        sender = PerMessageDeflate(False, False, 15, 15)
        receiver = PerMessageDeflate(False, False, 15, 15)
        assert receiver.decode(
            sender.encode(Frame(BINARY, b"\x00" * 1000)), max_size=1000
        ).data == (b"\x00" * 1000)

    def test_compressed_output_is_smaller_with_repetitive_data(self) -> None:
        extension = PerMessageDeflate(False, False, 12, 12, {"memLevel": 5})
        frame = extension.encode(Frame(TEXT, b'{"key": "value"}' * 100))
        assert len(frame.data) < 100


MESSAGES = st.lists(
    st.lists(st.binary(max_size=300) | st.just(b"spam" * 100), min_size=1, max_size=3),
    min_size=1,
    max_size=5,
)


class TestProperties:
    @settings(max_examples=200, deadline=None)
    @given(
        messages=MESSAGES,
        local_no_context_takeover=st.booleans(),
        remote_no_context_takeover=st.booleans(),
        bits=st.integers(9, 15),
    )
    def test_round_trip(
        self,
        messages: list[list[bytes]],
        local_no_context_takeover: bool,
        remote_no_context_takeover: bool,
        bits: int,
    ) -> None:
        sender = PerMessageDeflate(
            remote_no_context_takeover, local_no_context_takeover, 15, bits, {"memLevel": 5}
        )
        receiver = PerMessageDeflate(
            local_no_context_takeover, remote_no_context_takeover, bits, 15
        )
        for fragments in messages:
            received = b""
            for index, fragment in enumerate(fragments):
                opcode = BINARY if index == 0 else CONT
                fin = index == len(fragments) - 1
                encoded = sender.encode(Frame(opcode, fragment, fin=fin))
                decoded = receiver.decode(encoded, max_size=2**16)
                assert not decoded.rsv1
                received += decoded.data
            assert received == b"".join(fragments)

    @settings(max_examples=100, deadline=None)
    @given(data=st.binary(max_size=2000))
    def test_interoperates_with_zlib(self, data: bytes) -> None:
        # A raw deflate stream with a sync flush is what any peer sends.
        compressor = zlib.compressobj(wbits=-15)
        payload = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
        extension = PerMessageDeflate(False, False, 15, 15)
        assert extension.decode(Frame(BINARY, payload[:-4], rsv1=True)).data == data


def deflate_bomb(size: int) -> bytes:
    compressor = zlib.compressobj(wbits=-15, level=9)
    chunk = bytes(2**20)
    payload = b"".join(compressor.compress(chunk) for _ in range(size // len(chunk)))
    payload += compressor.flush(zlib.Z_SYNC_FLUSH)
    return payload[:-4]


def test_deflate_bomb_fails_with_1009_without_expanding() -> None:
    bomb = deflate_bomb(100 * 2**20)
    assert len(bomb) < 2**20  # 100 MiB of zeros compress to about 100 KiB
    # FIN, RSV1 and BINARY; masked with a zero key, which leaves the payload as is.
    frame = b"\xc2\xff" + len(bomb).to_bytes(8, "big") + b"\x00" * 4 + bomb

    server = Protocol(SERVER, max_size=2**20)
    server.extensions = [PerMessageDeflate(False, False, 15, 15)]
    tracemalloc.start()
    try:
        server.receive_data(frame)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert isinstance(server.parser_exc, PayloadTooBig)
    assert server.events_received() == []
    [close, eof] = server.data_to_send()
    assert close[2:4] == CloseCode.MESSAGE_TOO_BIG.to_bytes(2, "big")
    assert eof == b""
    # Buffers of the frame and of at most max_size decompressed bytes, not 100 MiB.
    assert peak < 8 * 2**20


def test_compressed_messages_through_protocols() -> None:
    client, server = Protocol(CLIENT), Protocol(SERVER)
    client.extensions = [PerMessageDeflate(False, False, 12, 12)]
    server.extensions = [PerMessageDeflate(False, False, 12, 12)]
    client.send_text("café ".encode() * 100, fin=False)
    client.send_continuation(b"end", fin=True)
    [first, last] = transfer(client, server)
    assert first[0] & 0x40 and not last[0] & 0x40
    frames = server.events_received()
    assert b"".join(frame.data for frame in frames) == "café ".encode() * 100 + b"end"
