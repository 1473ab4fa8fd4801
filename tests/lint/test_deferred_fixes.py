"""Deferred fix edits: built when read, not for ``has_edits``, never for held-back units."""

from __future__ import annotations

import dataclasses

import pytest

from lint_plugin import model
from lint_plugin.engine import check_source
from lint_plugin.model import Applicability, Edit, Fix, Position
from lint_plugin.rules import _rewrites_process_request


def test_edits_are_built_once_when_read() -> None:
    calls = []
    edit = Edit.insertion(Position(1, 0), "x")

    def build() -> list[Edit]:
        calls.append(1)
        return [edit]

    fix = Fix.deferred(build, Applicability.SAFE, "title")
    assert fix.has_edits and fix.is_applicable(unsafe=False)
    held = dataclasses.replace(fix, edits=(), applicability=Applicability.DISPLAY_ONLY)
    assert not held.has_edits and not calls
    assert fix.edits == (edit,) and fix.edits == (edit,)
    assert calls == [1]
    assert fix == Fix((edit,), Applicability.SAFE, "title")


def test_ranges_outside_the_declared_span_build_nothing() -> None:
    calls = []
    edit = Edit(Position(3, 0), Position(3, 9), "x")

    def build() -> list[Edit]:
        calls.append(1)
        return [edit]

    within = (Position(3, 0), Position(4, 0))
    fix = Fix.deferred(build, Applicability.SAFE, "title", within=within)
    assert not fix.rewrites(Position(1, 0), Position(1, 4)) and not calls
    assert fix.rewrites(Position(3, 2), Position(3, 4)) and calls == [1]
    assert not fix.rewrites(Position(3, 8), Position(3, 12))


HANDLER = """\
import http
from websockets.legacy.server import serve

async def health(path, request_headers):
    if path == "/healthz":
        return http.HTTPStatus.OK, [], b"OK\\n"

async def handler(websocket):
    await websocket.send("hi")

async def main():
    async with serve(handler, "localhost", 8765, process_request=health):
        pass
"""


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Counts the builds of WSU302's rewrite (its parameters' renaming)."""
    calls: list[object] = []
    rename = _rewrites_process_request.rename_params

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return rename(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_rewrites_process_request, "rename_params", counting)
    return calls


def test_results_hold_built_edits(builds: list[object]) -> None:
    (diagnostic,) = [d for d in check_source(HANDLER).diagnostics if d.code == "WSU302"]
    assert diagnostic.fix is not None and diagnostic.fix.unit is not None
    assert len(builds) == 1
    assert isinstance(model._fix_edits(diagnostic.fix), tuple)  # no model kept alive


def test_held_back_units_build_nothing(builds: list[object]) -> None:
    # A protocol factory no fix can rewrite holds the serve() call, and its unit, back.
    source = HANDLER.replace("8765,", "8765, create_protocol=factory,")
    (diagnostic,) = [d for d in check_source(source).diagnostics if d.code == "WSU302"]
    assert diagnostic.fix is not None and "not migrated" in diagnostic.message
    assert diagnostic.fix.edits == () and not builds
