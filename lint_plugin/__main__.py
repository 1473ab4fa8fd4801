"""``python -m lint_plugin``: the ``wsu`` command."""

import sys

from lint_plugin.cli import main

sys.exit(main())
