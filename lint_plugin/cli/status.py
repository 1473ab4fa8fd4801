"""Exit statuses (ruff's) and the error for bad usage."""

from __future__ import annotations

#: 0: nothing left to report (or everything fixed); 1: violations remain (or, with --diff,
#: there is a diff); 2: bad usage or configuration, or an internal error.
EXIT_CLEAN, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """Options that do not fit together; reported as ``wsu: error: ...`` with status 2."""
