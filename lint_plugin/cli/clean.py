"""``wsu clean``: remove the caches (``.wsu_cache`` directories) under the given paths."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from lint_plugin.cache import CACHE_TAG_NAME, DEFAULT_CACHE_DIR, is_wsu_cache
from lint_plugin.cli.status import EXIT_CLEAN, EXIT_ERROR


def find_caches(top: Path) -> Iterator[Path]:
    """``.wsu_cache`` directories at or under ``top``; symlinks are not followed."""
    if top.name == DEFAULT_CACHE_DIR and top.is_dir() and not top.is_symlink():
        yield top
        return
    for directory, subdirectories, _ in os.walk(top):
        if DEFAULT_CACHE_DIR in subdirectories:
            subdirectories.remove(DEFAULT_CACHE_DIR)
            candidate = Path(directory, DEFAULT_CACHE_DIR)
            if not candidate.is_symlink():
                yield candidate


def run_clean(args: argparse.Namespace) -> int:
    status = EXIT_CLEAN
    for given in args.paths or ["."]:
        top = Path(given)
        if not top.exists():
            print(f"wsu: error: {given}: no such file or directory", file=sys.stderr)
            status = EXIT_ERROR
            continue
        for cache in find_caches(top):
            if not is_wsu_cache(cache):
                # A directory of that name that wsu did not make: not ours to delete.
                print(
                    f"warning: {cache}: no {CACHE_TAG_NAME} written by wsu; left alone",
                    file=sys.stderr,
                )
                continue
            try:
                shutil.rmtree(cache)
            except OSError as exc:
                print(f"wsu: error: {cache}: cannot remove: {exc.strerror or exc}", file=sys.stderr)
                status = EXIT_ERROR
                continue
            if not args.quiet:
                print(f"Removing cache at: {cache}", file=sys.stderr)
    return status
