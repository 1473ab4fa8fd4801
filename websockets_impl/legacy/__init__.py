"""The original asyncio implementation, deprecated since 14.0.

Importing this package, or any module in it, warns once per process: Python runs
this file only on the first import.
"""

from __future__ import annotations

import warnings

warnings.warn(
    "websockets_impl.legacy is deprecated; "
    "see https://websockets.readthedocs.io/en/stable/howto/upgrade.html "
    "for upgrade instructions",
    DeprecationWarning,
    stacklevel=2,
)
