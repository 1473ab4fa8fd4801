"""C accelerator for websockets_impl: payload masking (RFC 6455 section 5.3)."""

from typing_extensions import Buffer

def apply_mask(data: Buffer, mask: Buffer) -> bytes:
    """XOR ``data`` with the 4-byte ``mask`` repeated and return the result as bytes.

    Both arguments may be any object supporting the buffer protocol; non-contiguous buffers
    are copied first.

    Raises:
        ValueError: ``mask`` isn't 4 bytes long.
        TypeError: an argument doesn't support the buffer protocol.
    """

def masked_frame(header: Buffer, mask: Buffer, data: Buffer, /) -> bytes:
    """Return ``header + mask + apply_mask(data, mask)``, built in one allocation.

    Raises:
        ValueError: ``mask`` isn't 4 bytes long.
        TypeError: an argument doesn't support the buffer protocol.
    """
