"""docs/ci.md's pre-commit configurations, run by pre-commit on a small project.

The hooks come from a clone of this repository at its current commit, as the page says
to do until wsu-lint publishes release tags (pre-commit installs them in an environment of
its own, downloading the linter's dependencies).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PRE_COMMIT = BIN / "pre-commit"

LEGACY = "import websockets.legacy.client\n"


def yaml_blocks() -> list[str]:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    return [b for b in re.findall(r"^```yaml\n(.*?)^```", text, re.S | re.M) if "hooks:" in b]


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()


def run_hooks(config: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    project = tmp_path / "project"
    project.mkdir()
    git("init", "-q", cwd=project)
    (project / "app.py").write_text(LEGACY)
    (project / ".pre-commit-config.yaml").write_text(config)
    git("add", ".", cwd=project)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    return subprocess.run(
        [str(PRE_COMMIT), "run", "--all-files"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


needs_pre_commit = pytest.mark.skipif(not PRE_COMMIT.exists(), reason="pre-commit missing")


def test_the_page_has_both_configurations() -> None:
    blocks = yaml_blocks()
    assert [("repo: local" in b) for b in blocks] == [False, True]


@needs_pre_commit
def test_hooks_from_a_clone_at_a_commit(tmp_path: Path) -> None:
    clone = tmp_path / "wsu-lint"
    git("clone", "-q", "--no-hardlinks", str(ROOT), str(clone), cwd=tmp_path)
    commit = git("rev-parse", "HEAD", cwd=clone)
    config = yaml_blocks()[0]
    config = config.replace("/path/to/wsu-lint", str(clone))
    config = re.sub(r"rev: [0-9a-f]{40}", f"rev: {commit}", config)
    result = run_hooks(config, tmp_path)
    # The legacy import remains (its fix is unsafe): the hook fails the commit.
    assert result.returncode == 1, result.stdout + result.stderr
    assert "- hook id: wsu-fix" in result.stdout
    assert "WSU101" in result.stdout


@needs_pre_commit
def test_local_hook(tmp_path: Path) -> None:
    result = run_hooks(yaml_blocks()[1], tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "- hook id: wsu-check" in result.stdout
    assert "WSU101" in result.stdout
