"""Precision and recall of the linter on real code: ``python -m benchmarks --only accuracy``.

The corpus (benchmarks/corpus/labels.txt) is files of released packages that used the
legacy websockets API, labelled by reading them. Each file is linted with the default
rule selection twice: at its project's own pin (the lower bound of the package's
requirement on websockets; the newest version when it declares none) and at the target
the linter detects by itself from the file's location (docs/usage.md#target-version).
A finding counts when its path, line and code match a label. Misses and false positives
are listed with the label's note. Downloads the corpus first if it is missing.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpus.fetch import fetch_all
from benchmarks.corpus.labels import DOWNLOADS, Corpus, Project, load
from lint_plugin.engine import check_source
from lint_plugin.settings import NEWEST_VERSION, Settings, Version, format_version
from lint_plugin.target_version import VersionDetector

Finding = tuple[str, int, str]


@dataclass
class Score:
    expected: Counter[Finding]
    found: Counter[Finding]
    targets: Counter[str]
    """How many files were linted at each target (and why)."""

    @property
    def true_positives(self) -> Counter[Finding]:
        return self.expected & self.found

    @property
    def missed(self) -> Counter[Finding]:
        return self.expected - self.found

    @property
    def false_positives(self) -> Counter[Finding]:
        return self.found - self.expected

    @property
    def precision(self) -> float:
        found = sum(self.found.values())
        return sum(self.true_positives.values()) / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = sum(self.expected.values())
        return sum(self.true_positives.values()) / expected if expected else 1.0


def _own_pin(project: Project, path: Path) -> tuple[Version, str]:
    if project.pin is None:
        return NEWEST_VERSION, f"{project.name}: no bound declared, newest"
    return project.pin, f"{project.name}: own pin"


def _detected(project: Project, path: Path, detector: VersionDetector) -> tuple[Version, str]:
    found = detector.target(path)
    if found is None:
        return NEWEST_VERSION, "default: newest"
    return found.version, found.source


def score(corpus: Corpus, mode: str) -> Score:
    detector = VersionDetector()
    found: Counter[Finding] = Counter()
    targets: Counter[str] = Counter()
    for project in corpus.projects:
        for file in project.files:
            path = DOWNLOADS / file
            if mode == "pin":
                version, why = _own_pin(project, path)
            else:
                version, why = _detected(project, path, detector)
            targets[f"{format_version(version)} ({why})"] += 1
            source = path.read_text("utf-8", errors="replace")
            result = check_source(source, filename=file, settings=Settings(target_version=version))
            found.update((file, d.start.line, d.code) for d in result.diagnostics)
    return Score(corpus.expected(), found, targets)


def report(corpus: Corpus, mode: str, title: str, *, verbose: bool) -> None:
    result = score(corpus, mode)
    tp = sum(result.true_positives.values())
    print(f"{title}:")
    print(
        f"  precision {result.precision:.3f} ({tp}/{sum(result.found.values())})  "
        f"recall {result.recall:.3f} ({tp}/{sum(result.expected.values())})"
    )
    if verbose or mode == "detected":
        for target, files in sorted(result.targets.items()):
            print(f"  target {target}: {files} file(s)")
    for (path, line, code), count in sorted(result.missed.items()):
        note = corpus.note(path, line, code)
        print(f"  missed     {path}:{line} {code}{f' x{count}' if count > 1 else ''}  {note}")
    for (path, line, code), count in sorted(result.false_positives.items()):
        print(f"  false pos. {path}:{line} {code}{f' x{count}' if count > 1 else ''}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks --only accuracy")
    parser.add_argument("--verbose", action="store_true", help="print every target used")
    args, _ = parser.parse_known_args(argv)
    fetch_all(quiet=True)
    corpus = load()
    files = sum(len(p.files) for p in corpus.projects)
    print(
        f"corpus: {files} files from {len(corpus.projects)} projects, "
        f"{len(corpus.labels)} labelled findings"
    )
    report(corpus, "pin", "each project's own pin", verbose=args.verbose)
    report(corpus, "detected", "auto-detected target", verbose=args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
