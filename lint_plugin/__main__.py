"""``python -m lint_plugin``: the ``wsu`` command."""

from lint_plugin.cli import run

run()
