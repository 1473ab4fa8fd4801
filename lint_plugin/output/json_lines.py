"""``--output-format json-lines``: the JSON format's objects, one per line (streamable)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from lint_plugin.output.json_format import json_items
from lint_plugin.output.report import RunReport


def render_json_lines(report: RunReport) -> Iterator[str]:
    for item in json_items(report):
        yield json.dumps(item, ensure_ascii=False)
