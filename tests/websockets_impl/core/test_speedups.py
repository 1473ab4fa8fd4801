"""The optional C accelerator, websockets_impl.speedups, against the pure-Python masking.

The C-specific tests are skipped when the extension isn't built, unless BUILD_EXTENSION=yes
is set, in which case its absence is a failure.
"""

from __future__ import annotations

import array
import importlib.util
import os
import sys
import threading
import tracemalloc
from collections.abc import Callable
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import websockets_impl.utils
from websockets_impl.utils import apply_mask_python

speedups: ModuleType | None
try:
    from websockets_impl import speedups
except ImportError:  # not built: pure-Python fallback
    speedups = None

requires_c = pytest.mark.skipif(speedups is None, reason="C extension not built")

# Around the 8-byte words and the 32-byte unrolled blocks of the C loop, and around the size
# above which it releases the GIL (64 KiB).
SIZES = [
    *range(20),
    *(base + delta for base in (24, 32, 40, 64, 96, 128, 1024) for delta in (-1, 0, 1)),
    64 * 1024 - 1,
    64 * 1024,
    64 * 1024 + 1,
    64 * 1024 + 13,
    1024 * 1024 + 5,
]

Mask = Callable[[bytes, bytes], bytes]


def reference_mask(data: bytes, mask: bytes) -> bytes:
    """RFC 6455 5.3, byte by byte."""
    return bytes(byte ^ mask[index % 4] for index, byte in enumerate(data))


def c_mask(data: object, mask: object) -> bytes:
    assert speedups is not None
    return speedups.apply_mask(data, mask)  # type: ignore[arg-type]


def implementations() -> list[object]:
    return [
        pytest.param(apply_mask_python, id="python"),
        pytest.param(c_mask, id="c", marks=requires_c),
    ]


def test_extension_built_when_required() -> None:
    if os.environ.get("BUILD_EXTENSION") != "yes":
        pytest.skip("BUILD_EXTENSION=yes isn't set")
    assert speedups is not None


class TestSelection:
    @requires_c
    def test_utils_uses_the_extension(self) -> None:
        assert speedups is not None
        assert websockets_impl.utils.apply_mask is speedups.apply_mask

    def test_fallback_without_the_extension(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # A fresh copy of utils, loaded while the extension can't be imported.
        monkeypatch.setitem(sys.modules, "websockets_impl.speedups", None)
        origin = websockets_impl.utils.__file__
        assert origin is not None
        spec = importlib.util.spec_from_file_location("websockets_impl._utils_no_c", origin)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert module.apply_mask is module.apply_mask_python
        assert module.apply_mask(b"\x00" * 6, b"abcd") == b"abcdab"


class TestAgreement:
    @pytest.mark.parametrize("size", SIZES)
    @requires_c
    def test_sizes(self, size: int) -> None:
        data, mask = os.urandom(size), os.urandom(4)
        expected = apply_mask_python(data, mask)
        assert c_mask(data, mask) == expected
        if size <= 4096:
            assert expected == reference_mask(data, mask)

    @settings(max_examples=200, deadline=None)
    @given(data=st.binary(max_size=2000), mask=st.binary(min_size=4, max_size=4))
    @requires_c
    def test_random(self, data: bytes, mask: bytes) -> None:
        expected = reference_mask(data, mask)
        assert apply_mask_python(data, mask) == expected
        assert c_mask(data, mask) == expected
        assert c_mask(bytearray(data), mask) == expected
        assert c_mask(memoryview(bytearray(data)), bytearray(mask)) == expected

    @settings(max_examples=200, deadline=None)
    @given(
        data=st.binary(min_size=0, max_size=300),
        start=st.integers(0, 15),
        step=st.integers(1, 5),
        mask=st.binary(min_size=4, max_size=4),
    )
    @requires_c
    def test_random_views(self, data: bytes, start: int, step: int, mask: bytes) -> None:
        # Unaligned starts and, with step > 1, non-contiguous views.
        view = memoryview(bytearray(data))[start::step]
        expected = reference_mask(bytes(view), mask)
        assert c_mask(view, mask) == expected
        assert apply_mask_python(view, mask) == expected

    @pytest.mark.parametrize("offset", range(8))
    @requires_c
    def test_unaligned_source(self, offset: int) -> None:
        data, mask = os.urandom(200), os.urandom(4)
        view = memoryview(data)[offset:]
        assert c_mask(view, mask) == reference_mask(data[offset:], mask)


@pytest.mark.parametrize("function", implementations())
class TestBothImplementations:
    def test_involution(self, function: Mask) -> None:
        data, mask = os.urandom(1000), os.urandom(4)
        assert function(function(data, mask), mask) == data

    def test_bytes_like(self, function: Mask) -> None:
        data, mask = os.urandom(100), os.urandom(4)
        expected = reference_mask(data, mask)
        buffer = bytearray(data)
        for argument in (data, buffer, memoryview(data), memoryview(buffer)):
            result = function(argument, mask)  # type: ignore[arg-type]
            assert type(result) is bytes
            assert result == expected
        assert buffer == data  # the input isn't modified

    def test_non_contiguous_memoryview(self, function: Mask) -> None:
        data, mask = os.urandom(101), os.urandom(4)
        view = memoryview(bytearray(data))[::3]
        assert function(view, mask) == reference_mask(data[::3], mask)  # type: ignore[arg-type]

    @pytest.mark.parametrize("length", [0, 1, 3, 5, 8])
    def test_mask_length(self, function: Mask, length: int) -> None:
        with pytest.raises(ValueError, match=r"^mask must contain 4 bytes$"):
            function(b"data", b"m" * length)

    def test_non_buffer_data(self, function: Mask) -> None:
        for bad in ("text", 1234, None):
            with pytest.raises(TypeError):
                function(bad, b"mask")  # type: ignore[arg-type]


@requires_c
class TestExtension:
    def test_empty(self) -> None:
        assert c_mask(b"", b"mask") == b""
        assert c_mask(bytearray(), memoryview(b"mask")) == b""

    def test_mask_types(self) -> None:
        data = os.urandom(50)
        expected = reference_mask(data, b"\x01\x02\x03\x04")
        for mask in (b"\x01\x02\x03\x04", bytearray(b"\x01\x02\x03\x04")):
            assert c_mask(data, mask) == expected
        assert c_mask(data, memoryview(b"xx\x01\x02\x03\x04")[2:]) == expected
        assert c_mask(data, memoryview(b"\x01-\x02-\x03-\x04")[::2]) == expected
        assert c_mask(data, array.array("I", [int.from_bytes(b"\x01\x02\x03\x04", "little")]))

    def test_multibyte_items_are_masked_as_bytes(self) -> None:
        # The buffer's length in bytes counts, not its number of items.
        numbers = array.array("I", range(1000))
        mask = os.urandom(4)
        assert c_mask(numbers, mask) == reference_mask(numbers.tobytes(), mask)
        assert c_mask(memoryview(numbers)[::2], mask) == reference_mask(
            numbers[::2].tobytes(), mask
        )

    def test_non_buffers(self) -> None:
        # Only the buffer protocol is accepted (the pure-Python version takes a list of ints).
        for bad in ("mask", 1234, None, [1, 2, 3, 4]):
            with pytest.raises(TypeError, match="bytes-like object is required"):
                c_mask(bad, b"mask")
            with pytest.raises(TypeError, match="bytes-like object is required"):
                c_mask(b"data", bad)

    def test_keywords(self) -> None:
        assert speedups is not None
        assert speedups.apply_mask(data=b"\x00\x00", mask=b"abcd") == b"ab"
        assert speedups.apply_mask(b"\x00\x00", mask=b"abcd") == b"ab"

    @pytest.mark.parametrize(
        ("args", "kwargs", "message"),
        [
            ((), {}, "missing required argument 'data'"),
            ((b"",), {}, "missing required argument 'mask'"),
            ((b"", b"mask", b""), {}, "takes 2 positional arguments but 3 were given"),
            ((b"", b"mask"), {"data": b""}, "multiple values for argument 'data'"),
            ((b"", b"mask"), {"other": 1}, "unexpected keyword argument 'other'"),
        ],
    )
    def test_bad_arguments(
        self, args: tuple[object], kwargs: dict[str, object], message: str
    ) -> None:
        assert speedups is not None
        with pytest.raises(TypeError, match=message):
            speedups.apply_mask(*args, **kwargs)  # type: ignore[arg-type]

    def test_signature(self) -> None:
        assert speedups is not None
        assert speedups.apply_mask.__text_signature__ == "(data, mask)"
        assert "4-byte mask" in (speedups.apply_mask.__doc__ or "")

    def test_threads(self) -> None:
        # Large payloads are masked with the GIL released; results stay right.
        payloads = [(os.urandom(300_000 + index), os.urandom(4)) for index in range(4)]
        expected = [apply_mask_python(data, mask) for data, mask in payloads]
        results: dict[int, list[bytes]] = {}

        def work(index: int) -> None:
            data, mask = payloads[index]
            results[index] = [c_mask(data, mask) for _ in range(20)]

        threads = [threading.Thread(target=work, args=(index,)) for index in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for index, outputs in results.items():
            assert all(output == expected[index] for output in outputs)
        assert len(results) == 4

    def test_no_leaks(self) -> None:
        data = bytearray(os.urandom(3000))
        strided = memoryview(data)[::2]
        strided_mask = memoryview(b"a-b-c-d-")[::2]

        def exercise() -> None:
            c_mask(data, b"mask")
            c_mask(strided, strided_mask)
            for bad_mask in (b"abc", memoryview(b"a-b-c")[::2]):
                try:
                    c_mask(strided, bad_mask)
                except ValueError:
                    pass
            try:
                c_mask("text", b"mask")
            except TypeError:
                pass

        for _ in range(100):
            exercise()
        tracemalloc.start()
        try:
            before, _ = tracemalloc.get_traced_memory()
            for _ in range(2000):
                exercise()
            after, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        # A leak of the 1500-byte copy per call would be 3 MB.
        assert after - before < 100_000
