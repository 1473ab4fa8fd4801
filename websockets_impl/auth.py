"""Deprecated alias of :mod:`websockets_impl.legacy.auth` (14.0).

Use :func:`websockets_impl.asyncio.server.basic_auth` instead.
"""

from __future__ import annotations

import warnings

# One warning, this module's: the legacy package's own import warning would repeat it.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from .legacy.auth import *  # noqa: F403
    from .legacy.auth import __all__ as __all__

warnings.warn(
    "websockets_impl.auth, an alias for websockets_impl.legacy.auth, is deprecated; "
    "see https://websockets.readthedocs.io/en/stable/howto/upgrade.html "
    "for upgrade instructions",
    DeprecationWarning,
    stacklevel=2,
)
