"""masked_frame: a masked frame built from header, mask and payload, C and Python alike."""

from __future__ import annotations

import os
from collections.abc import Callable, Generator

import pytest

from websockets_impl.frames import OP_BINARY, Frame
from websockets_impl.utils import apply_mask, masked_frame, masked_frame_python

masked_frame_c: Callable[[bytes, bytes, bytes], bytes] | None
try:
    from websockets_impl.speedups import masked_frame as masked_frame_c
except ImportError:  # not built, or built from an older speedups.c
    masked_frame_c = None

IMPLEMENTATIONS: list[Callable[[bytes, bytes, bytes], bytes]] = [masked_frame_python]
if masked_frame_c is not None:
    IMPLEMENTATIONS.append(masked_frame_c)

SIZES = [0, 1, 3, 4, 7, 8, 31, 32, 33, 125, 126, 65535, 65536, 64 * 1024 + 1, 2**20 + 3]


@pytest.mark.parametrize("function", IMPLEMENTATIONS)
@pytest.mark.parametrize("size", SIZES)
def test_header_mask_then_masked_payload(function: Callable[..., bytes], size: int) -> None:
    header, mask, data = b"\x82\xfe\x01\x02", os.urandom(4), os.urandom(size)
    assert function(header, mask, data) == header + mask + apply_mask(data, mask)


@pytest.mark.parametrize("function", IMPLEMENTATIONS)
def test_buffer_types(function: Callable[..., bytes]) -> None:
    data = os.urandom(100)
    expected = b"\x82\xe4" + b"abcd" + apply_mask(data, b"abcd")
    for payload in (bytearray(data), memoryview(data)):
        assert function(b"\x82\xe4", b"abcd", payload) == expected
    # A non-contiguous view is masked as its contents.
    strided = memoryview(data * 2)[::2]
    assert function(b"", b"abcd", strided) == b"abcd" + apply_mask(bytes(strided), b"abcd")


@pytest.mark.parametrize("function", IMPLEMENTATIONS)
def test_mask_must_be_four_bytes(function: Callable[..., bytes]) -> None:
    with pytest.raises(ValueError, match="mask must contain 4 bytes"):
        function(b"\x82\x80", b"abc", b"")


@pytest.mark.skipif(masked_frame_c is None, reason="C extension not built")
def test_c_arguments() -> None:
    assert masked_frame_c is not None
    with pytest.raises(TypeError):
        masked_frame_c(b"", b"abcd")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        masked_frame_c(b"", b"abcd", "text")  # type: ignore[arg-type]


@pytest.mark.parametrize("size", SIZES)
def test_serialized_masked_frame_parses_back(size: int) -> None:
    frame = Frame(OP_BINARY, os.urandom(size))
    serialized = frame.serialize(mask=True)
    assert serialized[1] & 0x80
    buffer = bytearray(serialized)

    def read_exact(n: int) -> Generator[None, None, bytes]:
        data = bytes(buffer[:n])
        del buffer[:n]
        return data
        yield

    parser = Frame.parse(read_exact, mask=True)
    with pytest.raises(StopIteration) as done:
        next(parser)
    assert done.value.value == frame
    assert not buffer


def test_masked_frame_is_the_c_one_when_built() -> None:
    if masked_frame_c is not None:
        assert masked_frame is masked_frame_c
    else:
        assert masked_frame is masked_frame_python
