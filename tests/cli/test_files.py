"""Reading sources as the interpreter decodes them, and writing them back safely."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from lint_plugin import files
from lint_plugin.files import ReadOnlyError, SourceError, decode_source, encode_source, write_safely


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
    write_safely(path, b"new\n")
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
        write_safely(path, b"half")
    assert path.read_text() == "original\n"
    assert os.listdir(tmp_path) == ["app.py"]


def test_read_only_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text("original\n")
    path.chmod(0o444)
    # Root may write anything: the refusal must come from the mode bits, not from EACCES.
    with pytest.raises(ReadOnlyError, match="read-only"):
        write_safely(path, b"new\n")
    assert path.read_text() == "original\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert os.listdir(tmp_path) == ["app.py"]


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_owner_and_group_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text("original\n")
    os.chown(path, 12345, 23456)
    path.chmod(0o640)
    write_safely(path, b"new\n")
    status = path.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (12345, 23456, 0o640)
    assert path.read_bytes() == b"new\n"
    assert os.listdir(tmp_path) == ["app.py"]


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_owner_that_cannot_be_given_means_writing_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "app.py"
    path.write_text("original\n")
    os.chown(path, 12345, 23456)
    path.chmod(0o666)
    inode = path.stat().st_ino

    def not_allowed(*args: object) -> None:
        # What an ordinary user gets for a file of someone else's they may write.
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(files.os, "fchown", not_allowed)
    write_safely(path, b"new\n")
    status = path.stat()
    assert path.read_bytes() == b"new\n"
    assert (status.st_ino, status.st_uid, status.st_gid) == (inode, 12345, 23456)
    assert os.listdir(tmp_path) == ["app.py"]


def test_hard_links_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text("original\n")
    os.link(path, tmp_path / "alias.py")
    write_safely(path, b"new\n")
    assert (tmp_path / "alias.py").read_bytes() == b"new\n"
    assert path.stat().st_nlink == 2
    assert sorted(os.listdir(tmp_path)) == ["alias.py", "app.py"]


def test_failed_in_place_write_restores_the_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "app.py"
    path.write_text("original\n")
    os.link(path, tmp_path / "alias.py")
    real_fsync = os.fsync
    calls = []

    def fail_on_the_target(fd: int) -> None:
        # The first sync is the temporary copy's; the second, the target's.
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", fail_on_the_target)
    with pytest.raises(OSError, match="Input/output error"):
        write_safely(path, b"new content\n")
    assert (tmp_path / "alias.py").read_text() == "original\n"
    assert sorted(os.listdir(tmp_path)) == ["alias.py", "app.py"]


def test_symlink_is_kept_and_its_target_written(tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    real.write_text("original\n")
    (tmp_path / "link.py").symlink_to(real)
    write_safely(tmp_path / "link.py", b"new\n")
    assert (tmp_path / "link.py").is_symlink()
    assert real.read_bytes() == b"new\n"
