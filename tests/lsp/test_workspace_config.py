"""Finding, caching and reloading the configuration of a buffer."""

from __future__ import annotations

from pathlib import Path

from lint_plugin.lsp.client_options import ClientOptions
from lint_plugin.lsp.workspace_config import WorkspaceConfig, affects_configuration


def test_the_closest_file_applies_until_reloaded(tmp_path: Path) -> None:
    package = tmp_path / "package"
    package.mkdir()
    (tmp_path / "wsu.toml").write_text('ignore = ["WSU201"]\ntarget-version = "13.1"\n')
    config = WorkspaceConfig(ClientOptions(), [tmp_path])

    resolved = config.resolve(package / "app.py")
    assert resolved.error is None
    assert resolved.settings.ignore == ("WSU201",)
    assert resolved.settings.target_version == (13, 1)

    (package / "pyproject.toml").write_text("[tool.wsu]\nunsafe-fixes = true\n")
    assert config.resolve(package / "app.py").settings.ignore == ("WSU201",), "cached"
    config.reload()
    resolved = config.resolve(package / "app.py")
    assert resolved.settings.ignore == ()
    assert resolved.unsafe_fixes
    assert config.generation == 1


def test_a_broken_file_falls_back_to_the_defaults_and_the_editors_options(
    tmp_path: Path,
) -> None:
    (tmp_path / "wsu.toml").write_text('ignore = ["WSU201"]\nunknown = 1\n')
    config = WorkspaceConfig(ClientOptions(ignore=("WSU4",)), [tmp_path])
    resolved = config.resolve(tmp_path / "app.py")
    assert resolved.error is not None
    assert "wsu.toml: unknown key 'unknown'" in resolved.error
    assert resolved.settings.ignore == ("WSU4",)


def test_documents_without_a_path_use_the_first_workspace_folder(tmp_path: Path) -> None:
    (tmp_path / "wsu.toml").write_text('ignore = ["WSU201"]\n')
    config = WorkspaceConfig(ClientOptions(), [tmp_path])
    assert config.resolve(None).settings.ignore == ("WSU201",)


def test_files_that_affect_the_configuration() -> None:
    for name in ("pyproject.toml", "wsu.toml", "requirements.txt", "requirements-dev.txt"):
        assert affects_configuration(Path("/p") / name)
    for name in ("app.py", "setup.cfg", "requirements.in"):
        assert not affects_configuration(Path("/p") / name)


def test_excluded_files_are_marked_as_the_command_line_would_skip_them(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.wsu]\nextend-exclude = ["generated"]\n')
    (tmp_path / ".gitignore").write_text("build/\n")
    config = WorkspaceConfig(ClientOptions(), [tmp_path])
    assert not config.resolve(tmp_path / "src" / "app.py").excluded
    assert config.resolve(tmp_path / "generated" / "api.py").excluded
    assert config.resolve(tmp_path / "build" / "lib" / "app.py").excluded
    assert config.resolve(tmp_path / ".venv" / "lib" / "site.py").excluded
    assert not config.resolve(None).excluded
