"""The partner process (``cli/partner.py``): a run split with it reports and fixes what
one process does, on a project whose findings depend on other files (a patch, a legacy
subclass imported elsewhere, a re-exported module, a connection passed across modules);
and a partner that fails, at either step, leaves its share to the command."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from lint_plugin import cli
from lint_plugin.cli import partner
from lint_plugin.cli.partner import Lost, Partner
from tests.cli import (
    test_cli_legacy_classes,
    test_cli_legacy_patches,
    test_cli_module_reexports,
    test_cli_passed_connections,
)
from tests.cli.helpers import LEGACY_APP, write

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "legacy_app" / "bulletin"

PROJECT = {
    "pkg/__init__.py": "",
    "pkg/client.py": test_cli_legacy_patches.CLIENT,
    "pkg/protocol.py": test_cli_legacy_classes.PROTOCOL,
    "pkg/holder.py": test_cli_legacy_classes.HOLDER,
    "pkg/dependencies.py": test_cli_module_reexports.DEPENDENCIES,
    "pkg/sub/__init__.py": "",
    "pkg/sub/wrapper.py": test_cli_module_reexports.WRAPPER,
    "pkg/server.py": test_cli_passed_connections.SERVER,
    "pkg/handler.py": test_cli_passed_connections.HANDLER,
    **{f"pkg/apps/app{i}.py": LEGACY_APP for i in range(6)},
}
PATCHED = {**PROJECT, "pkg/patch.py": test_cli_legacy_patches.PATCHES["assignment"]}

Share = Callable[[Partner], None]


def _project(root: Path, files: dict[str, str]) -> Path:
    write(root, files)
    shutil.copytree(EXAMPLE, root / "bulletin")
    return root


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Partner | None]:
    """Every run splits (a CPU is said to be idle, however little there is to check);
    the partners started are recorded."""
    monkeypatch.setattr(partner, "idle_cpu", lambda: True)
    monkeypatch.setattr(partner, "SPLIT_FROM", 0)
    ends: list[Partner | None] = []
    start = Partner.start.__func__  # type: ignore[attr-defined]

    def recording(cls: type[Partner], share: Share) -> Partner | None:
        end = start(cls, share)
        ends.append(end)
        return end

    monkeypatch.setattr(Partner, "start", classmethod(recording))
    return ends


def _run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli.main(["check", "--no-cache", "--output-format", "json", *args, str(root)])
    return code, capsys.readouterr().out.replace(str(root), "<root>")


@pytest.mark.parametrize("files", [PROJECT, PATCHED], ids=["project", "patched"])
def test_a_split_run_reports_and_fixes_what_one_process_does(
    files: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    started: list[Partner | None],
) -> None:
    alone_root = _project(tmp_path / "alone", files)
    split_root = _project(tmp_path / "split", files)
    alone = _run(alone_root, capsys, "--jobs", "1")
    assert started == []
    split = _run(split_root, capsys, "--jobs", "2")
    assert len(started) == 1 and started[0] is not None
    assert split == alone
    assert '"code": "WSU' in alone[1]
    if files is PATCHED:
        assert "is patched at" in alone[1]

    alone = _run(alone_root, capsys, "--fix", "--unsafe-fixes", "--jobs", "1")
    split = _run(split_root, capsys, "--fix", "--unsafe-fixes", "--jobs", "2")
    assert len(started) == 2
    assert split == alone
    written = {p.relative_to(alone_root): p.read_text() for p in alone_root.rglob("*.py")}
    assert written == {p.relative_to(split_root): p.read_text() for p in split_root.rglob("*.py")}
    assert written[Path("pkg/apps/app0.py")] != LEGACY_APP or files is PATCHED


def _failing_partners(monkeypatch: pytest.MonkeyPatch, wrap: Callable[[Share], Share]) -> None:
    start = Partner.start.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(Partner, "start", classmethod(lambda cls, share: start(cls, wrap(share))))


def _fails_at_once(share: Share) -> Share:
    def failing(end: Partner) -> None:
        raise RuntimeError("the partner fails before it sends anything")

    return failing


class _Deaf:
    """The partner's end, losing the command once the facts are sent."""

    def __init__(self, end: Partner) -> None:
        self.end = end

    def send(self, message: object) -> None:
        self.end.send(message)

    def receive(self, kind: type[object]) -> object:
        raise Lost


def _fails_after_the_facts(share: Share) -> Share:
    return lambda end: share(_Deaf(end))  # type: ignore[arg-type]


@pytest.mark.parametrize("wrap", [_fails_at_once, _fails_after_the_facts])
def test_a_failing_partner_leaves_its_share_to_the_command(
    wrap: Callable[[Share], Share],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = _project(tmp_path, PATCHED)
    alone = _run(root, capsys, "--jobs", "1")
    monkeypatch.setattr(partner, "idle_cpu", lambda: True)
    monkeypatch.setattr(partner, "SPLIT_FROM", 0)
    _failing_partners(monkeypatch, wrap)
    assert _run(root, capsys, "--jobs", "2") == alone


def test_shares_balance_the_work_done_before_the_exchange() -> None:
    # Parsed for the facts: 50 and 40, one each; then the others, each to the lighter
    # share: 30 to theirs (40 + 30), 20 to mine (50 + 20), 10 to mine (the tie).
    mine, theirs = partner.shares([50, 10, 40, 30, 20], [True, False, True, False, False])
    assert (mine, theirs) == ([0, 1, 4], [2, 3])


def test_no_partner_when_no_cpu_is_idle_or_there_is_little_to_check(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    started: list[Partner | None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = _project(tmp_path, PROJECT)
    monkeypatch.setattr(partner, "SPLIT_FROM", 10**9)
    _run(root, capsys, "--jobs", "2")
    monkeypatch.setattr(partner, "SPLIT_FROM", 0)
    monkeypatch.setattr(partner, "idle_cpu", lambda: False)
    _run(root, capsys, "--jobs", "2")
    assert started == []


def test_without_fork_the_command_lints_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path, PROJECT)
    alone = _run(root, capsys, "--jobs", "1")
    monkeypatch.setattr(partner, "idle_cpu", lambda: True)
    monkeypatch.setattr(partner, "SPLIT_FROM", 0)
    monkeypatch.delattr(partner.os, "fork")
    assert _run(root, capsys, "--jobs", "2") == alone
