"""Masking speed: our C accelerator and pure-Python strategies against upstream websockets.

``python -m benchmarks.masking [--quick]``. For each payload size, every implementation is
timed in the same run, round-robin (one timing of each per round, best round kept), so
that load from other processes hits them alike. Prints microseconds per call, throughput
and the ratio of each time to upstream's pure-Python and C versions, then the crossover
between the two pure-Python strategies that ``apply_mask_python`` picks from.

Our C accelerator (``websockets_impl.speedups``) is left out, with a note, when it
isn't built.
"""

from __future__ import annotations

import argparse
import os
import timeit
from collections.abc import Callable
from functools import partial

from websockets.speedups import apply_mask as upstream_c
from websockets.utils import apply_mask as upstream_python

from websockets_impl.utils import (
    TRANSLATE_THRESHOLD,
    apply_mask,
    apply_mask_python,
    mask_int,
    mask_translate,
)

Mask = Callable[[bytes, bytes], bytes]

ours_c: Mask | None
try:
    from websockets_impl.speedups import apply_mask as ours_c
except ImportError:
    ours_c = None

SIZES = [32, 256, 64 * 1024, 1024 * 1024]
CROSSOVER_SIZES = [4096, 8192, 16384, 32768, 65536]


def mask_loop(data: bytes, mask: bytes) -> bytes:
    """The definition, byte by byte: the baseline every strategy must beat."""
    return bytes(byte ^ mask[index & 3] for index, byte in enumerate(data))


def implementations() -> dict[str, Mask]:
    """Everything to time, upstream's first (the ratios are relative to them)."""
    functions: dict[str, Mask] = {"upstream Python": upstream_python, "upstream C": upstream_c}
    if ours_c is not None:
        functions["ours C (speedups)"] = ours_c
    functions.update(
        {
            "ours Python": apply_mask_python,
            "  int.from_bytes XOR": mask_int,
            "  translate strides": mask_translate,
            "byte loop": mask_loop,
        }
    )
    return functions


def measure_all(
    functions: dict[str, Mask], data: bytes, mask: bytes, repeat: int
) -> dict[str, float]:
    """Best time of one call of each function, in seconds, timed round-robin."""
    timers = {
        name: timeit.Timer(partial(function, data, mask)) for name, function in functions.items()
    }
    numbers = {name: timer.autorange()[0] for name, timer in timers.items()}
    best = dict.fromkeys(timers, float("inf"))
    for _ in range(repeat):
        for name, timer in timers.items():
            best[name] = min(best[name], timer.timeit(numbers[name]) / numbers[name])
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.masking")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    options, _ = parser.parse_known_args(argv)
    repeat = 2 if options.quick else 5

    if ours_c is None:
        print("note: websockets_impl.speedups isn't built; pure-Python figures only")
    chosen = "C accelerator" if apply_mask is ours_c else "pure Python"
    print(f"websockets_impl.utils.apply_mask is the {chosen} version")
    print()
    print(
        f"{'size':>9}  {'implementation':<22}{'µs/call':>11}{'MB/s':>9}{'÷ up Py':>9}{'÷ up C':>9}"
    )
    for size in SIZES:
        data, mask = os.urandom(size), os.urandom(4)
        expected = upstream_c(data, mask)
        functions = implementations()
        if size > 64 * 1024:
            del functions["byte loop"]  # takes seconds and says nothing new
        for name, function in functions.items():
            assert function(data, mask) == expected, name
        times = measure_all(functions, data, mask, repeat)
        for name, seconds in times.items():
            print(
                f"{size:>9}  {name:<22}{seconds * 1e6:>11.2f}{size / seconds / 1e6:>9.0f}"
                f"{seconds / times['upstream Python']:>9.2f}{seconds / times['upstream C']:>9.2f}"
            )
        print()

    print(f"crossover (apply_mask_python switches to translate at {TRANSLATE_THRESHOLD} bytes)")
    for size in CROSSOVER_SIZES:
        data, mask = os.urandom(size), os.urandom(4)
        times = measure_all({"int": mask_int, "translate": mask_translate}, data, mask, repeat)
        faster = min(times, key=times.__getitem__)
        print(
            f"{size:>9}  int {times['int'] * 1e6:8.2f} µs"
            f"  translate {times['translate'] * 1e6:8.2f} µs  -> {faster}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
