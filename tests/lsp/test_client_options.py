"""Initialization options: parsing, and layering over the configuration file."""

from __future__ import annotations

from pathlib import Path

from lint_plugin.config import Options
from lint_plugin.lsp.client_options import ClientOptions, parse_client_options


def test_parse_all_options() -> None:
    options, problems = parse_client_options(
        {
            "targetVersion": "13.1",
            "select": ["wsu2"],
            "extendSelect": ["WSU4"],
            "ignore": ["WSU201"],
            "unsafeFixes": True,
            "modules": ["websockets", "vendored.websockets"],
            "debounce": 0.5,
        }
    )
    assert problems == []
    assert options == ClientOptions(
        target_version=(13, 1),
        select=("WSU2",),
        extend_select=("WSU4",),
        ignore=("WSU201",),
        unsafe_fixes=True,
        modules=("websockets", "vendored.websockets"),
        debounce=0.5,
    )


def test_bad_entries_are_named_and_left_at_their_defaults() -> None:
    options, problems = parse_client_options(
        {"ignore": ["WSU999"], "debounce": -1, "selct": [], "modules": "websockets"}
    )
    assert options == ClientOptions()
    assert problems == [
        "initializationOptions: ignore: unknown rule selector 'WSU999' (did you mean 'WSU409'?)",
        "initializationOptions: debounce: expected a number of seconds from 0 to 10, got -1",
        "initializationOptions: unknown key 'selct' (did you mean 'select'?)",
        "initializationOptions: modules: expected a list of strings, got 'websockets'",
    ]
    assert parse_client_options(None) == (ClientOptions(), [])
    assert parse_client_options(["select"])[1] == [
        "initializationOptions: expected an object, got ['select']"
    ]


def test_layering_follows_the_command_line() -> None:
    from_file = Options(root=Path("/project"), ignore=("WSU201", "WSU4"), unsafe_fixes=True)

    extended = ClientOptions(extend_select=("WSU2",), ignore=("WSU101",)).apply(from_file)
    # What the editor selects is no longer ignored by the file.
    assert extended.ignore == ("WSU4", "WSU101")
    assert extended.unsafe_fixes

    selected = ClientOptions(select=("WSU1",), unsafe_fixes=False).apply(from_file)
    assert selected.select == ("WSU1",)
    assert selected.ignore == ()
    assert not selected.unsafe_fixes

    assert ClientOptions().apply(from_file) == from_file
