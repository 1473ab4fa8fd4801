"""Version of the websockets API that this package implements.

Code written for upstream compares against these values, so they are the upstream
release this package mirrors rather than a version of its own.
"""

from __future__ import annotations

__all__ = ["commit", "released", "tag", "version"]

released = True

tag = version = commit = "17.4"
