"""Masking speed: pure-Python strategies against upstream websockets (Python and C).

``python -m benchmarks.masking [--quick]``. Prints microseconds per call and the ratio
of each strategy's time to upstream's pure-Python and C versions, then the crossover
between the two strategies that ``websockets_impl.utils.apply_mask`` picks from.
"""

from __future__ import annotations

import argparse
import os
import timeit
from collections.abc import Callable

from websockets.speedups import apply_mask as upstream_c
from websockets.utils import apply_mask as upstream_python

from websockets_impl.utils import TRANSLATE_THRESHOLD, apply_mask, mask_int, mask_translate

Mask = Callable[[bytes, bytes], bytes]

SIZES = [32, 256, 64 * 1024, 1024 * 1024]
CROSSOVER_SIZES = [4096, 8192, 16384, 32768, 65536]


def mask_loop(data: bytes, mask: bytes) -> bytes:
    """The definition, byte by byte: the baseline every strategy must beat."""
    return bytes(byte ^ mask[index & 3] for index, byte in enumerate(data))


OURS: dict[str, Mask] = {
    "apply_mask (chosen)": apply_mask,
    "int.from_bytes XOR": mask_int,
    "translate on strides": mask_translate,
    "byte loop": mask_loop,
}
UPSTREAM: dict[str, Mask] = {"upstream Python": upstream_python, "upstream C": upstream_c}


def measure(function: Mask, data: bytes, mask: bytes, repeat: int) -> float:
    """Best time of one call, in seconds."""
    timer = timeit.Timer(lambda: function(data, mask))
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=repeat, number=number)) / number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.masking")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    options, _ = parser.parse_known_args(argv)
    repeat = 2 if options.quick else 5

    print(
        f"{'size':>9}  {'implementation':<22}{'µs/call':>11}{'MB/s':>9}{'÷ up Py':>9}{'÷ up C':>9}"
    )
    for size in SIZES:
        data, mask = os.urandom(size), os.urandom(4)
        expected = upstream_c(data, mask)
        times = {name: measure(function, data, mask, repeat) for name, function in UPSTREAM.items()}
        for name, function in OURS.items():
            if name == "byte loop" and size > 64 * 1024:
                continue  # takes seconds and says nothing new
            assert function(data, mask) == expected, name
            times[name] = measure(function, data, mask, repeat)
        for name, seconds in times.items():
            print(
                f"{size:>9}  {name:<22}{seconds * 1e6:>11.2f}{size / seconds / 1e6:>9.0f}"
                f"{seconds / times['upstream Python']:>9.2f}{seconds / times['upstream C']:>9.1f}"
            )
        print()

    print(f"crossover (apply_mask switches to translate at {TRANSLATE_THRESHOLD} bytes)")
    for size in CROSSOVER_SIZES:
        data, mask = os.urandom(size), os.urandom(4)
        int_time = measure(mask_int, data, mask, repeat)
        translate_time = measure(mask_translate, data, mask, repeat)
        faster = "int" if int_time < translate_time else "translate"
        print(
            f"{size:>9}  int {int_time * 1e6:8.2f} µs  translate {translate_time * 1e6:8.2f} µs"
            f"  -> {faster}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
