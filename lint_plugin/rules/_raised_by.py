"""Where the exception an ``except`` clause catches comes from.

Renaming ``except InvalidStatusCode`` to ``InvalidStatus`` is right only where the client
raising it moves to the new implementation with the rename: a ``connect()`` of this module
(or the threading client's, which raises ``InvalidStatus`` already).
When the calls raising into the clause are elsewhere (another module's client, held back
or not; another package's client, still legacy), the legacy client keeps raising
``InvalidStatusCode`` and the renamed clause stops catching it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from lint_plugin import names
from lint_plugin.astwalk import walk
from lint_plugin.context import Context
from lint_plugin.semantic.syntax import TRY_NODES, caught_names

#: Arguments only the legacy client takes: given to a call that is not websockets'
#: ``connect()``, they make it another package's wrapper of the legacy client
#: (``websockets_proxy.proxy_connect(..., extra_headers=...)``).
LEGACY_CLIENT_KEYWORDS = frozenset({"extra_headers", "create_protocol", "legacy_recv", "klass"})


def catching_handler(ctx: Context, node: ast.AST) -> ast.ExceptHandler | None:
    """The ``except`` clause whose type holds ``node``, or whose bound name ``node`` reads an
    attribute of (``err.status_code``); ``None`` elsewhere."""
    bound = (
        node.value.id
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
        else None
    )
    child: ast.AST = node
    parent = ctx.model.parent(node)
    while parent is not None:
        if isinstance(parent, ast.ExceptHandler):
            if child is parent.type or (bound is not None and parent.name == bound):
                return parent
            if bound is None:
                return None
        child, parent = parent, ctx.model.parent(parent)
    return None


def outside_reason(ctx: Context, handler: ast.ExceptHandler) -> str | None:
    """Why what ``handler`` catches may be raised by a client the fix does not move; ``None``
    when a ``connect()`` of this module is called in its ``try`` (directly, or through the
    module's functions it calls) and no other client is."""
    cache = ctx.cache.get("raised_by")
    if not isinstance(cache, dict):
        cache = ctx.cache["raised_by"] = {}
    if id(handler) not in cache:
        cache[id(handler)] = _outside_reason(ctx, handler)
    reason: str | None = cache[id(handler)]
    return reason


def _outside_reason(ctx: Context, handler: ast.ExceptHandler) -> str | None:
    statement = ctx.model.parent(handler)
    if not isinstance(statement, TRY_NODES):
        return "it is not caught around a `connect()` of this module"
    body: list[ast.stmt] = statement.body  # type: ignore[attr-defined]
    connects, reason = _calls(ctx, body)
    if reason is not None or connects:
        return reason
    return (
        "no `connect()` of this module is called in this `try`: the client raising it is"
        " elsewhere and may still run the legacy implementation"
    )


def _calls(ctx: Context, roots: Sequence[ast.AST]) -> tuple[bool, str | None]:
    """Whether ``roots`` call a ``connect()`` of the module, directly or through the
    module's functions they call (``f()``, ``self.f()``), and why another client may raise
    there. What each function calls itself is read once per module; what it reaches, per
    question (calls may form cycles)."""
    connects, reason, callees = _direct(ctx, roots)
    seen: set[int] = set()
    todo = list(callees)
    while todo and reason is None:
        function = todo.pop()
        if id(function) in seen:
            continue
        seen.add(id(function))
        facts = ctx.cache.get(f"raised_by:{id(function)}")
        if not isinstance(facts, tuple):
            facts = ctx.cache[f"raised_by:{id(function)}"] = _direct(ctx, [function])
        called, reason, more = facts
        connects = connects or called
        todo.extend(more)
    return connects, reason


def _direct(ctx: Context, roots: Sequence[ast.AST]) -> tuple[bool, str | None, list[ast.AST]]:
    """What ``roots`` call themselves: a ``connect()`` of the module, a legacy client of
    another package (why), and the module's functions."""
    sites = ctx.cache.get("raised_by:sites")
    if not isinstance(sites, dict):
        # Every websockets call: its legacy arguments are the rules' concern, not a wrapper's.
        sites = ctx.cache["raised_by:sites"] = {
            id(site.node): site.family == "connect" for site in ctx.model.call_sites
        }
    connects = False
    callees: list[ast.AST] = []
    for root in roots:
        for inner in walk(root):
            if not isinstance(inner, ast.Call):
                continue
            if id(inner) in sites:
                connects = connects or sites[id(inner)]
                continue
            qualname = ctx.model.qualified_name(inner.func)
            if qualname is not None and qualname.canonical in names.THREADING_CLIENT:
                connects = True  # the threading client raises the new exceptions already
                continue
            legacy = sorted({k.arg for k in inner.keywords if k.arg in LEGACY_CLIENT_KEYWORDS})
            if legacy:
                return (
                    connects,
                    (
                        f"`{ctx.text(inner.func)}()` passes `{legacy[0]}=`: another client, still"
                        " on the legacy implementation, raises into this `except`"
                    ),
                    callees,
                )
            func = inner.func
            # A function of the module, or a method of the same class: what the model can
            # tell without inference (``ws.recv()`` may name any class's method).
            if isinstance(func, ast.Name) or (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id in ("self", "cls")
            ):
                callees.extend(t.function for t in ctx.model.resolve_callable(func, infer=False))
    return connects, None, callees


#: What an ``except`` clause catching every exception names.
BROAD = frozenset({"Exception", "BaseException"})


def broad_reads(ctx: Context, attribute: str) -> Iterator[tuple[str, ast.Attribute]]:
    """``(exc, exc.<attribute>)`` read in an ``except Exception as exc`` clause whose ``try``
    calls a ``connect()`` of the module (directly, or through the module's functions): what
    the legacy client raised had the attribute, what the new one raises may not."""
    for handler in ctx.model.nodes_of(ast.ExceptHandler):
        if not isinstance(handler, ast.ExceptHandler) or not handler.name:
            continue
        if not caught_names(handler.type) & BROAD:
            continue
        statement = ctx.model.parent(handler)
        if not isinstance(statement, TRY_NODES):
            continue
        reads = [
            node
            for node in walk(handler)
            if isinstance(node, ast.Attribute)
            and node.attr == attribute
            and isinstance(node.value, ast.Name)
            and node.value.id == handler.name
            and isinstance(node.ctx, ast.Load)
        ]
        if reads and _calls(ctx, statement.body)[0]:  # type: ignore[attr-defined]
            for read in reads:
                yield handler.name, read
