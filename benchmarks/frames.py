"""Frame serialization and parsing: websockets_impl against upstream websockets.

``python -m benchmarks.frames [--quick]``. Both mask with their C extension when it is
built (ours: ``websockets_impl.speedups``, which also builds a masked frame in one
allocation); without it, ours falls back to pure Python.
"""

from __future__ import annotations

import argparse
import os
import timeit
from collections.abc import Callable
from typing import Any

from websockets import frames as upstream_frames
from websockets import streams as upstream_streams

from websockets_impl import frames, streams

SIZES = [32, 256, 64 * 1024, 1024 * 1024]


def serializer(module: Any, data: bytes, mask: bool) -> Callable[[], bytes]:
    frame = module.Frame(module.Opcode.BINARY, data)
    return lambda: frame.serialize(mask=mask)  # type: ignore[no-any-return]


def parser(frames_module: Any, streams_module: Any, wire: bytes, mask: bool) -> Callable[[], Any]:
    def parse() -> Any:
        reader = streams_module.StreamReader()
        reader.feed_data(wire)
        generator = frames_module.Frame.parse(reader.read_exact, mask=mask, max_size=None)
        try:
            next(generator)
        except StopIteration as exc:
            return exc.value
        raise AssertionError("incomplete frame")

    return parse


def measure(function: Callable[[], object], repeat: int) -> float:
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=repeat, number=number)) / number


def main(argv: list[str] | None = None) -> int:
    parser_ = argparse.ArgumentParser(prog="python -m benchmarks.frames")
    parser_.add_argument("--quick", action="store_true", help="fewer repetitions")
    options, _ = parser_.parse_known_args(argv)
    repeat = 2 if options.quick else 5

    print(f"{'size':>9}  {'operation':<18}{'ours µs':>11}{'upstream µs':>13}{'ours ÷ up':>11}")
    for size in SIZES:
        data = os.urandom(size)
        for mask in (False, True):
            wire = frames.Frame(frames.Opcode.BINARY, data).serialize(mask=mask)
            ours_parse = parser(frames, streams, wire, mask)
            theirs_parse = parser(upstream_frames, upstream_streams, wire, mask)
            assert bytes(ours_parse().data) == bytes(theirs_parse().data) == data
            label = "masked" if mask else "unmasked"
            rows = [
                (
                    f"serialize {label}",
                    serializer(frames, data, mask),
                    serializer(upstream_frames, data, mask),
                ),
                (f"parse {label}", ours_parse, theirs_parse),
            ]
            for name, ours, theirs in rows:
                ours_time, theirs_time = measure(ours, repeat), measure(theirs, repeat)
                print(
                    f"{size:>9}  {name:<18}{ours_time * 1e6:>11.2f}{theirs_time * 1e6:>13.2f}"
                    f"{ours_time / theirs_time:>11.2f}"
                )
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
