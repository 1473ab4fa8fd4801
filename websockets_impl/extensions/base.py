"""Interfaces of WebSocket extensions (RFC 6455 section 9) and of their negotiation."""

from __future__ import annotations

from collections.abc import Sequence

from ..frames import Frame
from ..typing import ExtensionName, ExtensionParameter

__all__ = ["ClientExtensionFactory", "Extension", "ServerExtensionFactory"]

# Base classes, not ABCs, as upstream: they can be instantiated, and each method a
# subclass doesn't implement raises NotImplementedError when called.


class Extension:
    """A negotiated extension, bound to one connection; transforms frames."""

    name: ExtensionName
    """Extension identifier."""

    def decode(self, frame: Frame, *, max_size: int | None = None) -> Frame:
        """Decode an incoming frame.

        Raises:
            PayloadTooBig: The decoded payload would exceed ``max_size``.
            ProtocolError: The frame can't be decoded.
        """
        raise NotImplementedError

    def encode(self, frame: Frame) -> Frame:
        """Encode an outgoing frame."""
        raise NotImplementedError


class ClientExtensionFactory:
    """Offers an extension in the client's request and accepts the server's answer."""

    name: ExtensionName
    """Extension identifier."""

    def get_request_params(self) -> Sequence[ExtensionParameter]:
        """Parameters to send in the handshake request."""
        raise NotImplementedError

    def process_response_params(
        self, params: Sequence[ExtensionParameter], accepted_extensions: Sequence[Extension]
    ) -> Extension:
        """Build the extension from the parameters of the server's answer.

        ``accepted_extensions`` are the extensions already accepted on this connection.

        Raises:
            NegotiationError: The parameters aren't acceptable.
        """
        raise NotImplementedError


class ServerExtensionFactory:
    """Answers an extension offered in a client's request."""

    name: ExtensionName
    """Extension identifier."""

    def process_request_params(
        self, params: Sequence[ExtensionParameter], accepted_extensions: Sequence[Extension]
    ) -> tuple[list[ExtensionParameter], Extension]:
        """Accept an offer: return the response parameters and the extension.

        ``accepted_extensions`` are the extensions already accepted on this connection.

        Raises:
            NegotiationError: The offer isn't acceptable; the server tries the next one.
        """
        raise NotImplementedError
