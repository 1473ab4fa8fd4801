"""Reading ``labels.txt``: the projects, their pins, the corpus files and expected findings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
LABELS = HERE / "labels.txt"
DOWNLOADS = HERE / "downloads"


@dataclass
class Project:
    requirement: str
    """What ``pip download`` fetches, e.g. ``uvicorn==0.20.0``."""
    pin: tuple[int, ...] | None
    """The lower bound of the package's own requirement on websockets, if it has one."""
    files: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.requirement.partition("==")[0]

    @property
    def version(self) -> str:
        return self.requirement.partition("==")[2]

    @property
    def directory(self) -> str:
        """Where its wheel is extracted, under ``downloads/``."""
        return f"{self.name}-{self.version}"


@dataclass(frozen=True)
class Label:
    path: str
    line: int
    code: str
    note: str


@dataclass
class Corpus:
    projects: list[Project]
    labels: list[Label]

    def expected(self) -> Counter[tuple[str, int, str]]:
        return Counter((label.path, label.line, label.code) for label in self.labels)

    def note(self, path: str, line: int, code: str) -> str:
        for label in self.labels:
            if (label.path, label.line, label.code) == (path, line, code):
                return label.note
        return ""


def _version(text: str) -> tuple[int, ...] | None:
    return None if text == "none" else tuple(int(part) for part in text.split("."))


def load(path: Path = LABELS) -> Corpus:
    projects: list[Project] = []
    labels: list[Label] = []
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        words = line.split(maxsplit=3)
        if words[0] == "project":
            pin = words[2].removeprefix("pin=")
            projects.append(Project(words[1], _version(pin)))
        elif words[0] == "file":
            projects[-1].files.append(words[1])
        elif len(words) >= 3 and words[2].startswith("WSU"):
            labels.append(
                Label(words[0], int(words[1]), words[2], words[3] if len(words) > 3 else "")
            )
        else:
            raise ValueError(f"{path.name}:{number}: cannot read {raw!r}")
    files = {file for project in projects for file in project.files}
    stray = sorted({label.path for label in labels} - files)
    if stray:
        raise ValueError(f"{path.name}: labels for files not listed as corpus files: {stray}")
    return Corpus(projects, labels)
