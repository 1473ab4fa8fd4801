"""``wsu rule CODE`` and ``wsu rules``: the rules' documentation."""

from __future__ import annotations

import argparse
import json
import sys

from lint_plugin.cli.status import EXIT_CLEAN, UsageError
from lint_plugin.output.rule_docs import rule_json, rule_markdown, rules_listing, specs_by_code


def run_rule(args: argparse.Namespace) -> int:
    specs = specs_by_code()
    wanted = args.code.strip()
    spec = specs.get(wanted.upper()) or next(
        (s for s in specs.values() if s.name == wanted.lower()), None
    )
    if spec is None:
        raise UsageError(f"unknown rule '{args.code}' (see `wsu rules`)")
    if args.output_format == "json":
        print(json.dumps(rule_json(spec), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(rule_markdown(spec))
    return EXIT_CLEAN


def run_rules(args: argparse.Namespace) -> int:
    specs = list(specs_by_code().values())
    if args.output_format == "json":
        print(json.dumps([rule_json(s) for s in specs], indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(rules_listing(specs))
    return EXIT_CLEAN
