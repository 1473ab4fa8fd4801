"""The command line of ``wsu``: subcommands and their options."""

from __future__ import annotations

import argparse
import os

import lint_plugin
from lint_plugin.cli.check import run_check
from lint_plugin.cli.server import run_server
from lint_plugin.output import FORMATS
from lint_plugin.output.colour import CHOICES as COLOUR_CHOICES


# `wsu check` does not load what `clean` (the cache) and `rule` (the rule docs) need.
def _run_clean(args: argparse.Namespace) -> int:
    from lint_plugin.cli.clean import run_clean

    return run_clean(args)


def _run_rule(args: argparse.Namespace) -> int:
    from lint_plugin.cli.rules import run_rule

    return run_rule(args)


def _run_rules(args: argparse.Namespace) -> int:
    from lint_plugin.cli.rules import run_rules

    return run_rules(args)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("expected at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wsu",
        description="Lint and fix code for the upgrade to websockets' new asyncio implementation.",
    )
    parser.add_argument("--version", action="version", version=f"wsu {lint_plugin.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check files (the default paths: .)")
    check.set_defaults(handler=run_check)
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories; - for stdin")
    rules = check.add_argument_group("rule selection")
    rules.add_argument(
        "--select",
        action="append",
        metavar="CODES",
        help="rules to enable (comma-separated prefixes; replaces the configured ones)",
    )
    rules.add_argument(
        "--extend-select", action="append", metavar="CODES", help="rules to enable in addition"
    )
    rules.add_argument("--ignore", action="append", metavar="CODES", help="rules to disable")
    rules.add_argument(
        "--extend-ignore",
        action="append",
        metavar="CODES",
        help="rules to disable in addition (ruff's older spelling of --ignore)",
    )
    rules.add_argument(
        "--per-file-ignores",
        action="append",
        metavar="PATTERN:CODES",
        help="disable rules for matching files, e.g. 'tests/*:WSU2' "
        "(repeatable; replaces the configured ones)",
    )
    rules.add_argument(
        "--extend-per-file-ignores",
        action="append",
        metavar="PATTERN:CODES",
        help="per-file ignores in addition to the configured ones (repeatable)",
    )
    rules.add_argument(
        "--target-version",
        metavar="VERSION",
        help="websockets version the code runs on "
        "(default: detected from the project's requirements, else the newest)",
    )
    rules.add_argument(
        "--modules",
        action="append",
        metavar="NAMES",
        help="top-level module names that mean websockets (default: websockets,websockets_impl)",
    )
    fixing = check.add_argument_group("fixes")
    fixing.add_argument(
        "--fix", action="store_true", help="apply fixes (safe ones, unless --unsafe-fixes)"
    )
    fixing.add_argument(
        "--unsafe-fixes",
        dest="unsafe_fixes",
        action="store_true",
        default=None,
        help="also apply or show unsafe fixes",
    )
    fixing.add_argument(
        "--no-unsafe-fixes",
        dest="unsafe_fixes",
        action="store_false",
        help="do not apply unsafe fixes (overrides the configuration)",
    )
    fixing.add_argument(
        "--diff",
        action="store_true",
        help="print the changes --fix would make as unified diffs; write nothing "
        "(exit 1 when there is a diff)",
    )
    fixing.add_argument("--show-fixes", action="store_true", help="with --fix, list what was fixed")
    fixing.add_argument(
        "--add-noqa",
        action="store_true",
        help="add `# noqa: CODE` comments to the lines with findings (merged with those there)",
    )
    files = check.add_argument_group("files")
    files.add_argument(
        "--exclude",
        action="append",
        metavar="PATTERNS",
        help="gitignore-style patterns to skip (replaces the configured and default ones)",
    )
    files.add_argument(
        "--extend-exclude", action="append", metavar="PATTERNS", help="patterns to skip in addition"
    )
    files.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply exclusions to paths named on the command line too",
    )
    files.add_argument(
        "--stdin-filename", metavar="PATH", help="the name of the file read from stdin"
    )
    files.add_argument(
        "--config",
        metavar="PATH",
        help="use this wsu.toml or pyproject.toml instead of searching for one",
    )
    output = check.add_argument_group("output")
    output.add_argument("--output-format", choices=FORMATS, default="full", help="default: full")
    output.add_argument("--output-file", metavar="PATH", help="write the report to this file")
    output.add_argument(
        "--color",
        choices=COLOUR_CHOICES,
        default="auto",
        help="colour the full and concise formats (auto: on a terminal, unless NO_COLOR is "
        "set or FORCE_COLOR asks for it)",
    )
    output.add_argument("--statistics", action="store_true", help="count violations per rule")
    output.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when violations remain"
    )
    output.add_argument(
        "--exit-non-zero-on-fix",
        action="store_true",
        help="exit 1 when --fix changed something, even if nothing remains",
    )
    output.add_argument("-q", "--quiet", action="store_true", help="print diagnostics only")
    output.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="explain the configuration, target version and cache use on stderr",
    )
    speed = check.add_argument_group("speed")
    speed.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes (default: the number of CPUs)",
    )
    speed.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    speed.add_argument(
        "--cache-dir",
        metavar="PATH",
        help="default: .wsu_cache in the project root ($WSU_CACHE_DIR)",
    )

    rule = commands.add_parser("rule", help="explain a rule")
    rule.set_defaults(handler=_run_rule)
    rule.add_argument("code", metavar="CODE", help="a rule code (WSU201) or name (connection-open)")
    rule.add_argument("--output-format", choices=("text", "json"), default="text")

    listing = commands.add_parser("rules", help="list every rule")
    listing.set_defaults(handler=_run_rules)
    listing.add_argument("--output-format", choices=("text", "json"), default="text")

    clean = commands.add_parser("clean", help="remove the .wsu_cache directories under PATHs")
    clean.set_defaults(handler=_run_clean)
    clean.add_argument("paths", nargs="*", metavar="PATH", help="default: .")
    clean.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")

    server = commands.add_parser("server", help="run the language server (LSP over stdio)")
    server.set_defaults(handler=run_server)
    return parser
