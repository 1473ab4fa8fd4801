"""Interfaces of WebSocket extensions (RFC 6455 section 9) and of their negotiation."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from ..frames import Frame
from ..typing import ExtensionName, ExtensionParameter

__all__ = ["ClientExtensionFactory", "Extension", "ServerExtensionFactory"]


class Extension(ABC):
    """A negotiated extension, bound to one connection; transforms frames."""

    name: ExtensionName
    """Extension identifier."""

    @abstractmethod
    def decode(self, frame: Frame, *, max_size: int | None = None) -> Frame:
        """Decode an incoming frame.

        Raises:
            PayloadTooBig: The decoded payload would exceed ``max_size``.
            ProtocolError: The frame can't be decoded.
        """

    @abstractmethod
    def encode(self, frame: Frame) -> Frame:
        """Encode an outgoing frame."""


class ClientExtensionFactory(ABC):
    """Offers an extension in the client's request and accepts the server's answer."""

    name: ExtensionName
    """Extension identifier."""

    @abstractmethod
    def get_request_params(self) -> Sequence[ExtensionParameter]:
        """Parameters to send in the handshake request."""

    @abstractmethod
    def process_response_params(
        self, params: Sequence[ExtensionParameter], accepted_extensions: Sequence[Extension]
    ) -> Extension:
        """Build the extension from the parameters of the server's answer.

        ``accepted_extensions`` are the extensions already accepted on this connection.

        Raises:
            NegotiationError: The parameters aren't acceptable.
        """


class ServerExtensionFactory(ABC):
    """Answers an extension offered in a client's request."""

    name: ExtensionName
    """Extension identifier."""

    @abstractmethod
    def process_request_params(
        self, params: Sequence[ExtensionParameter], accepted_extensions: Sequence[Extension]
    ) -> tuple[list[ExtensionParameter], Extension]:
        """Accept an offer: return the response parameters and the extension.

        ``accepted_extensions`` are the extensions already accepted on this connection.

        Raises:
            NegotiationError: The offer isn't acceptable; the server tries the next one.
        """
