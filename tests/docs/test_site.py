"""The documentation site: it builds in strict mode, and the URLs the tools print exist in it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from lint_plugin.rules import ALL_RULES

ROOT = Path(__file__).resolve().parents[2]
SITE_URL = "https://wsu-lint.readthedocs.io/en/latest/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


def page(site: Path, url: str) -> Path:
    assert url.startswith(SITE_URL), url
    path = url[len(SITE_URL) :].split("#", 1)[0]
    return site / path / "index.html" if not path or path.endswith("/") else site / path


def test_every_rule_url_is_a_page(site: Path) -> None:
    for rule in ALL_RULES:
        built = page(site, rule.spec.url)
        assert built.is_file(), rule.spec.url
        assert f"({rule.spec.code})" in built.read_text(encoding="utf-8")


def test_readme_and_project_links_to_the_site_are_pages(site: Path) -> None:
    texts = [
        (ROOT / name).read_text(encoding="utf-8")
        for name in (
            "README.md",
            "pyproject.toml",
            "distributions/websockets-impl/pyproject.toml",
            "distributions/websockets-impl/README.md",
        )
    ]
    urls = {u for text in texts for u in re.findall(re.escape(SITE_URL) + r"[\w/.#-]*", text)}
    assert len(urls) > 10
    for url in urls:
        assert page(site, url).is_file(), url


def test_readme_links_work_on_a_package_index() -> None:
    # No link relative to the repository: a package index shows the README alone.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)]+)\)", readme)
    assert targets
    assert [t for t in targets if not t.startswith("https://")] == []
