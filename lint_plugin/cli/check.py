"""``wsu check``: find the files, lint or fix them, report."""

from __future__ import annotations

import argparse
import ast
import hashlib
import heapq
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from lint_plugin import segment_pool
from lint_plugin.cli import partner
from lint_plugin.cli.options import resolve_options
from lint_plugin.cli.partner import Partner
from lint_plugin.cli.project_index import (
    FileFacts,
    ProjectFacts,
    file_facts,
    parsed_for_facts,
    project_facts,
)
from lint_plugin.cli.status import EXIT_CLEAN, EXIT_ERROR, EXIT_VIOLATIONS, UsageError
from lint_plugin.cli.workers import Mode, Outcome, Task, run_tasks
from lint_plugin.config import Options, describe_target
from lint_plugin.engine import CheckResult, check_source, mentions_target
from lint_plugin.files import (
    DEFAULT_EXCLUDE,
    SourceError,
    SourceText,
    Walker,
    decode_source,
    digest_file,
    encode_source,
    path_order,
    plain_utf8,
    read_bytes,
    write_safely,
)
from lint_plugin.output import OutputOptions, write_report
from lint_plugin.output.colour import wants_colour
from lint_plugin.output.report import FileReport, RunReport, Violation
from lint_plugin.output.summary import diff_summary, target_lines, target_uses
from lint_plugin.segments import THRESHOLD
from lint_plugin.settings import Settings

if TYPE_CHECKING:
    from lint_plugin.cache import Cache
    from lint_plugin.cli.attribute_reads import Read
    from lint_plugin.cli.project_units import Plan
    from lint_plugin.fixes import FixResult
    from lint_plugin.noqa import NoqaWarning
    from lint_plugin.semantic.project import ModuleFacts

STDIN = "-"
T = TypeVar("T")


@dataclass
class FileState:
    """One file through the run: what was read, what the linter said, what was written."""

    path: Path
    display: str
    source: SourceText | None = None
    settings: Settings | None = None
    fix_result: FixResult | None = None
    tied: frozenset[Path] = frozenset()
    """The files (resolved) its fixes are written with: a unit spanning modules."""
    cached: bool = False
    """Its result came from the cache."""
    module: str | None = None
    """Its module name, when it may pass callbacks to ``serve()`` (``cli/project_index.py``)."""
    report: FileReport = field(init=False)

    def __post_init__(self) -> None:
        self.report = FileReport(self.path, self.display)


@dataclass
class Console:
    verbose: bool = False
    quiet: bool = False
    errors: int = 0
    """Internal errors seen: the run exits 2."""

    def warn(self, message: str) -> None:
        if not self.quiet:
            print(f"warning: {message}", file=sys.stderr)

    def error(self, message: str) -> None:
        self.errors += 1
        print(f"error: {message}", file=sys.stderr)

    def info(self, message: str) -> None:
        if self.verbose:
            print(f"wsu: {message}", file=sys.stderr)


def display_path(path: Path, cwd: Path) -> str:
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)


def _mode(args: argparse.Namespace) -> Mode:
    if args.diff:
        return Mode.DIFF
    return Mode.FIX if args.fix else Mode.CHECK


def run_check(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    cwd = Path.cwd()
    console = Console(verbose=args.verbose, quiet=args.quiet)
    given = [Path(p) for p in args.paths] or [Path(".")]
    use_stdin = any(str(p) == STDIN for p in given)
    if use_stdin and len(given) > 1:
        raise UsageError("'-' (standard input) cannot be combined with other paths")
    if args.stdin_filename and not use_stdin:
        raise UsageError("--stdin-filename needs '-' as the path")
    if args.add_noqa and (use_stdin or args.fix or args.diff):
        raise UsageError("--add-noqa works on files and cannot be combined with --fix or --diff")
    stdin_path = cwd / (args.stdin_filename or STDIN)
    if use_stdin:
        start = stdin_path.parent
    else:
        start = given[0].absolute()
        start = start if start.exists() else cwd
    options = resolve_options(args, cwd, start)
    console.info(f"configuration: {options.config_path or 'none found, using the defaults'}")
    mode = _mode(args)

    if use_stdin:
        state = FileState(
            stdin_path if args.stdin_filename else Path(STDIN), args.stdin_filename or STDIN
        )
        _load(state, sys.stdin.buffer.read())
        found = Found([state])
    else:
        found = _discover(given, options, cwd, console, force_exclude=args.force_exclude)
    states = found.states
    cache = None if args.no_cache or use_stdin else _cache(args, options)
    checked = _lint(found, options, mode, cache, args.jobs, console, cwd)
    if args.add_noqa:
        return _add_noqa(checked, console, quiet=args.quiet)
    if mode is Mode.FIX and not use_stdin:
        _write_fixes(checked, cache, console)
    for state in states:
        state.report.violations.sort(key=lambda v: v.sort_key)
    files = [s.report for s in states]
    if args.output_format == "junit" and mode is not Mode.DIFF:
        # The one format listing the files without findings too.
        files += [FileReport(Path(p), display_path(Path(p), cwd)) for p, _ in found.others]
    report = RunReport(
        files,
        unsafe_fixes=options.unsafe_fixes,
        targets=target_uses((s.settings, s.report) for s in checked if s.settings is not None),
    )
    _verbose_summary(console, found, checked, cache, options, start, started)

    if mode is Mode.DIFF:
        return _report_diffs(report, args, console)
    output = OutputOptions(
        format=args.output_format,
        statistics=args.statistics,
        fix_mode=mode is Mode.FIX,
        show_fixes=args.show_fixes,
        quiet=args.quiet,
    )
    if use_stdin and mode is Mode.FIX:
        # As ruff does: the fixed code goes to stdout, the report to stderr.
        sys.stdout.write(states[0].report.source or "")
        sys.stdout.flush()
        output = replace(output, colour=wants_colour(args.color, sys.stderr))
        write_report(report, sys.stderr, output, cwd=cwd)
    else:
        with _output_stream(args.output_file) as stream:
            output = replace(output, colour=wants_colour(args.color, stream))
            write_report(report, stream, output, cwd=cwd)
    _print_targets(report, args)
    return _exit_code(report, console, args)


def _print_targets(report: RunReport, args: argparse.Namespace) -> None:
    """The target version(s) and what waits for an upgrade: last, on stderr (ruff's notes)."""
    if not args.quiet:
        for line in target_lines(report):
            print(line, file=sys.stderr)


def _report_diffs(report: RunReport, args: argparse.Namespace, console: Console) -> int:
    from lint_plugin.output.unified_diff import render_diffs

    with _output_stream(args.output_file) as stream:
        stream.writelines(render_diffs(report))
    if not args.quiet:
        for line in diff_summary(report):
            print(line, file=sys.stderr)
    _print_targets(report, args)
    if console.errors:
        return EXIT_ERROR
    changed = any(f.fixed_source not in (None, f.source) for f in report.files)
    return EXIT_VIOLATIONS if changed else EXIT_CLEAN


def _exit_code(report: RunReport, console: Console, args: argparse.Namespace) -> int:
    if console.errors:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_CLEAN
    if report.remaining:
        return EXIT_VIOLATIONS
    if args.exit_non_zero_on_fix and report.fixed:
        return EXIT_VIOLATIONS
    return EXIT_CLEAN


def _cache(args: argparse.Namespace, options: Options) -> Cache:
    from lint_plugin.cache import DEFAULT_CACHE_DIR, Cache

    if args.cache_dir:
        return Cache(Path(args.cache_dir).absolute())
    if env := os.environ.get("WSU_CACHE_DIR"):
        return Cache(Path(env).absolute())
    return Cache(options.root / DEFAULT_CACHE_DIR)


@contextmanager
def _output_stream(path: str | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="\n") as stream:
        yield stream


@dataclass
class Found:
    """The files of the run: those with something to read or report (``states``), and
    the others, read and decoded as UTF-8 but mentioning no target module: left to the
    project index and to the formats that list every file."""

    states: list[FileState]
    others: list[tuple[str, bytes]] = field(default_factory=list)
    """(absolute path, content)."""


def _discover(
    given: list[Path], options: Options, cwd: Path, console: Console, *, force_exclude: bool
) -> Found:
    exclude = options.exclude if options.exclude is not None else DEFAULT_EXCLUDE
    walker = Walker(options.root, (*exclude, *options.extend_exclude), force_exclude=force_exclude)
    found = walker.discover(given)
    for warning in found.warnings:
        console.warn(warning)
    result = Found([])
    for missing in found.missing:
        state = FileState(missing.absolute(), str(missing))
        state.report.violations.append(Violation.io_error("No such file or directory"))
        result.states.append(state)
    # The prefilter on the bytes: most files are only read, tested and kept as they are.
    needles = _needles(options.modules)
    for path in found.paths:
        try:
            data = read_bytes(path)
        except OSError as exc:
            state = FileState(Path(path), display_path(Path(path), cwd))
            message = f"cannot read: {exc.strerror or exc}"
            state.report.violations.append(Violation.io_error(message))
            result.states.append(state)
            continue
        if not any(needle in data for needle in needles) and plain_utf8(data):
            result.others.append((path, data))
            continue
        state = FileState(Path(path), display_path(Path(path), cwd))
        _load(state, data)
        result.states.append(state)
    return result


def _needles(modules: Iterable[str]) -> tuple[bytes, ...]:
    """The module names as UTF-8, leaving out those containing another one."""
    names = set(modules)
    return tuple(
        name.encode() for name in sorted(names) if not any(o != name and o in name for o in names)
    )


def _load(state: FileState, data: bytes) -> None:
    try:
        state.source = decode_source(data)
    except SourceError as exc:
        state.report.violations.append(Violation.io_error(exc.message, exc.line))
        return
    state.report.source = state.source.text


def _lint(
    found: Found,
    options: Options,
    mode: Mode,
    cache: Cache | None,
    jobs: int,
    console: Console,
    cwd: Path,
) -> list[FileState]:
    """Lint (or fix) every readable file that mentions a target module, and the files the
    project index names; return those.

    A file that may pass imported callbacks to ``serve()`` gives the index its facts from
    its own check (``cli/workers.py``), so no file is parsed twice; those that do pass
    some, and the modules their callbacks come from, are linted once the index is built.
    A partner process may lint about half the files (``cli/partner.py``).
    """
    states = found.states
    unsafe = options.unsafe_fixes
    targeted = [
        (position, state)
        for position, state in enumerate(states)
        if state.source is not None and mentions_target(state.source.text, options.modules)
    ]
    # A large file's segments may be checked in workers (when this process checks it).
    segment_pool.JOBS = jobs
    their_positions = set(_partner_share(targeted, jobs))
    theirs = [entry for entry in targeted if entry[0] in their_positions]
    mine = [entry for entry in targeted if entry[0] not in their_positions]
    parsed: dict[str, ast.Module] = {}

    def partner_work(end: Partner) -> None:
        # The partner's side: its share's facts, then its share checked with the project's.
        end.send(_file_facts(theirs, options, parsed))
        project, reads = end.receive(tuple)
        end.send(_run(theirs, _with_facts(options, project), reads, mode, cache, 1, parsed))

    partner_end = None
    if theirs:
        import lint_plugin.rules  # noqa: F401  (once, for both processes: ~25 ms)

        partner_end = Partner.start(partner_work)
        if partner_end is None:  # no fork here
            mine, theirs = targeted, []
    facts = _file_facts(mine, options, parsed)
    reads = _attribute_reads(found, [state for _, state in targeted], cwd)
    their_facts = _received(partner_end, list)
    facts += their_facts if their_facts is not None else _file_facts(theirs, options, parsed)
    project = project_facts(facts for _, facts in sorted(facts, key=lambda entry: entry[0]))
    options = _with_facts(options, project)
    if partner_end is not None:
        partner_end.send((project, reads))
    mine += _importing_legacy_classes(found, project, cwd)
    linted = _run(mine, options, reads, mode, cache, 1 if partner_end else jobs, parsed)
    if partner_end is not None:
        their_linted = _received(partner_end, Linted)
        partner_end.close()
        if their_linted is None:
            their_linted = _run(theirs, options, reads, mode, cache, 1, parsed)
        else:
            for _, state in theirs:
                _prepare(state, options, reads)
        linted.results.update(their_linted.results)
        linted.serving.update(their_linted.serving)
    plan = _project(found, linted.serving, options, cwd, unsafe=unsafe or mode is Mode.CHECK)
    return _record(states, linted.results, plan, options, mode, cache, jobs, console)


def _importing_legacy_classes(
    found: Found, project: ProjectFacts, cwd: Path
) -> list[tuple[int, FileState]]:
    """The files mentioning no target module that import a legacy protocol subclass of the
    project (``from .proto import MyProtocol``): its instances are connections there. They
    join the run's files (``found.states``), at the end."""
    if not project.classes:
        return []
    names = sorted({name for _, name in project.classes})
    needles = tuple(name.encode() for name in names)
    # One line, or a parenthesized list over several (``from .proto import (\n A,\n)``).
    importing = re.compile(
        rb"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import\b(?:[ \t]*\([^)]*|[^\n]*)\b(?:"
        + b"|".join(re.escape(n) for n in needles)
        + rb")\b",
        re.MULTILINE,
    )
    added: list[tuple[int, FileState]] = []
    others = []
    for path, data in found.others:
        if any(needle in data for needle in needles) and importing.search(data):
            state = FileState(Path(path), display_path(Path(path), cwd))
            _load(state, data)
            added.append((len(found.states), state))
            found.states.append(state)
        else:
            others.append((path, data))
    found.others = others
    return added


def _partner_share(targeted: list[tuple[int, FileState]], jobs: int) -> list[int]:
    """The positions a partner process lints (``cli/partner.py``): none unless the files
    no larger than ``segments.THRESHOLD`` hold ``SPLIT_FROM`` to ``SPLIT_UP_TO`` bytes and
    a CPU is idle; else about half of them by size, the files parsed for the project's
    facts shared first (they are read before the others are checked)."""
    if jobs < 2 or len(targeted) < 2:
        return []
    small = [
        (position, state.source.text)
        for position, state in targeted
        if state.source is not None and len(state.source.text) <= THRESHOLD
    ]
    total = sum(len(text) for _, text in small)
    if not partner.SPLIT_FROM <= total <= partner.SPLIT_UP_TO or not partner.idle_cpu():
        return []
    _, theirs = partner.shares(
        [len(text) for _, text in small], [parsed_for_facts(text) for _, text in small]
    )
    return [small[index][0] for index in theirs]


def _received(end: Partner | None, kind: type[T]) -> T | None:
    if end is None:
        return None
    try:
        return end.receive(kind)
    except partner.Lost:
        return None


@dataclass
class Linted:
    """What linting some files gave, by their position in the run's files."""

    results: dict[int, CheckResult | Outcome] = field(default_factory=dict)
    """A cached result or the outcome of a task."""
    serving: dict[int, tuple[str, ModuleFacts]] = field(default_factory=dict)
    """The module name and facts of a file passing imported callbacks."""


def _file_facts(
    share: list[tuple[int, FileState]], options: Options, parsed: dict[str, ast.Module]
) -> list[tuple[int, FileFacts]]:
    """Each file's part of the project's facts (``cli/project_index.py``), by position;
    the trees parsed for them go in ``parsed``, for the files' checks."""
    found = []
    for position, state in share:
        assert state.source is not None
        settings = options.settings_for(state.path)
        facts, tree = file_facts(state.display, state.source.text, state.path, settings)
        if tree is not None:
            parsed[state.display] = tree
        found.append((position, facts))
    return found


def _with_facts(options: Options, facts: ProjectFacts) -> Options:
    """The options with the legacy objects the project patches: every file's switches
    are held back while one is (``units.held_by_project``); and with the project's legacy
    protocol subclasses, whose instances are connections in the modules that import them."""
    return replace(
        options,
        legacy_patches=facts.patches,
        legacy_classes=facts.classes,
        module_reexports=facts.reexports,
    )


def _prepare(state: FileState, options: Options, reads: tuple[Read, ...]) -> None:
    """The file's settings, and its module name when it may take part in the index."""
    assert state.source is not None
    state.settings = options.settings_for(state.path)
    if reads:
        # What other files read: this file's own reads are its rules' (and its cache key
        # stays the same for a change elsewhere that reads nothing).
        elsewhere = tuple(read for read in reads if read[1] != state.display)
        state.settings = replace(state.settings, attribute_reads=elsewhere)
    state.module = _serve_module(state.path, state.source.text)


def _run(
    share: list[tuple[int, FileState]],
    options: Options,
    reads: tuple[Read, ...],
    mode: Mode,
    cache: Cache | None,
    jobs: int,
    parsed: dict[str, ast.Module],
) -> Linted:
    """Lint (or fix) the files of ``share``: each file's cached result, or its task run."""
    unsafe = options.unsafe_fixes
    linted = Linted()
    tasks: list[Task] = []
    positions: list[int] = []
    for position, state in share:
        _prepare(state, options, reads)
        assert state.source is not None and state.settings is not None
        if cache is not None:
            # Stored only for a file passing no imported callbacks (see Cache.key).
            cached = cache.load(cache.key(state.source.digest, state.settings, state.module))
            needs_fixing = (
                mode is not Mode.CHECK and cached is not None and _has_fixes(cached, unsafe)
            )
            if cached is not None and not needs_fixing:
                linted.results[position] = cached
                continue
        tasks.append(
            Task(state.display, state.source.text, state.settings, mode, unsafe, state.module)
        )
        positions.append(position)
    outcomes = run_tasks(tasks, jobs, parsed)
    for position, task, outcome in zip(positions, tasks, outcomes):
        if outcome.facts is not None and task.module is not None:
            linted.serving[position] = (task.module, outcome.facts)
        else:
            linted.results[position] = outcome
    return linted


def _attribute_reads(found: Found, targeted: list[FileState], cwd: Path) -> tuple[Read, ...]:
    """Legacy connection members read through an attribute in any file of the run
    (``cli/attribute_reads.py``)."""
    from lint_plugin.cli.attribute_reads import attribute_reads, package_root

    texts = [(s.display, s.source.text) for s in targeted if s.source is not None]
    # The other files of the packages those files are in (of their directory, for a
    # module in no package): reading every file of a large tree costs ~0.5 s per 36 MB,
    # and another package's reads are not this one's concern.
    packages: set[str] = set()
    directories: set[str] = set()
    for state in targeted:
        root, package = package_root(state.path)
        (packages if package else directories).add(root)
    prefixes = tuple(os.path.join(root, "") for root in packages)
    others = [
        (path, data)
        for path, data in found.others
        if path.startswith(prefixes) or os.path.dirname(path) in directories
    ]
    return attribute_reads(texts, others, lambda p: display_path(Path(p), cwd))


def _serve_module(path: Path, text: str) -> str | None:
    """The module name of a file that may give the index facts (``may_take_part``)."""
    from lint_plugin.cli.project_index import may_take_part
    from lint_plugin.semantic.project import module_name

    name = module_name(path)
    return name if may_take_part(text, name) else None


def _project(
    found: Found,
    serving: dict[int, tuple[str, ModuleFacts]],
    options: Options,
    cwd: Path,
    *,
    unsafe: bool,
) -> Plan | None:
    """The project index of the files whose ``serve()`` callbacks come from other modules
    of the project, and of those modules (``cli/project_index.py``); which of those
    callbacks migrate with their calls (``cli/project_units.py``)."""
    if not serving:
        return None
    from lint_plugin.cli import project_index, project_units

    states = found.states
    index, taking_part = project_index.assemble(
        (states[position].path, module, options.settings_for(states[position].path), facts)
        for position, (module, facts) in sorted(serving.items())
    )

    def member(path: Path, display: str, text: str) -> project_units.Member:
        return project_units.Member(path, display, text, options.settings_for(path))

    # Every file read, in order, decoded only if the plan needs to read them.
    checked = heapq.merge(
        (member(s.path, s.display, s.source.text) for s in states if s.source is not None),
        (member(Path(p), display_path(Path(p), cwd), data.decode()) for p, data in found.others),
        key=lambda m: path_order(str(m.path)),
    )
    plan = project_units.plan(index, taking_part, checked, unsafe=unsafe)
    if plan.taking_part and found.others:
        # The modules of callbacks that mention no target module are linted too.
        others = []
        # Resolving every path costs ~0.1 ms each: only those named as a member is.
        names = {member.name for member in plan.taking_part}
        for path, data in found.others:
            if os.path.basename(path) in names and Path(path).resolve() in plan.taking_part:
                state = FileState(Path(path), display_path(Path(path), cwd))
                _load(state, data)
                states.append(state)
            else:
                others.append((path, data))
        found.others = others
    return plan


def _record(
    states: list[FileState],
    results: dict[int, CheckResult | Outcome],
    plan: Plan | None,
    options: Options,
    mode: Mode,
    cache: Cache | None,
    jobs: int,
    console: Console,
) -> list[FileState]:
    """Record what was found, linting the files the project index names with it; return
    the files linted."""
    taking_part = plan.taking_part if plan is not None else {}
    tasks: list[Task] = []
    pending: list[tuple[FileState, Outcome | None]] = []
    checked: list[FileState] = []
    for position, state in enumerate(states):
        if state.source is None:
            continue
        resolved = state.path.resolve() if taking_part else state.path
        module = taking_part.get(resolved)
        if plan is None or module is None:
            result = results.get(position)
            if result is None:
                # Nothing to report about it: let its text go.
                state.source = state.report.source = None
                continue
            checked.append(state)
            if isinstance(result, CheckResult):
                _record_check(state, result, console)
                state.cached = True
            else:
                pending.append((state, result))
            continue
        # Its findings depend on other files: linted with the index, not cached.
        state.settings = replace(
            options.settings_for(state.path), project=plan.index, module_name=module
        )
        checked.append(state)
        done = plan.fixed.get(resolved) if mode is not Mode.CHECK else None
        if done is not None:
            # Fixed with the other files of its units, across modules (cli/project_units.py).
            _record_fix(state, done, mode, console)
            state.fix_result = done
            state.tied = plan.tied.get(resolved, frozenset())
            continue
        tasks.append(
            Task(state.display, state.source.text, state.settings, mode, options.unsafe_fixes)
        )
        pending.append((state, None))
    outcomes = iter(run_tasks(tasks, jobs))
    for state, result in pending:
        outcome = result if result is not None else next(outcomes)
        if outcome.error is not None:
            console.error(f"{state.display}: internal error, please report it:\n{outcome.error}")
        elif outcome.check is not None:
            _record_check(state, outcome.check, console)
            settings = state.settings
            if cache is not None and state.source and settings and settings.project is None:
                # A result depending on other files (the project index) is not cached.
                key = cache.key(state.source.digest, settings, state.module)
                cache.store(key, outcome.check)
        elif outcome.fix is not None:
            _record_fix(state, outcome.fix, mode, console)
            state.fix_result = outcome.fix
            if cache is not None and mode is Mode.FIX and not outcome.fix.fixed:
                _store_fix_result(cache, state, state.source.digest if state.source else None)
    return checked


def _store_fix_result(cache: Cache, state: FileState, digest: str | None) -> None:
    """The diagnostics of the fixed text are those of a check of it: cache them as such."""
    fixed = state.fix_result
    if fixed is None or state.settings is None or digest is None:
        return
    if state.settings.project is not None:
        return  # depends on other files too
    result = CheckResult(list(fixed.remaining), fixed.syntax_error, list(fixed.noqa_warnings))
    cache.store(cache.key(digest, state.settings, state.module), result)


def _has_fixes(result: CheckResult, unsafe: bool) -> bool:
    return any(d.fix is not None and d.fix.is_applicable(unsafe=unsafe) for d in result.diagnostics)


def _noqa_warnings(state: FileState, warnings: list[NoqaWarning], console: Console) -> None:
    for warning in warnings:
        console.warn(f"{state.display}:{warning.line}:{warning.column + 1}: {warning.message}")


def _record_check(state: FileState, result: CheckResult, console: Console) -> None:
    _noqa_warnings(state, result.noqa_warnings, console)
    violations = [Violation.from_diagnostic(d) for d in result.diagnostics]
    if result.syntax_error is not None:
        violations.append(Violation.syntax_error(result.syntax_error))
    state.report.violations.extend(violations)


def _record_fix(state: FileState, result: FixResult, mode: Mode, console: Console) -> None:
    _noqa_warnings(state, result.noqa_warnings, console)
    if result.rejected:
        problem = compile_error(state.source.text) if state.source is not None else None
        if problem is not None:
            # Nothing to report upstream: no fix could have compiled.
            console.warn(
                f"{state.display}: not fixed: the file does not compile as it is ({problem})"
            )
        else:
            console.warn(
                f"{state.display}: the fixes for {', '.join(result.rejected)} would have made "
                "the file invalid Python; that pass was not applied (please report this)"
            )
    if result.non_converging:
        console.warn(
            f"{state.display}: fixes for {', '.join(result.non_converging)} did not converge "
            f"after repeated passes; the last valid result is kept"
        )
    violations = [Violation.from_diagnostic(d) for d in result.remaining]
    if result.syntax_error is not None:
        violations.append(Violation.syntax_error(result.syntax_error))
    state.report.violations.extend(violations)
    state.report.fixed = result.applied
    if mode is Mode.DIFF:
        state.report.fixed_source = result.source
    else:
        # Positions of what remains refer to the fixed text.
        state.report.source = result.source


def _add_noqa(states: list[FileState], console: Console, *, quiet: bool) -> int:
    """``--add-noqa``: a directive for every finding, written as ``--fix`` writes."""
    from lint_plugin.noqa_placement import add_noqa

    added = 0
    for state in states:
        source = state.source
        findings = [(v.start.line, v.code) for v in state.report.violations if v.code]
        if source is None or not findings:
            continue
        addition = add_noqa(source.text, findings)
        for skipped in addition.skipped:
            console.warn(f"{state.display}:{skipped.line}: no noqa added: {skipped.reason}")
        if not addition.added:
            continue
        if compile_error(addition.text) is not None and compile_error(source.text) is None:
            console.error(f"{state.display}: adding noqa comments would break it; not written")
            continue
        try:
            if digest_file(state.path) != source.digest:
                raise SourceError("the file changed on disk while it was being checked")
            write_safely(state.path, encode_source(addition.text, source.encoding))
        except SourceError as exc:
            console.warn(f"{state.display}: noqa comments not written: {exc.message}")
            continue
        except OSError as exc:
            console.error(f"{state.display}: noqa comments not written: {exc.strerror or exc}")
            continue
        added += addition.added
    if not quiet:
        print(f"Added {added} noqa directive{'' if added == 1 else 's'}.", file=sys.stderr)
    return EXIT_ERROR if console.errors else EXIT_CLEAN


def compile_error(text: str) -> str | None:
    """Why ``text`` does not compile (some errors only the compiler raises), or None."""
    try:
        compile(text, "<file>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg}" if exc.lineno else exc.msg
    except (ValueError, RecursionError, MemoryError) as exc:
        return str(exc) or type(exc).__name__
    return None


def _write_fixes(states: list[FileState], cache: Cache | None, console: Console) -> None:
    blocked = _unwritable_units(states)
    written: dict[Path, FileState] = {}
    for state in states:
        source, report = state.source, state.report
        if source is None or not report.fixed or report.source is None:
            continue
        try:
            data = encode_source(report.source, source.encoding)
            # Re-read right before replacing: an editor or another tool may have written
            # the file while it was being checked; their change wins.
            if digest_file(state.path) != source.digest:
                raise SourceError("the file changed on disk while it was being checked")
            if state.path.resolve() in blocked:
                raise SourceError(blocked[state.path.resolve()])
            write_safely(state.path, data)
        except SourceError as exc:
            console.warn(f"{state.display}: fixes not written: {exc.message}")
            _revert(state, console)
            continue
        except OSError as exc:
            # The user asked for the file to be written and it was not: an error (exit 2).
            console.error(f"{state.display}: fixes not written: {exc.strerror or exc}")
            _revert(state, console)
            why = f"its fixes go with those of {state.display}, which could not be written"
            blocked.update(dict.fromkeys(state.tied, why))
            for path in state.tied & written.keys():
                _unwrite(written.pop(path), why, console)
            continue
        if state.tied:
            written[state.path.resolve()] = state
        if cache is not None and state.module is None:
            # (A fixed file that may call serve() may now pass imported callbacks.)
            _store_fix_result(cache, state, hashlib.sha256(data).hexdigest())


def _unwritable_units(states: list[FileState]) -> dict[Path, str]:
    """The files of a unit spanning modules (``state.tied``) that must not be written, and
    why: another file of the unit cannot be (it changed on disk, or cannot be encoded)."""
    blocked: dict[Path, str] = {}
    for state in states:
        source, report = state.source, state.report
        if not state.tied or source is None or not report.fixed or report.source is None:
            continue
        try:
            encode_source(report.source, source.encoding)
            fine = digest_file(state.path) == source.digest
        except SourceError:
            fine = False
        if not fine:
            why = f"its fixes go with those of {state.display}, which cannot be written"
            blocked.update(dict.fromkeys(state.tied - {state.path.resolve()}, why))
    return blocked


def _unwrite(state: FileState, why: str, console: Console) -> None:
    """Put back a file of a unit spanning modules that another file of it failed."""
    assert state.source is not None
    try:
        write_safely(state.path, encode_source(state.source.text, state.source.encoding))
    except (OSError, SourceError) as exc:
        console.error(f"{state.display}: fixes written but {why}; restoring it failed: {exc}")
        return
    console.warn(f"{state.display}: fixes not written: {why}")
    _revert(state, console)


def _revert(state: FileState, console: Console) -> None:
    """Nothing was written: report the file as it is on disk."""
    assert state.source is not None and state.settings is not None
    state.report.fixed = Counter()
    state.report.source = state.source.text
    state.report.violations.clear()
    result = check_source(state.source.text, filename=state.display, settings=state.settings)
    _record_check(state, result, Console(quiet=True))


def _verbose_summary(
    console: Console,
    found: Found,
    checked: list[FileState],
    cache: Cache | None,
    options: Options,
    start: Path,
    started: float,
) -> None:
    if not console.verbose:
        return
    targets = {
        describe_target(s.settings.target_version, s.settings.target_version_source): None
        for s in checked
        if s.settings is not None
    }
    if not targets:
        targets[describe_target(*options.target_for(start))] = None
    for line in targets:
        console.info(line)
    hits = sum(s.cached for s in checked)
    files = len(found.states) + len(found.others)
    console.info(
        f"files: {files} found, {len(checked)} mention {'/'.join(options.modules)}, "
        f"{len(checked) - hits} linted, cached: {hits}"
    )
    console.info(f"done in {time.perf_counter() - started:.2f}s")
