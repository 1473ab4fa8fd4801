"""Generate ``docs/rules/`` from the rule specs: one page per rule plus an index.

``python -m lint_plugin.docs_gen`` writes the pages; ``--check`` exits 1 when a
page on disk differs from what the specs say (the test suite runs the check).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from lint_plugin.model import FixAvailability
from lint_plugin.rules import ALL_RULES
from lint_plugin.settings import format_version
from lint_plugin.spec import RuleSpec

DOCS_DIR = Path(__file__).resolve().parent.parent / "docs" / "rules"

FIX_TEXT = {
    FixAvailability.ALWAYS: "Fix is always available.",
    FixAvailability.SOMETIMES: "Fix is sometimes available.",
    FixAvailability.NONE: "Fix is not available (the diagnostic carries a hint).",
}


def versions_text(spec: RuleSpec) -> str:
    """When the fix (or, for a hint-only rule, the replacement) becomes usable."""
    what = "Replacement" if spec.fix_availability is FixAvailability.NONE else "Fix"
    return (
        f"{what} available from websockets {format_version(spec.fix_from)}: the rule reports "
        "at every target version; below that one the message names the version the "
        "replacement needs and the fix is display-only."
    )


def rule_page(spec: RuleSpec) -> str:
    applicability = f" ({spec.applicability.value})" if spec.applicability else ""
    default = "" if spec.default_enabled else "\nOff by default: enable it with `extend-select`.\n"
    # A rule about this tool's own comments (WSU505) is about no websockets version.
    origin = (
        f"Derived from the websockets upgrade guide. Deprecated in websockets "
        f"{spec.deprecated_in}.\n\n{versions_text(spec)}\n\n"
        if spec.deprecated_in
        else ""
    )
    return (
        f"# {spec.name} ({spec.code})\n"
        "\n"
        f"{spec.summary}.\n"
        "\n"
        f"{origin}"
        f"{FIX_TEXT[spec.fix_availability]}{applicability}\n"
        f"{default}"
        "\n"
        "## What it does\n"
        f"{spec.what_it_does}\n"
        "\n"
        "## Why is this bad?\n"
        f"{spec.why_bad}\n"
        "\n"
        "## Example\n"
        "```python\n"
        f"{_shown(spec.example)}"
        "```\n"
        "\n"
        "## Use instead\n"
        "```python\n"
        f"{_shown(spec.use_instead)}"
        "```\n"
        "\n"
        "## Fix safety\n"
        f"{spec.fix_safety}\n"
        "\n"
        "## Message\n"
        f"> {spec.message}\n"
        "\n"
        f"Fix title:\n\n> {spec.fix_title}\n"
    )


def _shown(example: str) -> str:
    """An example as a page shows it: the test suite's first-line ``# wsu:`` directive
    said as the command-line option it stands for (no comment sets the target)."""
    return re.sub(
        r"\A# wsu: target-version=(\S+)\n", r"# checked with --target-version \1\n", example
    )


def index_page() -> str:
    rows = [
        f"| [{r.spec.code}]({r.spec.code}.md) | {r.spec.name} | {r.spec.summary} | "
        f"{r.spec.fix_availability.value} |"
        for r in ALL_RULES
    ]
    return (
        "# Rules\n"
        "\n"
        "Generated from the rule specs by `python -m lint_plugin.docs_gen`; do not edit.\n"
        "\n"
        "| code | name | summary | fix |\n"
        "|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )


def expected_pages() -> dict[str, str]:
    pages = {f"{r.spec.code}.md": rule_page(r.spec) for r in ALL_RULES}
    pages["index.md"] = index_page()
    return pages


def stale_pages(directory: Path = DOCS_DIR) -> list[str]:
    """Pages that are missing, different, or left over from a removed rule."""
    expected = expected_pages()
    stale = [
        name
        for name, text in expected.items()
        if not (directory / name).is_file() or (directory / name).read_text("utf-8") != text
    ]
    if directory.is_dir():
        stale += [p.name for p in directory.glob("*.md") if p.name not in expected]
    return sorted(stale)


def write_pages(directory: Path = DOCS_DIR) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    expected = expected_pages()
    for path in directory.glob("*.md"):
        if path.name not in expected:
            path.unlink()
    for name, text in expected.items():
        (directory / name).write_text(text, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the pages are stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_pages()
        if stale:
            print("stale rule docs: " + ", ".join(stale), file=sys.stderr)
            print("run: python -m lint_plugin.docs_gen", file=sys.stderr)
            return 1
        return 0
    write_pages()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
