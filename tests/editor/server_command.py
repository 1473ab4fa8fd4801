"""How the tests start ``wsu server``: the interpreter's own script, else ``-m``.

Kept apart from tests/lsp/helpers.py (which needs pytest-lsp, not installable on every
Python the linter supports) so that these tests run on all of them.
"""

from __future__ import annotations

import sys
from pathlib import Path

_SCRIPT = Path(sys.executable).with_name("wsu")
SERVER = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "lint_plugin.cli"]
SERVER = [*SERVER, "server"]
