"""Benchmarks, run with ``python -m benchmarks [options]``.

Every module of this package that exposes ``main(argv: list[str] | None = None) -> int``
is a benchmark: the runner calls each one in turn with the command-line options it was
given (e.g. ``--quick``), so each one ignores options it doesn't know. Helper modules
don't expose ``main``. Benchmarks print their figures; they are not tests and assert
nothing beyond the correctness of what they measure.
"""
