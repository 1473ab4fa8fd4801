"""The Neovim set-ups of docs/editors.md, run headless against ``wsu server``.

Each snippet is taken from the page as written, so the page cannot drift from what works.
The test opens a legacy file and waits for the server's diagnostics.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EDITORS = ROOT / "docs" / "editors.md"
NVIM = shutil.which("nvim")

LEGACY = """\
import websockets.legacy.client

async def main():
    async with websockets.legacy.client.connect("ws://x") as ws:
        print(ws.open)
"""

# Before the set-up: keep what the server shows (an error popup, in a real session).
PRELUDE = """
WSU_SHOWN = {}
vim.lsp.handlers["window/showMessage"] = function(_, result)
  table.insert(WSU_SHOWN, result.message)
end
"""

# After it: wait for the server's diagnostics, write them out with the messages, quit.
HARNESS = """
vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    vim.defer_fn(function()
      vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
      local found = {}
      for _, d in ipairs(vim.diagnostic.get(0)) do
        table.insert(found, { code = d.code, lnum = d.lnum, col = d.col,
                              severity = d.severity, source = d.source })
      end
      local out = io.open(vim.env.WSU_NVIM_OUT, "w")
      out:write(vim.fn.json_encode({ diagnostics = found, shown = WSU_SHOWN }))
      out:close()
      vim.cmd("qall!")
    end, 0)
  end,
})
"""


def nvim_version() -> tuple[int, int]:
    assert NVIM is not None
    first = subprocess.run(
        [NVIM, "--version"], capture_output=True, text=True, timeout=30, check=True
    ).stdout.splitlines()[0]
    match = re.search(r"v(\d+)\.(\d+)", first)
    assert match, first
    return int(match.group(1)), int(match.group(2))


def snippet(title: str) -> str:
    """The ```lua block of editors.md whose first line is ``-- {title}``."""
    blocks = re.findall(r"```lua\n(.*?)```", EDITORS.read_text(encoding="utf-8"), re.S)
    found = [b for b in blocks if b.startswith(f"-- {title}\n")]
    assert len(found) == 1, f"no single Lua block headed '-- {title}' in {EDITORS}"
    return found[0]


def wsu_bin_dir() -> Path:
    script = Path(sys.executable).with_name("wsu")
    assert script.exists(), "wsu is not installed next to the test interpreter"
    return script.parent


def run_neovim(config: str, tmp_path: Path) -> dict[str, list[Any]]:
    assert NVIM is not None
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "app"\n')
    (project / "app.py").write_text(LEGACY)
    init = tmp_path / "init.lua"
    init.write_text(PRELUDE + config + HARNESS)
    out = tmp_path / "diagnostics.json"
    env = {
        **os.environ,
        "PATH": f"{wsu_bin_dir()}{os.pathsep}{os.environ.get('PATH', '')}",
        "WSU_NVIM_OUT": str(out),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    result = subprocess.run(
        [NVIM, "--headless", "-i", "NONE", "-u", str(init), "app.py"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert out.exists(), f"Neovim wrote no result: {result.stdout}{result.stderr}"
    found: dict[str, list[Any]] = json.loads(out.read_text())
    return found


def check(result: dict[str, list[Any]]) -> None:
    # No options in the set-ups: Neovim sends [], which must not be an error.
    assert result["shown"] == []
    found = result["diagnostics"]
    # Neovim's lines and columns are 0-based.
    got = {(d["code"], d["lnum"], d["col"]) for d in found}
    assert got == {("WSU101", 0, 7), ("WSU101", 3, 15), ("WSU201", 4, 14)}, found
    assert {d["source"] for d in found} == {"wsu"}
    assert {d["severity"] for d in found} == {2}  # vim.diagnostic.severity.WARN


@pytest.mark.skipif(NVIM is None, reason="Neovim is not installed (apt-get install neovim)")
def test_neovim_0_7_to_0_10_setup(tmp_path: Path) -> None:
    check(run_neovim(snippet("Neovim 0.7 to 0.10"), tmp_path))


@pytest.mark.skipif(NVIM is None, reason="Neovim is not installed (apt-get install neovim)")
def test_neovim_0_11_setup(tmp_path: Path) -> None:
    if nvim_version() < (0, 11):
        pytest.skip(f"this Neovim is {nvim_version()}: vim.lsp.config needs 0.11")
    check(run_neovim(snippet("Neovim 0.11 and later"), tmp_path))
