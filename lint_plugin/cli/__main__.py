"""``python -m lint_plugin.cli``: the ``wsu`` command."""

import sys

from lint_plugin.cli import main

sys.exit(main())
