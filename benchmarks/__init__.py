"""Benchmarks, run with ``python -m benchmarks [options]``.

Every module of this package that exposes ``main(argv: list[str] | None = None) -> int``
is a benchmark: the runner calls each one in turn with the command-line options it was
given (e.g. ``--quick``), so each one ignores options it doesn't know. Helper modules
don't expose ``main``. A module whose figures another one's report already includes sets
``PART_OF`` (e.g. ``echo_sync``, part of ``echo``), and a tool that prints profiles rather
than figures sets ``RUN_BY_DEFAULT = False`` (``profile_echo``): the runner skips both
unless ``--only`` names them. Benchmarks print their figures; they are not tests and assert
nothing beyond the correctness of what they measure.
"""
