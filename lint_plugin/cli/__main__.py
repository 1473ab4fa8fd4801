"""``python -m lint_plugin.cli``: the ``wsu`` command."""

from lint_plugin.cli import run

run()
