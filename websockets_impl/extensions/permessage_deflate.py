"""The permessage-deflate extension (RFC 7692)."""

from __future__ import annotations

import dataclasses
import os
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..exceptions import (
    DuplicateParameter,
    InvalidParameterName,
    InvalidParameterValue,
    NegotiationError,
    PayloadTooBig,
    ProtocolError,
)
from ..frames import CTRL_OPCODES, OP_CONT, Frame
from ..typing import BytesLike, ExtensionName, ExtensionParameter
from .base import ClientExtensionFactory, Extension, ServerExtensionFactory

if TYPE_CHECKING:
    from zlib import _Compress, _Decompress

__all__ = [
    "ClientPerMessageDeflateFactory",
    "PerMessageDeflate",
    "ServerPerMessageDeflateFactory",
    "enable_client_permessage_deflate",
    "enable_server_permessage_deflate",
]

NAME = ExtensionName("permessage-deflate")


def _backend() -> Any:
    """The zlib module (de)compressors come from: zlib-ng when it is installed, as it
    deflates the same format with the same parameters two to three times as fast; the
    standard library's otherwise, or when ``WEBSOCKETS_IMPL_ZLIB=stdlib`` asks for it."""
    if os.environ.get("WEBSOCKETS_IMPL_ZLIB", "") != "stdlib":
        try:
            from zlib_ng import zlib_ng
        except ImportError:
            pass
        else:
            return zlib_ng
    return zlib


_zlib = _backend()

# A sync flush ends with an empty stored block; RFC 7692 7.2.1 strips it from each
# message on the wire and 7.2.2 appends it back before inflating.
_EMPTY_STORED_BLOCK = b"\x00\x00\xff\xff"
# Payload size from which copying it costs more than a separate zlib call or a view.
_INFLATE_TAIL_APART = 4096

# zlib can't produce raw deflate streams with an 8-bit window, hence 9 as the minimum.
MIN_WINDOW_BITS, MAX_WINDOW_BITS = 9, 15
_WINDOW_BITS_VALUES = {str(bits): bits for bits in range(MIN_WINDOW_BITS, MAX_WINDOW_BITS + 1)}


def _check_window_bits(name: str, bits: int | None) -> None:
    if bits is not None and not MIN_WINDOW_BITS <= bits <= MAX_WINDOW_BITS:
        raise ValueError(f"{name} must be between {MIN_WINDOW_BITS} and {MAX_WINDOW_BITS}")


def _check_compress_settings(compress_settings: dict[str, Any] | None) -> None:
    if compress_settings is not None and "wbits" in compress_settings:
        raise ValueError("compress_settings can't set wbits; use max_window_bits")


class PerMessageDeflate(Extension):
    """permessage-deflate as negotiated on one connection.

    "local" applies to what this side compresses, "remote" to what it decompresses.
    """

    name = NAME

    def __init__(
        self,
        remote_no_context_takeover: bool,
        local_no_context_takeover: bool,
        remote_max_window_bits: int,
        local_max_window_bits: int,
        compress_settings: dict[str, Any] | None = None,
    ) -> None:
        _check_window_bits("remote_max_window_bits", remote_max_window_bits)
        _check_window_bits("local_max_window_bits", local_max_window_bits)
        _check_compress_settings(compress_settings)
        self.remote_no_context_takeover = remote_no_context_takeover
        self.local_no_context_takeover = local_no_context_takeover
        self.remote_max_window_bits = remote_max_window_bits
        self.local_max_window_bits = local_max_window_bits
        self.compress_settings = dict(compress_settings or {})
        # Without context takeover, (de)compressors live for one message only.
        self.decoder: _Decompress | None = (
            None if remote_no_context_takeover else self._new_decoder()
        )
        self.encoder: _Compress | None = None if local_no_context_takeover else self._new_encoder()
        # Whether the continuation frames being received belong to a compressed message.
        self.decode_cont_data = False

    def __repr__(self) -> str:
        return (
            f"PerMessageDeflate(remote_no_context_takeover={self.remote_no_context_takeover}, "
            f"local_no_context_takeover={self.local_no_context_takeover}, "
            f"remote_max_window_bits={self.remote_max_window_bits}, "
            f"local_max_window_bits={self.local_max_window_bits})"
        )

    def _new_decoder(self) -> _Decompress:
        return _zlib.decompressobj(wbits=-self.remote_max_window_bits)

    def _new_encoder(self) -> _Compress:
        return _zlib.compressobj(wbits=-self.local_max_window_bits, **self.compress_settings)

    def decode(self, frame: Frame, *, max_size: int | None = None) -> Frame:
        """Inflate a frame of a compressed message, producing at most ``max_size`` bytes.

        The output is bounded while inflating, so a small frame that expands to a huge
        payload costs no more than ``max_size`` bytes of memory.

        Raises:
            PayloadTooBig: The payload inflates beyond ``max_size``.
            ProtocolError: The payload isn't a valid deflate stream.
        """
        if frame.opcode in CTRL_OPCODES:
            return frame
        if frame.opcode is OP_CONT:
            if not self.decode_cont_data:
                return frame
            # RFC 7692 6: RSV1 marks the first frame of a compressed message only.
            if frame.rsv1:
                raise ProtocolError("RSV1 bit set in continuation frame")
            if frame.fin:
                self.decode_cont_data = False
            rsv1 = False
        else:
            if not frame.rsv1:
                return frame
            if not frame.fin:
                self.decode_cont_data = True
            if self.remote_no_context_takeover:
                self.decoder = self._new_decoder()
            rsv1 = False

        assert self.decoder is not None, "a compressed message started"
        data = self._inflate(self.decoder, frame.data, frame.fin, max_size)
        if frame.fin and self.remote_no_context_takeover:
            self.decoder = None
        return _replace(frame, data, rsv1)

    def decode_message(self, data: BytesLike, max_size: int | None) -> bytes:
        """Inflate the payload of a whole compressed message: one final frame with RSV1.

        Same checks and errors as :meth:`decode`, for fast paths that parse frames
        themselves; the payload may be any bytes-like object.
        """
        decoder = self._new_decoder() if self.remote_no_context_takeover else self.decoder
        assert decoder is not None, "context takeover keeps a decoder"
        return self._inflate(decoder, data, True, max_size)

    @staticmethod
    def _inflate(decoder: _Decompress, data: BytesLike, fin: bool, max_size: int | None) -> bytes:
        # One byte beyond the limit proves the limit is exceeded without inflating more.
        max_length = 0 if max_size is None else max_size + 1
        try:
            if not fin:
                inflated = decoder.decompress(data, max_length)
            elif len(data) < _INFLATE_TAIL_APART:
                inflated = decoder.decompress(bytes(data) + _EMPTY_STORED_BLOCK, max_length)
            else:
                # Appending the empty block to a large payload would copy it: inflate
                # the block on its own, it adds nothing to the output.
                inflated = decoder.decompress(data, max_length)
                if max_size is None:
                    inflated += decoder.decompress(_EMPTY_STORED_BLOCK)
                elif len(inflated) <= max_size:
                    inflated += decoder.decompress(_EMPTY_STORED_BLOCK, max_length - len(inflated))
        except (zlib.error, _zlib.error) as exc:
            raise ProtocolError(f"decompression failed: {exc}") from exc
        if max_size is not None and len(inflated) > max_size:
            raise PayloadTooBig(None, max_size)
        return inflated

    def encode(self, frame: Frame) -> Frame:
        """Deflate a data frame; the first frame of each message gets RSV1."""
        if frame.opcode in CTRL_OPCODES:
            return frame
        if frame.opcode is OP_CONT:
            rsv1 = False
        else:
            if self.local_no_context_takeover:
                self.encoder = self._new_encoder()
            rsv1 = True

        assert self.encoder is not None, "a message started"
        data = self.encoder.compress(frame.data) + self.encoder.flush(zlib.Z_SYNC_FLUSH)
        if frame.fin:
            if data.endswith(_EMPTY_STORED_BLOCK):
                data = data[:-4]
            if self.local_no_context_takeover:
                self.encoder = None
        return _replace(frame, data, rsv1)

    def encode_message(self, data: BytesLike) -> BytesLike:
        """Deflate a whole message sent in one frame, as :meth:`encode` does; the frame
        gets RSV1. Large results are views, to save copying them once more."""
        encoder = self._new_encoder() if self.local_no_context_takeover else self.encoder
        assert encoder is not None, "context takeover keeps an encoder"
        deflated = encoder.compress(data) + encoder.flush(zlib.Z_SYNC_FLUSH)
        if deflated.endswith(_EMPTY_STORED_BLOCK):
            if len(deflated) < _INFLATE_TAIL_APART:
                return deflated[:-4]
            return memoryview(deflated)[:-4]
        return deflated


def _replace(frame: Frame, data: bytes, rsv1: bool) -> Frame:
    """``dataclasses.replace(frame, data=data, rsv1=rsv1)``, a dozen times cheaper for a
    plain :class:`Frame`, which is what the protocol builds."""
    if type(frame) is Frame:
        return Frame(frame.opcode, data, frame.fin, rsv1, frame.rsv2, frame.rsv3)
    return dataclasses.replace(frame, data=data, rsv1=rsv1)


def _parse_window_bits(name: str, value: str | None) -> int:
    if value is None or value not in _WINDOW_BITS_VALUES:
        raise InvalidParameterValue(name, value)
    return _WINDOW_BITS_VALUES[value]


def _extract_params(
    params: Sequence[ExtensionParameter], *, is_server: bool
) -> tuple[bool, bool, int | None, int | bool | None]:
    """Read ``(server_no_context_takeover, client_no_context_takeover,
    server_max_window_bits, client_max_window_bits)`` from negotiation parameters.

    In an offer, i.e. when ``is_server``, client_max_window_bits may come without a
    value, which is returned as ``True``.

    Raises:
        NegotiationError: A parameter is duplicated, unknown or has a bad value.
    """
    server_no_context_takeover = False
    client_no_context_takeover = False
    server_max_window_bits: int | None = None
    client_max_window_bits: int | bool | None = None
    seen: set[str] = set()
    for name, value in params:
        if name in seen:
            raise DuplicateParameter(name)
        seen.add(name)
        if name == "server_no_context_takeover":
            if value is not None:
                raise InvalidParameterValue(name, value)
            server_no_context_takeover = True
        elif name == "client_no_context_takeover":
            if value is not None:
                raise InvalidParameterValue(name, value)
            client_no_context_takeover = True
        elif name == "server_max_window_bits":
            server_max_window_bits = _parse_window_bits(name, value)
        elif name == "client_max_window_bits":
            if is_server and value is None:
                client_max_window_bits = True
            else:
                client_max_window_bits = _parse_window_bits(name, value)
        else:
            raise InvalidParameterName(name)
    return (
        server_no_context_takeover,
        client_no_context_takeover,
        server_max_window_bits,
        client_max_window_bits,
    )


def _build_params(
    server_no_context_takeover: bool,
    client_no_context_takeover: bool,
    server_max_window_bits: int | None,
    client_max_window_bits: int | bool | None,
) -> list[ExtensionParameter]:
    params: list[ExtensionParameter] = []
    if server_no_context_takeover:
        params.append(("server_no_context_takeover", None))
    if client_no_context_takeover:
        params.append(("client_no_context_takeover", None))
    if server_max_window_bits is not None:
        params.append(("server_max_window_bits", str(server_max_window_bits)))
    if client_max_window_bits is True:
        params.append(("client_max_window_bits", None))
    elif client_max_window_bits:
        params.append(("client_max_window_bits", str(client_max_window_bits)))
    return params


class ClientPerMessageDeflateFactory(ClientExtensionFactory):
    """Offers permessage-deflate from a client.

    ``client_max_window_bits=True`` (the default) tells the server that the client can
    limit its window, without choosing a size; an int chooses the size.

    Raises:
        ValueError: A window size is out of range or ``compress_settings`` sets wbits.
    """

    name = NAME

    def __init__(
        self,
        server_no_context_takeover: bool = False,
        client_no_context_takeover: bool = False,
        server_max_window_bits: int | None = None,
        client_max_window_bits: int | bool | None = True,
        compress_settings: dict[str, Any] | None = None,
    ) -> None:
        _check_window_bits("server_max_window_bits", server_max_window_bits)
        if client_max_window_bits is False:
            client_max_window_bits = None
        if client_max_window_bits is not True:
            _check_window_bits("client_max_window_bits", client_max_window_bits)
        _check_compress_settings(compress_settings)
        self.server_no_context_takeover = server_no_context_takeover
        self.client_no_context_takeover = client_no_context_takeover
        self.server_max_window_bits = server_max_window_bits
        self.client_max_window_bits = client_max_window_bits
        self.compress_settings = compress_settings

    def __repr__(self) -> str:
        return (
            f"ClientPerMessageDeflateFactory("
            f"server_no_context_takeover={self.server_no_context_takeover}, "
            f"client_no_context_takeover={self.client_no_context_takeover}, "
            f"server_max_window_bits={self.server_max_window_bits}, "
            f"client_max_window_bits={self.client_max_window_bits})"
        )

    def get_request_params(self) -> list[ExtensionParameter]:
        return _build_params(
            self.server_no_context_takeover,
            self.client_no_context_takeover,
            self.server_max_window_bits,
            self.client_max_window_bits,
        )

    def process_response_params(
        self, params: Sequence[ExtensionParameter], accepted_extensions: Sequence[Extension]
    ) -> PerMessageDeflate:
        if any(other.name == self.name for other in accepted_extensions):
            raise NegotiationError(f"received duplicate {self.name}")
        (
            server_no_context_takeover,
            client_no_context_takeover,
            server_max_window_bits,
            client_max_window_bits,
        ) = _extract_params(params, is_server=False)

        # RFC 7692 7.1.1.1: a server must accept server_no_context_takeover if offered.
        if self.server_no_context_takeover and not server_no_context_takeover:
            raise NegotiationError("expected server_no_context_takeover")
        # Having offered it, the client keeps its promise even if the server is silent.
        client_no_context_takeover = client_no_context_takeover or self.client_no_context_takeover

        # RFC 7692 7.1.2.1: the server must answer a limit with a limit at most as large.
        if self.server_max_window_bits is not None:
            if server_max_window_bits is None:
                raise NegotiationError("expected server_max_window_bits")
            if server_max_window_bits > self.server_max_window_bits:
                raise NegotiationError("unsupported server_max_window_bits")

        # RFC 7692 7.1.2.2: the server may only limit the client's window if offered.
        if self.client_max_window_bits is None:
            if client_max_window_bits is not None:
                raise NegotiationError("unexpected client_max_window_bits")
        elif self.client_max_window_bits is not True:
            if client_max_window_bits is None:
                client_max_window_bits = self.client_max_window_bits
            elif client_max_window_bits > self.client_max_window_bits:
                raise NegotiationError("unsupported client_max_window_bits")

        return PerMessageDeflate(
            remote_no_context_takeover=server_no_context_takeover,
            local_no_context_takeover=client_no_context_takeover,
            remote_max_window_bits=server_max_window_bits or MAX_WINDOW_BITS,
            local_max_window_bits=int(client_max_window_bits or MAX_WINDOW_BITS),
            compress_settings=self.compress_settings,
        )


def enable_client_permessage_deflate(
    extensions: Sequence[ClientExtensionFactory] | None,
) -> Sequence[ClientExtensionFactory]:
    """Add a permessage-deflate factory with the default settings, unless there is one.

    The client leaves window sizes to the server and saves memory with memLevel 5.
    """
    extensions = list(extensions or [])
    if not any(factory.name == NAME for factory in extensions):
        extensions.append(ClientPerMessageDeflateFactory(compress_settings={"memLevel": 5}))
    return extensions


class ServerPerMessageDeflateFactory(ServerExtensionFactory):
    """Accepts permessage-deflate offers on a server.

    ``server_max_window_bits`` and ``client_max_window_bits`` cap the windows whatever
    the client offers; with ``require_client_max_window_bits``, offers from clients
    that can't limit their window are declined.

    Raises:
        ValueError: A window size is out of range, ``compress_settings`` sets wbits,
            or a requirement can't be met.
    """

    name = NAME

    def __init__(
        self,
        server_no_context_takeover: bool = False,
        client_no_context_takeover: bool = False,
        server_max_window_bits: int | None = None,
        client_max_window_bits: int | None = None,
        compress_settings: dict[str, Any] | None = None,
        require_client_max_window_bits: bool = False,
    ) -> None:
        _check_window_bits("server_max_window_bits", server_max_window_bits)
        _check_window_bits("client_max_window_bits", client_max_window_bits)
        _check_compress_settings(compress_settings)
        if require_client_max_window_bits and client_max_window_bits is None:
            raise ValueError("require_client_max_window_bits needs client_max_window_bits")
        self.server_no_context_takeover = server_no_context_takeover
        self.client_no_context_takeover = client_no_context_takeover
        self.server_max_window_bits = server_max_window_bits
        self.client_max_window_bits = client_max_window_bits
        self.compress_settings = compress_settings
        self.require_client_max_window_bits = require_client_max_window_bits

    def __repr__(self) -> str:
        return (
            f"ServerPerMessageDeflateFactory("
            f"server_no_context_takeover={self.server_no_context_takeover}, "
            f"client_no_context_takeover={self.client_no_context_takeover}, "
            f"server_max_window_bits={self.server_max_window_bits}, "
            f"client_max_window_bits={self.client_max_window_bits})"
        )

    def process_request_params(
        self, params: Sequence[ExtensionParameter], accepted_extensions: Sequence[Extension]
    ) -> tuple[list[ExtensionParameter], PerMessageDeflate]:
        if any(other.name == self.name for other in accepted_extensions):
            raise NegotiationError(f"skipped duplicate {self.name}")
        (
            server_no_context_takeover,
            client_no_context_takeover,
            server_max_window_bits,
            offered_client_max_window_bits,
        ) = _extract_params(params, is_server=True)

        server_no_context_takeover = server_no_context_takeover or self.server_no_context_takeover
        client_no_context_takeover = client_no_context_takeover or self.client_no_context_takeover

        # The window must fit the client's limit, if any, and ours.
        if self.server_max_window_bits is not None:
            if server_max_window_bits is None:
                server_max_window_bits = self.server_max_window_bits
            else:
                server_max_window_bits = min(server_max_window_bits, self.server_max_window_bits)

        # We may only limit the client's window if it offered client_max_window_bits.
        client_max_window_bits: int | None
        if offered_client_max_window_bits is None:
            if self.require_client_max_window_bits:
                raise NegotiationError("required client_max_window_bits")
            client_max_window_bits = None
        elif offered_client_max_window_bits is True:
            client_max_window_bits = self.client_max_window_bits
        elif self.client_max_window_bits is None:
            client_max_window_bits = int(offered_client_max_window_bits)
        else:
            client_max_window_bits = min(
                int(offered_client_max_window_bits), self.client_max_window_bits
            )

        response_params = _build_params(
            server_no_context_takeover,
            client_no_context_takeover,
            server_max_window_bits,
            client_max_window_bits,
        )
        extension = PerMessageDeflate(
            remote_no_context_takeover=client_no_context_takeover,
            local_no_context_takeover=server_no_context_takeover,
            remote_max_window_bits=client_max_window_bits or MAX_WINDOW_BITS,
            local_max_window_bits=server_max_window_bits or MAX_WINDOW_BITS,
            compress_settings=self.compress_settings,
        )
        return response_params, extension


def enable_server_permessage_deflate(
    extensions: Sequence[ServerExtensionFactory] | None,
) -> Sequence[ServerExtensionFactory]:
    """Add a permessage-deflate factory with the default settings, unless there is one.

    12-bit windows and memLevel 5 keep memory near 64 KiB per connection.
    """
    extensions = list(extensions or [])
    if not any(factory.name == NAME for factory in extensions):
        extensions.append(
            ServerPerMessageDeflateFactory(
                server_max_window_bits=12,
                client_max_window_bits=12,
                compress_settings={"memLevel": 5},
            )
        )
    return extensions
