"""Download the corpus: ``python -m benchmarks.corpus.fetch``.

Each project of ``labels.txt`` is fetched as a wheel with ``pip download --no-deps``
(wheels only: nothing is built or run) and its Python files are extracted into
``downloads/<name>-<version>/``. Nothing here is committed (``downloads/`` is ignored).

A wheel carries no ``pyproject.toml`` or ``setup.py``: the package's declaration is its
``Requires-Dist`` metadata. So that the linter's own target detection has the package's
declaration to read (and stops at the package instead of climbing into this
repository), each project directory gets a ``setup.cfg`` listing those requirements on
websockets, copied verbatim.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from benchmarks.corpus.labels import DOWNLOADS, Project, load

_OLDER_PLATFORM = ("--python-version", "3.10", "--platform", "manylinux2014_x86_64")


def fetch_project(project: Project, *, quiet: bool = False) -> Path:
    target = DOWNLOADS / project.directory
    done = (target / "setup.cfg").is_file()
    if done and all((DOWNLOADS / file).is_file() for file in project.files):
        return target
    with tempfile.TemporaryDirectory() as scratch:
        command = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
            "--disable-pip-version-check", "-q", "-d", scratch, project.requirement,
        ]  # fmt: skip
        if subprocess.run(command, capture_output=True, timeout=300).returncode != 0:
            # Only platform wheels for older Pythons (cryptofeed 2.x: cp37-cp310): any of
            # them holds the same Python files.
            subprocess.run([*command, *_OLDER_PLATFORM], check=True, timeout=300)
        [wheel] = Path(scratch).glob("*.whl")
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                if member.endswith((".py", "METADATA")):
                    archive.extract(member, target)
    _write_declaration(target)
    if not quiet:
        print(f"fetched {project.requirement} into {target}")
    missing = [file for file in project.files if not (DOWNLOADS / file).is_file()]
    if missing:
        raise SystemExit(f"{project.requirement}: not in the wheel: {missing}")
    return target


def _write_declaration(target: Path) -> None:
    requirements = [
        line.partition(":")[2].strip()
        for metadata in target.glob("*.dist-info/METADATA")
        for line in metadata.read_text("utf-8").splitlines()
        if line.lower().startswith("requires-dist: websockets")
    ]
    lines = [
        "# Written by benchmarks/corpus/fetch.py from the wheel's Requires-Dist metadata.",
        "[options]",
        "install_requires =",
        *(f"    {requirement}" for requirement in requirements),
    ]
    (target / "setup.cfg").write_text("\n".join(lines) + "\n", "utf-8")


def fetch_all(*, quiet: bool = False) -> None:
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    for project in load().projects:
        fetch_project(project, quiet=quiet)


def main(argv: list[str] | None = None) -> int:
    fetch_all()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
