"""Running the migration programs: metadata, interpreters, wsu, and what they print.

A program in ``programs/`` declares what the suite expects of it in header comments:

- ``# migration: auto`` (``wsu check --fix --unsafe-fixes`` migrates it) or ``manual``
  (some use needs a hand edit: the fixer must leave the program working, and
  ``<name>.migrated.py`` shows the hand migration);
- ``# rules: WSU101, WSU301``: exactly the codes ``wsu check`` reports on the program
  and the ``_<module>.py`` files it imports, checked together;
- ``# remaining: WSU410``: the display-only codes still reported after ``--fix`` (auto;
  a rule with a fix may be one: WSU410's fix writes a review comment its hint stays on);
- ``# expect-warning: <text>`` (repeatable): every DeprecationWarning the legacy program
  emits on ``websockets_impl`` contains one of these texts, and each text shows up;
- ``# wsu-args: --target-version 13.1``: extra arguments for every ``wsu check`` run;
- ``# known-gap: <text>`` (auto): the fixed program still emits a DeprecationWarning for
  the reason given; the check is an expected failure until the linter closes the gap;
- ``# behaviour-change: <text>`` (auto): the fix cannot preserve behaviour, for the reason
  given; ``<name>.fixed.out`` is what the fixed program prints instead.

``<name>.out`` next to the program is its transcript: what it must print on every
implementation, before and after migration (unless ``<name>.fixed.out`` says otherwise).

A file named ``_<module>.py`` is not a program but a module programs import: it is copied
and fixed with every program that imports it.

Run ``python -m tests.migration.harness NAME...`` to print what a program prints on
websockets_impl (legacy and fixed), to write or review its transcript.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from lint_plugin.model import FixAvailability
from lint_plugin.rules import RULES_BY_CODE

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PROGRAMS = HERE / "programs"
SHIM = HERE / "shim"
BIN = Path(sys.executable).parent
WSU = BIN / "wsu"

#: The websockets version the fixes target unless a program says otherwise.
TARGET_VERSION = "17.4"
#: Seconds a program (or a wsu run) may take; they normally take well under one.
TIMEOUT = 30.0

Implementation = Literal["ours", "upstream"]

_HEADER = re.compile(
    r"^# (migration|rules|remaining|expect-warning|wsu-args|known-gap|behaviour-change): (.*?)\s*$"
)
_WARNING = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<category>\w+): (?P<message>.*)$")


def _codes(text: str) -> frozenset[str]:
    return frozenset(code.strip() for code in text.split(",") if code.strip())


@dataclass(frozen=True)
class Program:
    name: str
    path: Path
    group: Literal["auto", "manual"]
    rules: frozenset[str]
    remaining: frozenset[str] = frozenset()
    warnings: tuple[str, ...] = ()
    wsu_args: tuple[str, ...] = ()
    known_gaps: tuple[str, ...] = ()
    behaviour_changes: tuple[str, ...] = ()

    @property
    def expected_path(self) -> Path:
        return self.path.with_suffix(".out")

    @property
    def expected(self) -> str:
        return self.expected_path.read_text(encoding="utf-8")

    @property
    def expected_fixed_path(self) -> Path:
        return self.path.with_suffix(".fixed.out")

    @property
    def expected_fixed(self) -> str:
        """What the fixed (or hand-migrated) program prints."""
        if self.behaviour_changes:
            return self.expected_fixed_path.read_text(encoding="utf-8")
        return self.expected

    @property
    def migrated_path(self) -> Path:
        return self.path.with_name(f"{self.name}.migrated.py")

    @property
    def fixed_codes(self) -> frozenset[str]:
        """Codes whose fix ``--fix --unsafe-fixes`` applies to this program."""
        if self.group != "auto":
            return frozenset()
        hints = {
            code
            for code in self.remaining
            if RULES_BY_CODE[code].spec.fix_availability is FixAvailability.NONE
        }
        return self.rules - hints


def parse_program(path: Path) -> Program:
    values: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _HEADER.match(line)
        if match:
            values.setdefault(match[1], []).append(match[2])
    (group,) = values.get("migration", ["?"])
    if group not in ("auto", "manual"):
        raise ValueError(f"{path.name}: '# migration: auto' or '# migration: manual' expected")
    return Program(
        name=path.stem,
        path=path,
        group=group,  # type: ignore[arg-type]
        rules=_codes(",".join(values.get("rules", []))),
        remaining=_codes(",".join(values.get("remaining", []))),
        warnings=tuple(values.get("expect-warning", [])),
        wsu_args=tuple(arg for text in values.get("wsu-args", []) for arg in text.split()),
        known_gaps=tuple(values.get("known-gap", [])),
        behaviour_changes=tuple(values.get("behaviour-change", [])),
    )


def load_programs() -> list[Program]:
    return [
        parse_program(path)
        for path in sorted(PROGRAMS.glob("*.py"))
        if not path.name.endswith(".migrated.py") and not path.name.startswith("_")
    ]


_IMPORT = re.compile(r"^\s*(?:from|import)\s+(_\w+)", re.MULTILINE)


def companions(source: Path) -> list[Path]:
    """The ``_<module>.py`` files of ``programs/`` that ``source`` imports."""
    names = _IMPORT.findall(source.read_text(encoding="utf-8"))
    return [PROGRAMS / f"{name}.py" for name in names if (PROGRAMS / f"{name}.py").is_file()]


@dataclass
class Result:
    """What one subprocess did."""

    args: Sequence[str]
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False
    records: list[tuple[str, str]] = field(init=False)
    """``(category, message)`` of each warning printed on stderr."""
    noise: list[str] = field(init=False)
    """Lines of stderr that are not part of a warning record."""

    def __post_init__(self) -> None:
        self.records, self.noise = [], []
        in_record = False
        for line in self.stderr.splitlines():
            match = _WARNING.match(line)
            if match and match["category"].endswith("Warning"):
                self.records.append((match["category"], match["message"]))
                in_record = True
            elif in_record and line.startswith("  "):
                continue  # the source line printed under a warning
            else:
                in_record = False
                if line.strip():
                    self.noise.append(line)

    @property
    def deprecations(self) -> list[str]:
        return [message for category, message in self.records if category == "DeprecationWarning"]

    def describe(self) -> str:
        status = "timed out" if self.timed_out else f"exit {self.returncode}"
        return (
            f"$ {' '.join(map(str, self.args))}\n({status})\n"
            f"--- stdout\n{self.stdout}--- stderr\n{self.stderr}"
        )


@dataclass(frozen=True)
class Command:
    args: Sequence[str]
    env: Mapping[str, str]
    cwd: Path


def base_env() -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "WEBSOCKETS_", "WSU_"))
    }
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def python(script: Path, implementation: Implementation, cwd: Path) -> Command:
    """Run ``script`` with ``websockets`` meaning websockets_impl (ours) or upstream."""
    env = base_env()
    if implementation == "ours":
        # The shim aliases websockets to websockets_impl; the repository root comes next so
        # that websockets_impl is the working tree's, whatever state the install is in.
        env["PYTHONPATH"] = os.pathsep.join([str(SHIM), str(ROOT)])
    args = [sys.executable, "-W", "always::DeprecationWarning", str(script)]
    return Command(args, env, cwd)


def wsu(*args: str | Path, cwd: Path) -> Command:
    assert WSU.is_file(), f"the wsu command is not installed next to {sys.executable}"
    env = base_env()
    env["PYTHONPATH"] = str(ROOT)
    return Command([str(WSU), "check", "--no-cache", *map(str, args)], env, cwd)


def lint(path: Path, program: Program, cwd: Path) -> Command:
    """Lint ``path`` with the modules copied next to it, as one project: what a module
    does can hold back the fixes of another (``diagnostics(..., of=path)`` keeps its own)."""
    modules = [path.parent / module.name for module in companions(path)]
    return wsu(
        "--target-version",
        TARGET_VERSION,
        *program.wsu_args,
        "--output-format",
        "json",
        "--exit-zero",
        path,
        *modules,
        cwd=cwd,
    )


def fix(path: Path, program: Program, cwd: Path, *, unsafe: bool = True) -> Command:
    """Fix ``path`` and the modules copied next to it (the directory holds nothing else)."""
    return wsu(
        "--target-version",
        TARGET_VERSION,
        *program.wsu_args,
        "--fix",
        "--unsafe-fixes" if unsafe else "--no-unsafe-fixes",
        "--exit-zero",
        "--quiet",
        path.parent,
        cwd=cwd,
    )


def run(commands: Mapping[str, Command], timeout: float = TIMEOUT) -> dict[str, Result]:
    """Run the commands side by side; wait for all of them (each within ``timeout``)."""
    processes = {
        key: subprocess.Popen(
            command.args,
            env=dict(command.env),
            cwd=command.cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        for key, command in commands.items()
    }
    results = {}
    for key, process in processes.items():
        timed_out = False
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate(timeout=timeout)
            timed_out = True
        results[key] = Result(
            commands[key].args, process.returncode, stdout, stderr, timed_out=timed_out
        )
    return results


def diagnostics(result: Result, of: Path | None = None) -> list[dict[str, Any]]:
    """The diagnostics of a ``wsu check --output-format json`` run (those of the file
    ``of`` only, when given)."""
    assert result.returncode == 0 and not result.timed_out, result.describe()
    data = json.loads(result.stdout)
    assert isinstance(data, list), result.describe()
    return data if of is None else [d for d in data if Path(d["filename"]).name == of.name]


def copy_program(program: Program, directory: Path, source: Path | None = None) -> Path:
    """Copy the program (or ``source``) out of the repository, away from its configuration,
    with the modules it imports; return the copy of the program."""
    source = source or program.path
    directory.mkdir(parents=True, exist_ok=True)
    copy = directory / source.name
    shutil.copyfile(source, copy)
    for module in companions(source):
        shutil.copyfile(module, directory / module.name)
    return copy


def main(argv: Sequence[str]) -> int:
    programs = {program.name: program for program in load_programs()}
    for name in argv or sorted(programs):
        program = programs[name]
        with tempfile.TemporaryDirectory() as tmp:
            directory = Path(tmp)
            copy = copy_program(program, directory)
            print(f"=== {name} ({program.group}) on websockets_impl")
            print(run({"": python(program.path, "ours", directory)})[""].describe())
            run({"": fix(copy, program, directory)})
            print(f"=== {name} fixed, on websockets_impl")
            print(run({"": python(copy, "ours", directory)})[""].describe())
            if program.group == "manual":
                print(f"=== {name} migrated by hand, on websockets_impl")
                print(run({"": python(program.migrated_path, "ours", directory)})[""].describe())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
