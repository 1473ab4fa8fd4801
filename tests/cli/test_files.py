"""Reading sources as the interpreter decodes them, and writing them back atomically."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from lint_plugin import files
from lint_plugin.files import SourceError, decode_source, encode_source, write_atomically


def test_utf8_bom_and_coding_cookie() -> None:
    plain = decode_source("x = 'é'\n".encode())
    assert (plain.text, plain.encoding) == ("x = 'é'\n", "utf-8")
    bom = decode_source(b"\xef\xbb\xbfx = 1\r\n")
    assert (bom.text, bom.encoding) == ("x = 1\r\n", "utf-8-sig")
    assert encode_source(bom.text, bom.encoding) == b"\xef\xbb\xbfx = 1\r\n"
    latin = decode_source(b"#!/usr/bin/env python\n# -*- coding: latin-1 -*-\nx = '\xe9'\n")
    assert latin.encoding == "iso-8859-1"
    assert latin.text.endswith("x = 'é'\n")
    assert plain.digest != bom.digest


def test_undecodable_sources_name_the_line() -> None:
    with pytest.raises(SourceError) as caught:
        decode_source(b"a = 1\nb = 2\nc = '\xff'\n")
    assert caught.value.line == 3
    assert "cannot decode as utf-8" in caught.value.message
    with pytest.raises(SourceError, match="unknown encoding"):
        decode_source(b"# coding: klingon\nx = 1\n")


def test_text_that_the_declared_encoding_cannot_hold() -> None:
    with pytest.raises(SourceError, match="cannot encode the fixed text as iso8859-1"):
        encode_source("x = '→'\n", "iso-8859-1")


def test_atomic_write_replaces_content_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "tool.py"
    path.write_text("old\n")
    path.chmod(0o700)
    write_atomically(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o700
    assert os.listdir(tmp_path) == ["tool.py"]


def test_failed_atomic_write_leaves_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "app.py"
    path.write_text("original\n")

    def interrupted(source: str, target: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(path, b"half")
    assert path.read_text() == "original\n"
    assert os.listdir(tmp_path) == ["app.py"]
