"""Copy the library's deprecation table into the linter.

``websockets_impl/deprecations.py`` is the one source. The linter ships a generated copy,
``lint_plugin/_deprecations_data.py``, so that installing wsu-lint neither installs nor
imports the library. ``python -m tools.sync_deprecations`` writes the copy; ``--check``
exits 1 when it is stale (the test suite runs the check).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "websockets_impl" / "deprecations.py"
COPY = ROOT / "lint_plugin" / "_deprecations_data.py"
HEADER = (
    "# Generated from websockets_impl/deprecations.py by `python -m tools.sync_deprecations`:\n"
    "# edit the library's table and regenerate. The linter ships this copy so that it does\n"
    "# not depend on the library at run time.\n"
)


def expected_copy() -> str:
    return HEADER + SOURCE.read_text(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the copy is stale")
    args = parser.parse_args(argv)
    wanted = expected_copy()
    current = COPY.read_text(encoding="utf-8") if COPY.exists() else None
    if args.check:
        if current != wanted:
            print(f"{COPY.relative_to(ROOT)} is stale: run python -m tools.sync_deprecations")
            return 1
        return 0
    if current != wanted:
        COPY.write_text(wanted, encoding="utf-8")
        print(f"wrote {COPY.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
