"""``wsu server``: the language server, when its optional dependencies are installed."""

from __future__ import annotations

import argparse
import importlib
import sys

from lint_plugin.cli.status import EXIT_CLEAN, EXIT_ERROR


def run_server(args: argparse.Namespace) -> int:
    try:
        # Imported here: the server's dependencies (pygls) are an optional extra.
        server = importlib.import_module("lint_plugin.lsp.server")
        server_main = server.main
    except (ImportError, AttributeError) as exc:
        print(
            f"wsu: error: the language server is not available ({exc}); "
            "install it with `pip install 'wsu-lint[lsp]'`",
            file=sys.stderr,
        )
        return EXIT_ERROR
    result = server_main()
    return result if isinstance(result, int) else EXIT_CLEAN
