"""The shipped JSON schema of [tool.wsu] and the configuration loader agree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from lint_plugin.backports import tomllib
from lint_plugin.config import KEYS, load_options
from lint_plugin.settings import SettingsError
from tests.cli.helpers import schema

SCHEMA = schema("tool-wsu.schema.json")

VALID = [
    "",
    'target-version = "13.1"',
    "target-version = 14",
    'target-version = " v12.0.1 "',
    'select = ["WSU", "wsu2", "ALL", "WSU201"]',
    'extend-select = ["WSU5"]',
    'ignore = ["WSU1"]\nextend-ignore = ["WSU406"]',
    '[per-file-ignores]\n"tests/*" = ["WSU2"]\n"*.pyi" = []',
    '[extend-per-file-ignores]\n"legacy/**" = ["ALL"]',
    'exclude = ["build", "*.generated.py"]\nextend-exclude = []',
    "unsafe-fixes = true",
    'modules = ["websockets", "vendored.websockets"]',
]

INVALID = [
    "selct = []",  # unknown key
    "target-version = 13.1",  # a float: 13.10 would read as 13.1
    'target-version = "thirteen"',
    "target-version = true",
    'select = "WSU"',  # not a list
    'select = ["E501"]',
    'extend-select = ["WSU", 5]',
    'ignore = ["WSU2X"]',
    "extend-ignore = [1]",
    'per-file-ignores = ["tests/*"]',
    '[per-file-ignores]\n"tests/*" = "WSU2"',
    '[extend-per-file-ignores]\n"tests/*" = ["F401"]',
    "exclude = [1]",
    'extend-exclude = "build"',
    'unsafe-fixes = "yes"',
    "modules = []",
    'modules = ["web-sockets"]',
]


def loader_accepts(text: str, tmp_path: Path) -> bool:
    path = tmp_path / "wsu.toml"
    path.write_text(text + "\n", encoding="utf-8")
    try:
        load_options(path)
    except SettingsError:
        return False
    return True


def schema_accepts(text: str) -> bool:
    data: dict[str, Any] = tomllib.loads(text)
    return jsonschema.Draft202012Validator(SCHEMA).is_valid(data)


def test_the_schema_itself_is_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_every_key_the_loader_accepts_is_in_the_schema_and_no_other() -> None:
    assert set(SCHEMA["properties"]) == set(KEYS)
    assert SCHEMA["additionalProperties"] is False


@pytest.mark.parametrize("text", VALID)
def test_valid_examples(text: str, tmp_path: Path) -> None:
    assert loader_accepts(text, tmp_path)
    assert schema_accepts(text)


@pytest.mark.parametrize("text", INVALID)
def test_invalid_examples(text: str, tmp_path: Path) -> None:
    assert not loader_accepts(text, tmp_path)
    assert not schema_accepts(text)


def test_every_key_has_a_valid_and_an_invalid_example() -> None:
    def keys(examples: list[str]) -> set[str]:
        return {key for text in examples for key in tomllib.loads(text)}

    assert keys(VALID) == set(KEYS)
    assert keys(INVALID) - {"selct"} == set(KEYS)
