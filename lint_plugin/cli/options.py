"""Options of ``wsu check``: the configuration file, then the command line over it."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from lint_plugin.cli.status import UsageError
from lint_plugin.config import (
    Options,
    find_config,
    load_options,
    parse_modules,
    parse_per_file_ignore,
    parse_selectors,
)
from lint_plugin.settings import parse_version


def _split(values: Sequence[str] | None) -> list[str]:
    return [item for value in values or () for item in value.split(",") if item.strip()]


def _selectors(values: Sequence[str] | None, option: str) -> tuple[str, ...]:
    return parse_selectors(_split(values), option=option) if values else ()


def resolve_options(args: argparse.Namespace, cwd: Path, start: Path) -> Options:
    config_path = Path(args.config) if args.config else find_config(start)
    if args.config and not config_path.is_file():  # type: ignore[union-attr]
        raise UsageError(f"--config: no such file: {args.config}")
    options = load_options(config_path, cwd=cwd)
    # The command line is a later layer of rule selection, as in ruff.
    options = options.with_selection(
        None if args.select is None else parse_selectors(_split(args.select), option="--select"),
        _selectors(args.extend_select, "--extend-select"),
        _selectors(args.ignore, "--ignore") + _selectors(args.extend_ignore, "--extend-ignore"),
    )
    if args.per_file_ignores:
        entries = tuple(
            parse_per_file_ignore(value, option="--per-file-ignores")
            for value in args.per_file_ignores
        )
        options = replace(options, per_file_ignores=entries)
    if args.extend_per_file_ignores:
        extra = tuple(
            parse_per_file_ignore(value, option="--extend-per-file-ignores")
            for value in args.extend_per_file_ignores
        )
        options = replace(options, extend_per_file_ignores=options.extend_per_file_ignores + extra)
    if args.exclude is not None:
        options = replace(options, exclude=tuple(_split(args.exclude)))
    if args.extend_exclude:
        options = replace(
            options, extend_exclude=options.extend_exclude + tuple(_split(args.extend_exclude))
        )
    if args.unsafe_fixes is not None:
        options = replace(options, unsafe_fixes=args.unsafe_fixes)
    if args.modules is not None:
        options = replace(options, modules=parse_modules(_split(args.modules), option="--modules"))
    if args.target_version is not None:
        version = parse_version(args.target_version, option="--target-version")
        options = replace(
            options, target_version=version, target_version_source="from --target-version"
        )
    return options
