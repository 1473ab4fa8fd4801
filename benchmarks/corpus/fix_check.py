"""Fixes on the corpus: ``python -m benchmarks.corpus.fix_check [--target 14.0] [-v]``.

At each target version, every project of the corpus is copied into a temporary directory
and fixed there by the command line, as a user would: ``wsu check --fix --unsafe-fixes``
on the project's directory. Then, for each corpus file:

- **parse**: the fixed file compiles;
- **converge**: a second ``--fix`` (``--diff``) changes nothing;
- **lost**: no finding reported before the fix is gone afterwards unless its fix was
  applied (an applicable fix whose inserted text is in the output); a hint, or a fix that
  was not applied, must still be reported;
- **unreported** (targets 14.0 and later, where every legacy name is deprecated): each
  reference to a legacy name or module left in the fixed file is on a line with a
  finding (import fallbacks in ``except ImportError`` excepted; the uses of a name a
  legacy import binds, ``ws_client.connect`` after ``import websockets.legacy.client as
  ws_client``, are reported at that import, as WSU101 does);
- **half**: no half migration: pyflakes reports no unused import or undefined name that
  the original did not have, and no ``connect()`` / ``serve()`` of the new implementation
  keeps a legacy-only argument, a ``(websocket, path)`` handler or a legacy
  ``process_request`` / ``select_subprotocol``;
- **import**: where the original module imports (with upstream websockets 17.4, or
  ``--implementation ours`` for websockets_impl; third-party modules not installed here
  are stubbed), the fixed module imports too; and where the original imports without
  websockets installed (an optional dependency), so does the fixed one.

Prints one line per file with problems (all of them with ``-v``) and the totals per
target. Exits 1 when a check fails. Downloads the corpus first if it is missing.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.corpus.fetch import fetch_all
from benchmarks.corpus.labels import DOWNLOADS, Project, load

ROOT = Path(__file__).resolve().parents[2]
WSU = Path(sys.executable).parent / "wsu"
SHIM = ROOT / "tests" / "migration" / "shim"
TARGETS = ("10.4", "12.0", "13.0", "14.0", "17.4")
TIMEOUT = 120
#: An import that takes longer is spinning on the stubs, not importing.
IMPORT_TIMEOUT = 30

#: Names that exist only in the legacy implementation, wherever they are imported from.
LEGACY_NAMES = frozenset(
    {
        "WebSocketServerProtocol",
        "WebSocketClientProtocol",
        "WebSocketCommonProtocol",
        "InvalidStatusCode",
        "AbortHandshake",
        "RedirectHandshake",
        "WebSocketProtocolError",
        "basic_auth_protocol_factory",
        "BasicAuthWebSocketServerProtocol",
    }
)
#: Legacy functions reached through the deprecated aliases of 14.0.
LEGACY_ALIASES = frozenset(
    f"websockets.{side}.{name}"
    for side, names in (
        ("client", ("connect", "unix_connect")),
        ("server", ("serve", "unix_serve")),
    )
    for name in names
)
NEW_CALLS = frozenset(
    {
        "websockets.asyncio.client.connect",
        "websockets.asyncio.client.unix_connect",
        "websockets.asyncio.server.serve",
        "websockets.asyncio.server.unix_serve",
    }
)
#: From 14.0, ``websockets.connect`` and friends are the new implementation.
NEW_TOP_LEVEL = frozenset(
    {"websockets.connect", "websockets.unix_connect", "websockets.serve", "websockets.unix_serve"}
)
LEGACY_ONLY_ARGUMENTS = frozenset(
    {
        "extra_headers",
        "create_protocol",
        "klass",
        "legacy_recv",
        "loop",
        "timeout",
        "read_limit",
        "ws_handler",
    }
)
LEGACY_CALLBACKS = {
    "process_request": ("path", "request_headers"),
    "select_subprotocol": ("client_subprotocols", "server_subprotocols"),
}
PYFLAKES_KINDS = ("imported but unused", "undefined name", "redefinition of unused")


@dataclass
class FileReport:
    path: str
    fixes: int = 0
    parses: bool = True
    converges: bool = True
    lost: list[str] = field(default_factory=list)
    unreported: list[str] = field(default_factory=list)
    half: list[str] = field(default_factory=list)
    imports: str = "-"
    """ok, failed (the original imports, the fixed one does not), or unresolved."""
    import_error: str = ""

    @property
    def problems(self) -> list[str]:
        found = []
        if not self.parses:
            found.append("does not parse")
        if not self.converges:
            found.append("a second --fix changes it")
        found += [f"lost: {each}" for each in self.lost]
        found += [f"unreported: {each}" for each in self.unreported]
        found += [f"half migration: {each}" for each in self.half]
        if self.imports == "failed":
            found.append(f"import fails: {self.import_error}")
        return found


# Running wsu ---------------------------------------------------------------------------


def _wsu(target: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [str(WSU), "check", "--no-cache", "--exit-zero", "--target-version", target, *args]
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def _lint(target: str, directory: Path, root: Path) -> dict[str, list[dict[str, Any]]]:
    """The findings per file (relative to ``root``), from the JSON output."""
    done = _wsu(target, "--output-format", "json", str(directory), cwd=root)
    found: dict[str, list[dict[str, Any]]] = {}
    for diagnostic in json.loads(done.stdout or "[]"):
        relative = Path(diagnostic["filename"]).resolve().relative_to(root.resolve())
        found.setdefault(relative.as_posix(), []).append(diagnostic)
    return found


_FIXED_FILE = re.compile(r"^- (?P<path>.+):$")
_FIXED_COUNT = re.compile(r"^\s+(?P<count>\d+) \u00d7 (?P<code>WSU\d+)")


def _fix(target: str, directory: Path, root: Path) -> Counter[str]:
    """Fix in place; the number of fixes applied per file."""
    done = _wsu(
        target, "--fix", "--unsafe-fixes", "--show-fixes", "--output-format", "concise",
        str(directory), cwd=root,
    )  # fmt: skip
    applied: Counter[str] = Counter()
    current = ""
    for line in done.stdout.splitlines():
        if (match := _FIXED_FILE.match(line)) is not None:
            current = Path(match.group("path")).as_posix()
        elif (match := _FIXED_COUNT.match(line)) is not None:
            applied[current] += int(match.group("count"))
    return applied


def _unconverged(target: str, directory: Path, root: Path) -> set[str]:
    """The files a second ``--fix`` would change."""
    done = _wsu(target, "--fix", "--unsafe-fixes", "--diff", str(directory), cwd=root)
    changed = set()
    for line in done.stdout.splitlines():
        if line.startswith("+++ "):
            name = line[4:].split("\t")[0].strip()
            path = Path(name)
            if path.is_absolute():
                path = path.resolve().relative_to(root.resolve())
            changed.add(path.as_posix())
    return changed


# Lost findings -------------------------------------------------------------------------


def _key(diagnostic: dict[str, Any]) -> tuple[str, str]:
    # Held-back hints name lines, and say what holds them back: both move with the fixes.
    message = diagnostic["message"].split(" (not migrated: ")[0]
    return diagnostic["code"], re.sub(r"\bline \d+", "line N", message)


def _applied(diagnostic: dict[str, Any], fixed: str) -> bool:
    fix = diagnostic.get("fix")
    if not fix or fix["applicability"] == "display-only" or not fix["edits"]:
        return False
    squeezed = re.sub(r"\s+", " ", fixed)
    lines = set(fixed.splitlines())
    for edit in fix["edits"]:
        content = edit["content"]
        if content.endswith("\n") and all(line in lines for line in content.splitlines()):
            # Whole lines inserted (imports): two units' insertions at one place are
            # merged, each line once, in either order.
            continue
        text = re.sub(r"\s+", " ", content).strip()
        if text and text not in squeezed:
            return False
    return True


def _rewritten(diagnostic: dict[str, Any], original: str, fixed: str) -> bool:
    """A finding without a fix whose reported code another fix rewrote (``Connect`` in
    ``Connect(...)``, renamed by the import's switch): its text is in the output fewer
    times than in the original."""
    if diagnostic.get("fix") and diagnostic["fix"]["edits"]:
        return False
    start, end = diagnostic["location"], diagnostic.get("end_location")
    if end is None:
        return False
    lines = original.splitlines(keepends=True)[start["row"] - 1 : end["row"]]
    if not lines:
        return False
    lines[-1] = lines[-1][: end["column"] - 1]
    lines[0] = (
        lines[0][start["column"] - 1 :]
        if len(lines) > 1
        else lines[0][start["column"] - 1 : end["column"] - 1]
    )
    text = "".join(lines)
    return bool(text.strip()) and fixed.count(text) < original.count(text)


def _dropped_import(diagnostic: dict[str, Any], original: str, fixed: str) -> bool:
    """A finding on an import whose names the fixed text no longer mentions at all: the
    fixes left them imported for nothing, and ``fix_source`` dropped the import."""
    row = diagnostic["location"]["row"]
    lines = original.splitlines()
    if not 0 < row <= len(lines):
        return False
    try:
        statement = ast.parse(lines[row - 1].strip()).body
    except SyntaxError:
        return False
    if len(statement) != 1 or not isinstance(statement[0], (ast.Import, ast.ImportFrom)):
        return False
    bound = [(a.asname or a.name).split(".")[0] for a in statement[0].names]
    return bool(bound) and not any(re.search(rf"\b{re.escape(b)}\b", fixed) for b in bound)


def lost_findings(
    before: list[dict[str, Any]], after: list[dict[str, Any]], fixed: str, original: str = ""
) -> list[str]:
    """Findings gone after the fix although their fix was not applied (a finding without a
    fix: although no fix rewrote what it reports)."""
    left = Counter(_key(d) for d in after)
    lost = []
    for diagnostic in before:
        key = _key(diagnostic)
        if left[key] > 0:
            left[key] -= 1
        elif not (
            _applied(diagnostic, fixed)
            or _rewritten(diagnostic, original, fixed)
            or _dropped_import(diagnostic, original, fixed)
        ):
            row = diagnostic["location"]["row"]
            lost.append(f"{diagnostic['code']} (line {row} before) {diagnostic['message']}")
    return lost


# What the fixed module refers to -------------------------------------------------------


def _imports(tree: ast.Module) -> dict[str, str]:
    """Local name -> dotted path, for every import of the module (any scope)."""
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    bound[alias.name.partition(".")[0]] = alias.name.partition(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return bound


def _dotted(node: ast.expr, bound: dict[str, str]) -> str | None:
    if isinstance(node, ast.Name):
        return bound.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value, bound)
        return None if base is None else f"{base}.{node.attr}"
    return None


def _is_legacy(path: str) -> bool:
    if not path.startswith("websockets."):
        return False
    return (
        path.startswith("websockets.legacy")
        or path in LEGACY_ALIASES
        or path.rpartition(".")[2] in LEGACY_NAMES
    )


def _fallback_lines(tree: ast.Module) -> set[int]:
    """Lines of ``except ImportError`` handlers: import fallbacks are not findings."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            caught = ast.unparse(node.type)
            if "ImportError" in caught or "ModuleNotFoundError" in caught:
                lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def legacy_references(tree: ast.Module) -> Iterator[tuple[int, int, str]]:
    """(first line, last line, path) of each reference to a legacy name or module."""
    bound = _imports(tree)
    fallbacks = _fallback_lines(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            paths = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            paths = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and _is_legacy(bound.get(root.id, "")):
                continue  # a name a legacy import binds: reported at that import
            path = _dotted(node, bound)
            paths = [path] if path is not None else []
        else:
            continue
        for path in paths:
            if _is_legacy(path) and node.lineno not in fallbacks:  # type: ignore[attr-defined]
                yield node.lineno, node.end_lineno or node.lineno, path  # type: ignore[attr-defined]


def unreported(tree: ast.Module, after: list[dict[str, Any]]) -> list[str]:
    rows = {d["location"]["row"] for d in after}
    found = []
    seen = set()
    for first, last, path in legacy_references(tree):
        # A chain and its prefixes (``websockets.legacy.client``) are one use: the
        # outermost comes first.
        if first in seen or any(first <= row <= last for row in rows):
            continue
        seen.add(first)
        found.append(f"line {first}: {path}")
    return found


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    return {
        node.name: node
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


def _required_positional(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    every = [*function.args.posonlyargs, *function.args.args]
    names = [arg.arg for arg in every[: len(every) - len(function.args.defaults)]]
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


def half_migrations(tree: ast.Module, target: str) -> list[str]:
    """Calls of the new implementation still written for the legacy one."""
    bound = _imports(tree)
    functions = _functions(tree)
    new_calls = NEW_CALLS | (NEW_TOP_LEVEL if _version(target) >= (14,) else frozenset())
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        path = _dotted(node.func, bound)
        if path not in new_calls:
            continue
        where = f"line {node.lineno}: {path.rpartition('.')[2]}()"
        for keyword in node.keywords:
            if keyword.arg in LEGACY_ONLY_ARGUMENTS:
                found.append(f"{where} keeps {keyword.arg}=")
            callback = _callback(keyword.value, functions)
            expected = LEGACY_CALLBACKS.get(keyword.arg or "")
            if (
                callback is not None
                and expected is not None
                and tuple(_required_positional(callback)) == expected
            ):
                found.append(f"{where} gets the legacy {keyword.arg} {callback.name}")
        if path.endswith("serve") and node.args:
            handler = _callback(node.args[0], functions)
            if handler is not None and len(_required_positional(handler)) >= 2:
                found.append(f"{where} gets the (websocket, path) handler {handler.name}")
    return found


def _unlined(text: str) -> str:
    return re.sub(r"^line \d+: ", "", text)


def _callback(
    node: ast.expr, functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    if isinstance(node, ast.Name):
        return functions.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return functions.get(node.attr) if node.value.id == "self" else None
    return None


def pyflakes_messages(source: str, filename: str) -> Counter[str]:
    """Import problems pyflakes sees, without line numbers (they move with the fixes)."""
    from pyflakes.api import check
    from pyflakes.reporter import Reporter

    class Collect(Reporter):
        def __init__(self) -> None:
            self.messages: list[str] = []

        def flake(self, message: Any) -> None:
            text = message.message % message.message_args
            if any(kind in text for kind in PYFLAKES_KINDS):
                self.messages.append(re.sub(r" from line \d+", "", text))

        def syntaxError(self, *args: Any) -> None:
            pass

        def unexpectedError(self, *args: Any) -> None:
            pass

    reporter = Collect()
    check(source, filename, reporter)
    return Counter(reporter.messages)


# Importing the module ------------------------------------------------------------------

#: Run in a subprocess: import a module with every missing third-party module stubbed.
PROBE = r"""
import importlib, importlib.abc, importlib.machinery, sys, types, warnings

class Meta(type):
    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Meta(name, (), {})
    def __call__(cls, *args, **kwargs):
        if len(args) == 1 and not kwargs and callable(args[0]):
            return args[0]  # a decorator: keep what it decorates
        return Meta(cls.__name__, (), {})
    def __getitem__(cls, item):
        return cls
    def __iter__(cls):
        return iter(())  # else iterating one falls back to __getitem__, without end
    def __or__(cls, other):
        return cls
    __ror__ = __or__

class Stub(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Meta(name, (), {})

class Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {"websockets", "websockets_impl"}:
            return None
        return importlib.machinery.ModuleSpec(name, self, is_package=True)
    def create_module(self, spec):
        return Stub(spec.name)
    def exec_module(self, module):
        module.__path__ = []

sys.meta_path.append(Finder())
if sys.argv[3] == "absent":
    sys.modules["websockets"] = sys.modules["websockets_impl"] = None  # not installed
sys.path.insert(0, sys.argv[1])
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    try:
        importlib.import_module(sys.argv[2])
    except BaseException as exc:
        print(f"{type(exc).__name__}: {exc}".splitlines()[0][:200])
        raise SystemExit(1)
print("ok")
"""


def import_module(
    project_root: Path, module: str, implementation: str, *, websockets: bool = True
) -> tuple[bool, str]:
    """Import ``module`` of the project (``websockets``: with websockets installed, else
    as if it were not: a module importing it optionally must still import)."""
    env = dict(os.environ)
    if implementation == "ours":
        env["PYTHONPATH"] = os.pathsep.join([str(SHIM), str(ROOT)])
    presence = "present" if websockets else "absent"
    try:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, str(project_root), module, presence],
            capture_output=True, text=True, timeout=IMPORT_TIMEOUT, env=env, cwd=project_root,
            check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        # A module whose import-time code loops on the stubs (shiny's autoreload): unresolved.
        return False, f"import did not finish in {IMPORT_TIMEOUT} s (stubbed dependencies)"
    output = done.stdout.strip().splitlines()
    return done.returncode == 0, output[-1] if output else done.stderr.strip()[-200:]


def module_name(project: Project, file: str) -> str:
    relative = Path(file).relative_to(project.directory).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


# The run -------------------------------------------------------------------------------


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _original_import(
    originals: dict[tuple[str, bool], tuple[bool, str]],
    project: Project,
    file: str,
    implementation: str,
    *,
    present: bool,
) -> tuple[bool, str]:
    """Whether the downloaded (unfixed) module imports, with websockets or without: asked
    once per file, and only when needed."""
    if (file, present) not in originals:
        originals[file, present] = import_module(
            DOWNLOADS / project.directory,
            module_name(project, file),
            implementation,
            websockets=present,
        )
    return originals[file, present]


def check_project(
    project: Project,
    target: str,
    *,
    implementation: str,
    originals: dict[tuple[str, bool], tuple[bool, str]],
) -> list[FileReport]:
    with tempfile.TemporaryDirectory(prefix="wsu-fix-check-") as scratch:
        root = Path(scratch)
        directory = root / project.directory
        shutil.copytree(DOWNLOADS / project.directory, directory)
        before = _lint(target, directory, root)
        applied = _fix(target, directory, root)
        after = _lint(target, directory, root)
        unconverged = _unconverged(target, directory, root)
        reports = []
        for file in project.files:
            report = FileReport(file, fixes=applied[file])
            original = (DOWNLOADS / file).read_text("utf-8")
            fixed = (root / file).read_text("utf-8")
            try:
                tree = ast.parse(compile(fixed, file, "exec", ast.PyCF_ONLY_AST, dont_inherit=True))
            except SyntaxError:
                report.parses = False
                reports.append(report)
                continue
            report.converges = file not in unconverged
            report.lost = lost_findings(before.get(file, []), after.get(file, []), fixed, original)
            if _version(target) >= (14,):
                report.unreported = unreported(tree, after.get(file, []))
            # Only what the fix introduced: code already mixed (``klass=`` on the top-level
            # ``connect`` read at 14.0) stays reported by its rule.
            had = Counter(_unlined(h) for h in half_migrations(ast.parse(original), target))
            for half in half_migrations(tree, target):
                if had[_unlined(half)] > 0:
                    had[_unlined(half)] -= 1
                else:
                    report.half.append(half)
            new_flakes = pyflakes_messages(fixed, file) - pyflakes_messages(original, file)
            report.half += sorted(new_flakes)
            name = module_name(project, file)
            imported = _original_import(originals, project, file, implementation, present=True)
            if imported[0] and fixed != original:
                ok, error = import_module(directory, name, implementation)
                if (
                    ok
                    and _original_import(originals, project, file, implementation, present=False)[0]
                ):
                    # An optional import stays optional.
                    ok, error = import_module(directory, name, implementation, websockets=False)
                    error = f"without websockets: {error}"
                report.imports = "ok" if ok else "failed"
                report.import_error = error
            elif imported[0]:
                report.imports = "ok"
            else:
                report.imports = "unresolved"
                report.import_error = imported[1]
            reports.append(report)
        return reports


def run(targets: list[str], *, implementation: str, verbose: bool) -> int:
    fetch_all(quiet=True)
    corpus = load()
    files = sum(len(project.files) for project in corpus.projects)
    print(
        f"corpus: {files} files from {len(corpus.projects)} projects; "
        "wsu check --fix --unsafe-fixes"
    )
    originals: dict[tuple[str, bool], tuple[bool, str]] = {}
    failed = False
    for target in targets:
        reports = [
            report
            for project in corpus.projects
            for report in check_project(
                project, target, implementation=implementation, originals=originals
            )
        ]
        totals = Counter(
            {
                "files": len(reports),
                "changed": sum(1 for r in reports if r.fixes),
                "fixes": sum(r.fixes for r in reports),
                "parse failures": sum(1 for r in reports if not r.parses),
                "non-converging": sum(1 for r in reports if not r.converges),
                "lost findings": sum(len(r.lost) for r in reports),
                "unreported uses": sum(len(r.unreported) for r in reports),
                "half migrations": sum(len(r.half) for r in reports),
                "imported": sum(1 for r in reports if r.imports == "ok"),
                "import failures": sum(1 for r in reports if r.imports == "failed"),
                "imports unresolved": sum(1 for r in reports if r.imports == "unresolved"),
            }
        )
        print(f"\ntarget {target}:")
        for report in reports:
            problems = report.problems
            if problems or verbose:
                print(f"  {report.path}: {report.fixes} fixes, import {report.imports}")
                for problem in problems:
                    print(f"    {problem}")
                if verbose and report.imports == "unresolved":
                    print(f"    (original does not import: {report.import_error})")
        print("  " + ", ".join(f"{name} {count}" for name, count in totals.items()))
        failed = failed or any(report.problems for report in reports)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus.fix_check")
    parser.add_argument(
        "--target",
        action="append",
        help=f"target version (repeatable; default {', '.join(TARGETS)})",
    )
    parser.add_argument(
        "--implementation",
        choices=("upstream", "ours"),
        default="upstream",
        help="what `websockets` is for the import check: upstream 17.4, or websockets_impl",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print every file")
    args, _ = parser.parse_known_args(argv)
    return run(
        args.target or list(TARGETS), implementation=args.implementation, verbose=args.verbose
    )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
