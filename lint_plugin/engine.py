"""The one pipeline every front end calls: source -> parse -> model -> rules -> diagnostics."""

from __future__ import annotations

import ast
import gc
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from lint_plugin.model import Diagnostic
from lint_plugin.noqa import NoqaWarning, parse_noqa
from lint_plugin.settings import Settings, Version
from lint_plugin.upgrade import awaiting_upgrade, held_once_upgraded

if TYPE_CHECKING:
    from lint_plugin.context import Context
    from lint_plugin.spec import Rule
    from lint_plugin.units import Outcome

log = logging.getLogger("lint_plugin")

#: Checks a module in segments (``segments.analyse``'s shape): ``None`` to check it whole.
Segmented = Callable[[str, str, Settings], "Outcome | None"]
Inspect = Callable[["Context | None"], None]
"""Given the context before the rules run; ``None`` for a large module's segment checked
in a worker process, which gave it the segment's context there (``segment_pool``)."""


@dataclass(frozen=True)
class SyntaxProblem:
    line: int
    column: int
    message: str


@dataclass
class CheckResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    syntax_error: SyntaxProblem | None = None
    noqa_warnings: list[NoqaWarning] = field(default_factory=list)
    skipped: bool = False
    """True when the prefilter found no mention of a target module: nothing was parsed."""
    mixed: Counter[str] = field(default_factory=Counter)
    """Legacy uses left on code that runs on the new implementation, by code: a fix pass
    that adds some is rejected (``lint_plugin.units``)."""


@lru_cache(maxsize=16)
def _mention_re(modules: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(m) for m in sorted(modules, key=len, reverse=True))
    return re.compile(rf"\b(?:{names})\b")


def mentions_target(source: str, modules: Iterable[str]) -> bool:
    """Cheap test run before parsing: does the text mention a target module at all?"""
    modules = tuple(modules)
    # A plain substring scan rejects most files several times faster than the regex.
    if not any(module in source for module in modules):
        return False
    return _mention_re(modules).search(source) is not None


def check_tree(tree: ast.Module, source: str, settings: Settings) -> list[Diagnostic]:
    """Run every enabled rule over a parsed module (see ``analyse_tree``)."""
    with collector_paused():
        return analyse_tree(tree, source, settings).diagnostics


def analyse_tree(
    tree: ast.Module,
    source: str,
    settings: Settings,
    inspect: Inspect | None = None,
) -> Outcome:
    """Run every enabled rule over a parsed module; group the fixes in migration units.

    The target version never switches a rule off: below the version a rule's replacement
    needs, its findings are reported with that version named and their fix display-only.
    ``inspect`` is given the context before the rules run (when some rule is enabled).
    """
    from lint_plugin import units
    from lint_plugin.context import Context
    from lint_plugin.rules import ALL_RULES

    rules = [
        rule
        for rule in ALL_RULES
        if settings.is_enabled(rule.spec.code)
        and (rule.spec.default_enabled or settings.explicitly_selects(rule.spec.code))
    ]
    if not rules:
        return units.Outcome([])
    ctx = Context(
        tree, source, settings, project=settings.project, module_name=settings.module_name
    )
    if inspect is not None:
        inspect(ctx)
    # Rules left out of the selection still see what holds a migration unit back.
    others = [r for r in ALL_RULES if r not in rules and r.spec.default_enabled]
    outcome = units.group(ctx, run_rules(ctx, rules), lambda: run_rules(ctx, others))
    # The units dropped the edits of the fixes they hold back unbuilt; the others are built
    # now: a deferred fix's builder holds the whole model, which results must not keep.
    for diagnostic in outcome.diagnostics:
        if diagnostic.fix is not None:
            diagnostic.fix.build()
    return outcome


def run_rules(ctx: Context, chosen: Iterable[Rule]) -> list[Diagnostic]:
    """The findings of ``chosen`` on a module, once each, in report order; below the
    version a rule's fix needs, its findings say so."""
    target = ctx.settings.target_version
    found: dict[tuple[object, ...], Diagnostic] = {}
    for rule in chosen:
        for diagnostic in rule.check(ctx):
            if ctx.is_compat(diagnostic):
                continue
            if target < rule.spec.fix_from:
                diagnostic = awaiting_upgrade(diagnostic, rule.spec.fix_from, target)
            found.setdefault((diagnostic.code, diagnostic.start, diagnostic.end), diagnostic)
    return sorted(found.values(), key=lambda d: d.sort_key)


def check_source(
    source: str,
    *,
    filename: str = "<stdin>",
    settings: Settings | None = None,
    apply_noqa: bool = True,
    inspect: Inspect | None = None,
    segmented: Segmented | None = None,
    tree: ast.Module | None = None,
) -> CheckResult:
    """Lint one file's text. Never raises on bad input: a syntax error is reported.

    ``inspect`` is given the analysis context, model included, before the rules run:
    ``wsu check`` reads its project index from it instead of parsing the file again. A
    large module's segment checked in a worker process gives it its context there, and
    ``None`` here (``segment_pool``).
    ``segmented`` replaces ``segments.analyse`` (the language server's segment cache).
    ``tree`` is the text's tree when the caller parsed it already (a file no larger than
    ``segments.THRESHOLD``).
    """
    settings = settings or Settings()
    # A module the project index names (``wsu check``) may define another module's handler;
    # one naming a legacy subclass of another module of the project may use its instances.
    if (
        not mentions_target(source, settings.modules)
        and settings.project is None
        and not any(name in source for _, name in settings.legacy_classes)
    ):
        return CheckResult(skipped=True)
    with collector_paused():
        return _check_parsed(source, filename, settings, apply_noqa, inspect, segmented, tree)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run without the cyclic GC. Its full passes walk every live object, the whole tree
    and model included: run after each allocation burst, they make a large file's cost
    quadratic. The analysis makes few cycles; they are collected once it is done."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _check_parsed(
    source: str,
    filename: str,
    settings: Settings,
    apply_noqa: bool,
    inspect: Inspect | None = None,
    segmented: Segmented | None = None,
    tree: ast.Module | None = None,
) -> CheckResult:
    from lint_plugin import segments, units
    from lint_plugin.rules import wsu505_unused_noqa

    # A large module is checked a few statements at a time, when that gives the same.
    try:
        if segmented is not None:
            outcome = segmented(source, filename, settings)
        else:
            outcome = segments.analyse(source, filename, settings, inspect)
    except segments.Unparsed:
        # A whole parse that fails holds ~440 bytes a character (4.3 GB at 10 MB).
        from lint_plugin.parse_groups import first_syntax_error

        error = first_syntax_error(source, filename)
        if error is not None:
            return CheckResult(syntax_error=_syntax_problem(error))
        outcome = None
    if outcome is None:
        if tree is None:
            try:
                tree = ast.parse(source, filename=filename, type_comments=False)
            except SyntaxError as exc:
                return CheckResult(syntax_error=_syntax_problem(exc))
            except (ValueError, RecursionError, MemoryError) as exc:
                return CheckResult(syntax_error=SyntaxProblem(1, 0, unparseable(exc)))
        try:
            outcome = analyse_tree(tree, source, settings, inspect)
        except RecursionError:
            log.warning("%s: too deeply nested to analyse", filename)
            outcome = units.Outcome([])
    diagnostics = outcome.diagnostics
    result = CheckResult(diagnostics=diagnostics, mixed=outcome.mixed)
    if apply_noqa:
        directives, result.noqa_warnings = parse_noqa(source, compiles=True)
        result.diagnostics = [
            d
            for d in diagnostics
            if not ((directive := directives.get(d.start.line)) and directive.suppresses(d.code))
        ]
        kept = {id(d) for d in result.diagnostics}
        suppressed = [d for d in diagnostics if id(d) not in kept]
        result.diagnostics = units.held_by_noqa(result.diagnostics, suppressed)
        if wsu505_unused_noqa.enabled(settings):
            unused = wsu505_unused_noqa.report_unused_noqa(
                source, directives, diagnostics, settings
            )
            result.diagnostics = sorted(result.diagnostics + unused, key=lambda d: d.sort_key)

    def upgraded(version: Version) -> list[Diagnostic]:
        upgraded_settings = replace(settings, target_version=version)
        upgraded_check = _check_parsed(
            source, filename, upgraded_settings, apply_noqa, segmented=segmented
        )
        return upgraded_check.diagnostics

    result.diagnostics = held_once_upgraded(result.diagnostics, upgraded)
    return result


def unparseable(exc: Exception) -> str:
    """Why the parser gave up, for errors that are not a ``SyntaxError``."""
    if isinstance(exc, (RecursionError, MemoryError)):
        # The parser's own stack ran out: its MemoryError comes without a message.
        return "cannot parse: too deeply nested for Python's parser"
    # ValueError: a NUL byte in the source.
    return f"cannot parse: {exc}"


def _syntax_problem(exc: SyntaxError) -> SyntaxProblem:
    line = exc.lineno or 1
    # SyntaxError offsets are 1-based.
    column = max((exc.offset or 1) - 1, 0)
    return SyntaxProblem(line, column, f"SyntaxError: {exc.msg}")
