"""A tree parsed for the project's facts is handed to the file's check with its model's
structure (``Bindings.hand_over``): the check takes the structure off and finds what a
check parsing the file itself finds."""

from __future__ import annotations

from pathlib import Path

from lint_plugin.cli.project_index import file_facts
from lint_plugin.engine import check_source
from lint_plugin.semantic.bindings import Bindings
from lint_plugin.settings import Settings
from tests.cli.test_cli_legacy_classes import PROTOCOL

SUBCLASS_AND_USE = (
    PROTOCOL
    + """

async def main(uri):
    from websockets.legacy.client import connect

    async with connect(uri, create_protocol=MyProto, timeout=3) as ws:
        if ws.open:
            await ws.hello()
"""
)


def test_the_check_of_a_handed_over_tree_finds_what_a_fresh_one_does() -> None:
    settings = Settings()
    facts, tree = file_facts("proto.py", SUBCLASS_AND_USE, Path("proto.py"), settings)
    assert facts.classes == (("proto", "MyProto"),)
    assert tree is not None and "_wsu_structure" in tree.__dict__
    handed = check_source(SUBCLASS_AND_USE, filename="proto.py", settings=settings, tree=tree)
    fresh = check_source(SUBCLASS_AND_USE, filename="proto.py", settings=settings)
    assert "_wsu_structure" not in tree.__dict__
    assert [(d.code, d.start, d.message) for d in handed.diagnostics] == [
        (d.code, d.start, d.message) for d in fresh.diagnostics
    ]
    assert len(fresh.diagnostics) >= 3


def test_a_second_model_of_a_tree_shares_the_first_ones_structure() -> None:
    settings = Settings()
    _, tree = file_facts("proto.py", SUBCLASS_AND_USE, Path("proto.py"), settings)
    assert tree is not None
    handed = tree.__dict__["_wsu_structure"]
    model = Bindings(tree, SUBCLASS_AND_USE, settings)
    assert model.nodes is handed.nodes and model.scopes is handed.scopes.scopes
    assert Bindings(tree, SUBCLASS_AND_USE, settings).nodes is not model.nodes
