"""Run every benchmark module: ``python -m benchmarks [--only NAME] [options for each]``."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time

import benchmarks


def discover() -> list[str]:
    """Names of the modules in this package that expose ``main``."""
    names = []
    for info in pkgutil.iter_modules(benchmarks.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        if callable(getattr(module, "main", None)):
            names.append(info.name)
    return sorted(names)


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", add_help=False)
    parser.add_argument("--only", action="append", default=[], help="run only this module")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    options, rest = parser.parse_known_args(argv)
    names = discover()
    if options.list:
        print("\n".join(names))
        return 0
    if options.only:
        unknown = set(options.only) - set(names)
        if unknown:
            print(f"unknown benchmark(s): {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        names = [name for name in names if name in options.only]
    else:
        # Skip modules whose figures another benchmark's report already includes, and tools.
        names = [
            name
            for name in names
            if getattr(importlib.import_module(f"benchmarks.{name}"), "PART_OF", None) is None
            and getattr(importlib.import_module(f"benchmarks.{name}"), "RUN_BY_DEFAULT", True)
        ]
    status = 0
    for name in names:
        print(f"== benchmarks.{name}", flush=True)
        start = time.perf_counter()
        result = importlib.import_module(f"benchmarks.{name}").main(rest)
        print(f"== benchmarks.{name} done in {time.perf_counter() - start:.1f} s\n", flush=True)
        status = status or int(result or 0)
    return status


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
