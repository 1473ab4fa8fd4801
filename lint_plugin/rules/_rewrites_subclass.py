"""Migrating a legacy protocol subclass passed as ``create_protocol=`` / ``klass=``.

Three shapes have an automatic migration; anything else is left for a hand edit:

- *rebase*: the subclass overrides only public methods that keep their meaning on the
  new connection classes (``send``, ``recv``, ``close``, ...) and adds its own members:
  its base becomes ``ClientConnection`` / ``ServerConnection`` and the calls pass it as
  ``create_connection=``;
- *callbacks*: a server subclass that only overrides ``process_request`` and/or
  ``select_subprotocol``: each becomes a module-level function (``self`` is the
  connection) passed to ``serve()``, and the class goes;
- *basic_auth*: a ``BasicAuthWebSocketServerProtocol`` subclass setting only ``realm`` and
  ``check_credentials`` becomes ``process_request=basic_auth(...)``
  (``_rewrites_basic_auth``).

Every rule reporting a part of the migration (WSU304 on the class, WSU404 / WSU405 on the
arguments, WSU302 / WSU303 on the overrides) offers the same edits, so that applying any
of them applies the whole migration once.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from typing import Literal, cast

from lint_plugin import names
from lint_plugin.context import Context
from lint_plugin.docstrings import is_docstring
from lint_plugin.model import Edit, Position
from lint_plugin.rules._edits import references, rename_keyword
from lint_plugin.rules._rewrites_basic_auth import BASIC_AUTH_CLASSES, basic_auth_migration
from lint_plugin.rules._rewrites_process_request import process_request_edits
from lint_plugin.rules._rewrites_response import text_with_edits
from lint_plugin.rules._signatures import rename_params
from lint_plugin.scopes import positional_params
from lint_plugin.semantic import Callback

#: Legacy class (last dotted part) -> (side, new class).
NEW_CLASSES = {
    "WebSocketServerProtocol": ("server", "ServerConnection"),
    "WebSocketClientProtocol": ("client", "ClientConnection"),
}
NEW_CONNECTION_CLASSES = frozenset(
    f"{names.ROOT}.{module}{cls}"
    for cls in ("ServerConnection", "ClientConnection")
    for module in ("", f"asyncio.{cls[:6].lower()}.")
)
#: Public methods whose meaning is the same on the new connection classes.
KEPT_METHODS = frozenset({"send", "recv", "close", "ping", "pong", "wait_closed"})
CALLBACK_METHODS = ("process_request", "select_subprotocol")
#: Members of the legacy classes that the new ones lack or define differently.
LEGACY_MEMBERS = frozenset(
    {
        "path",
        "request_headers",
        "response_headers",
        "host",
        "port",
        "secure",
        "open",
        "closed",
        "close_code",
        "close_reason",
        "ws_handler",
        "ws_server",
        "handshake",
        "process_request",
        "select_subprotocol",
        "process_origin",
        "process_extensions",
        "process_subprotocol",
        "read_http_request",
        "write_http_response",
        "read_http_response",
        "write_http_request",
        "connection_made",
        "connection_lost",
        "data_received",
        "eof_received",
        "connection_open",
        "check_credentials",
        "available_subprotocols",
        "extra_headers",
        "messages",
        "transfer_data_task",
        "close_connection_task",
        "keepalive_ping_task",
        "fail_connection",
        "ensure_open",
        "read_message",
        "read_data_frame",
        "read_frame",
        "write_frame",
        "reader",
        "loop",
        "legacy_recv",
        "timeout",
        "max_queue",
        "read_limit",
        "write_limit",
        "is_client",
        "side",
        "state",
    }
)


PLAN_TITLES = {
    "rebase": "Rebase the subclass onto the new connection class, passed as `create_connection=`",
    "callbacks": "Turn the overrides into functions passed to `serve()`",
    "basic_auth": "Replace the subclass with `process_request=basic_auth(...)`",
}


@dataclass(frozen=True)
class SubclassPlan:
    kind: Literal["rebase", "callbacks", "basic_auth"]
    edits: tuple[Edit, ...]


def subclass_plan(ctx: Context, cls: ast.ClassDef) -> SubclassPlan | None:
    cache = cast(dict[int, "SubclassPlan | None"], ctx.cache.setdefault("subclass_plans", {}))
    if id(cls) not in cache:
        cache[id(cls)] = _plan(ctx, cls)
    return cache[id(cls)]


def plan_for_argument(
    ctx: Context, value: ast.expr | None, keyword: ast.AST
) -> SubclassPlan | None:
    """The plan of the local class passed as ``create_protocol=`` / ``klass=``; for a
    class already based on a new connection class (code half migrated by hand), just
    the keyword's new name."""
    if value is None:
        return None
    cls = ctx.model.local_class(value)
    if cls is None:
        return None
    if _is_new_connection_class(ctx, cls) and isinstance(keyword, ast.keyword):
        call = ctx.model.parent(keyword)
        if isinstance(call, ast.Call) and not any(
            k.arg is None or k.arg == "create_connection" for k in call.keywords
        ):
            return SubclassPlan("rebase", (rename_keyword(ctx, keyword, "create_connection"),))
        return None
    return subclass_plan(ctx, cls)


def _is_new_connection_class(ctx: Context, cls: ast.ClassDef) -> bool:
    for base in cls.bases:
        qualname = ctx.qualified_name(base)
        if qualname is not None and qualname.canonical in NEW_CONNECTION_CLASSES:
            return True
        local = ctx.model.local_class(base)
        if local is not None and local is not cls and _is_new_connection_class(ctx, local):
            return True
    return False


def override_edits(ctx: Context, callback: Callback) -> tuple[Edit, ...] | None:
    """The whole migration of the subclass a callback override belongs to, if any."""
    cls = ctx.model.enclosing_class(callback.target.function)
    plan = subclass_plan(ctx, cls) if cls is not None else None
    return plan.edits if plan is not None and plan.kind == "callbacks" else None


def _plan(ctx: Context, cls: ast.ClassDef) -> SubclassPlan | None:
    if cls.decorator_list or cls.keywords or len(cls.bases) != 1:
        return None
    if ctx.model.parent(cls) is not ctx.tree or cls.col_offset != 0:
        return None
    base = cls.bases[0]
    qualname = ctx.qualified_name(base)
    if qualname is None:
        return None
    if qualname.canonical in BASIC_AUTH_CLASSES:
        edits = basic_auth_migration(ctx, cls).edits
        return SubclassPlan("basic_auth", edits) if edits else None
    legacy_name = qualname.canonical.rpartition(".")[2]
    if legacy_name not in NEW_CLASSES or ".auth." in qualname.canonical:
        return None
    side, new_class = NEW_CLASSES[legacy_name]
    uses = _uses(ctx, cls, side)
    if uses is None:
        return None
    overridden = [
        stmt.name
        for stmt in cls.body
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
        and stmt.name in CALLBACK_METHODS
    ]
    if overridden:
        return _callbacks_plan(ctx, cls, side, uses)
    return _rebase_plan(ctx, cls, base, new_class, uses)


def _uses(ctx: Context, cls: ast.ClassDef, side: str) -> list[ast.keyword] | None:
    """The ``create_protocol=`` / ``klass=`` keywords passing the class to calls of its
    side; ``None`` when the class is used in any other way."""
    binding = ctx.model.binding_made_by(cls)
    if binding is None or len(binding.scope.bindings.get(cls.name, ())) != 1:
        return None
    family = "serve" if side == "server" else "connect"
    keywords = []
    for ref in references(ctx, binding):
        keyword = ctx.model.parent(ref)
        call = ctx.model.parent(keyword) if keyword is not None else None
        if not (
            isinstance(keyword, ast.keyword)
            and keyword.arg in {"create_protocol", "klass"}
            and isinstance(call, ast.Call)
            and any(s.node is call and s.family == family for s in ctx.model.call_sites)
        ):
            return None
        if any(k.arg is None or k.arg == "create_connection" for k in call.keywords):
            return None
        keywords.append(keyword)
    return keywords or None


def _self_reads(method: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str] | None:
    params = positional_params(method.args)
    if not params:
        return None
    name = params[0].arg
    return {
        node.attr
        for node in ast.walk(method)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == name
    }


def _rebase_plan(
    ctx: Context, cls: ast.ClassDef, base: ast.expr, new_class: str, uses: list[ast.keyword]
) -> SubclassPlan | None:
    # The base is renamed where the import is: the import fix renames the same reference
    # to the same name, so the edits coincide.
    binding = ctx.model.binding_of(base) if isinstance(base, ast.Name) else None
    if binding is None or binding.kind != "import" or not isinstance(binding.node, ast.alias):
        return None
    if binding.node.asname is not None or not isinstance(
        ctx.model.parent(binding.node), ast.ImportFrom
    ):
        return None
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if stmt.decorator_list or stmt.name.startswith("__"):
                return None
            if stmt.name in LEGACY_MEMBERS:
                return None
            reads = _self_reads(stmt)
            if reads is None or reads & LEGACY_MEMBERS:
                return None
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if any(
                not isinstance(t, ast.Name) or t.id in LEGACY_MEMBERS or t.id in KEPT_METHODS
                for t in targets
            ):
                return None
        elif not (is_docstring(stmt) or isinstance(stmt, ast.Pass)):
            return None
    edits = [ctx.replace(base, new_class)]
    edits.extend(rename_keyword(ctx, keyword, "create_connection") for keyword in uses)
    return SubclassPlan("rebase", tuple(sorted(edits, key=lambda e: (e.start, e.end))))


def _callbacks_plan(
    ctx: Context, cls: ast.ClassDef, side: str, uses: list[ast.keyword]
) -> SubclassPlan | None:
    if side != "server" or any(k.arg != "create_protocol" for k in uses):
        return None
    functions: list[str] = []
    passed: list[str] = []
    for stmt in cls.body:
        if is_docstring(stmt) or isinstance(stmt, ast.Pass):
            continue
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        if stmt.decorator_list or stmt.name not in CALLBACK_METHODS:
            return None
        text = _function_text(ctx, stmt)
        if text is None:
            return None
        name = _function_name(ctx, cls, stmt.name)
        text = re.sub(rf"\bdef {stmt.name}\(", f"def {name}(", text, count=1)
        functions.append(text)
        passed.append(f"{stmt.name}={name}")
    for keyword in uses:
        call = ctx.model.parent(keyword)
        assert isinstance(call, ast.Call)
        if any(k.arg in CALLBACK_METHODS for k in call.keywords):
            return None
    # The class becomes the functions. Its base is renamed by the import fix in the same
    # pass, so that reference is kept: it becomes the annotation of the first function's
    # connection parameter.
    text = "\n\n\n".join(functions)
    marker = "(connection"
    split = text.find(marker)
    if split < 0:
        return None
    split += len(marker)
    base = cls.bases[0]
    edits = [
        Edit(Position(cls.lineno, 0), ctx.start(base), text[:split] + ": "),
        Edit(ctx.end(base), ctx.end(cls), text[split:]),
    ]
    for keyword in uses:
        before = ctx.lines[keyword.lineno - 1][: ctx.start(keyword).column]
        separator = f",\n{before}" if not before.strip() else ", "
        edits.append(ctx.replace(keyword, separator.join(passed)))
    return SubclassPlan("callbacks", tuple(sorted(edits, key=lambda e: (e.start, e.end))))


def _function_text(ctx: Context, method: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The method rewritten as a module-level function (not yet renamed)."""
    params = positional_params(method.args)
    if len(params) != 3 or method.args.vararg or method.args.kwonlyargs:
        return None
    self_param, first, second = params
    edits: list[Edit] | None
    if method.name == "process_request":
        edits = process_request_edits(ctx, method, [first, second], self_param)
    else:
        edits = rename_params(
            ctx,
            method,
            params,
            ("connection", "subprotocols"),
            {self_param.arg: "connection", first.arg: "subprotocols", second.arg: None},
            annotated={"subprotocols": first},
        )
    if edits is None:
        return None
    text = " " * method.col_offset + text_with_edits(ctx, method, edits)
    return textwrap.dedent(text)


def _function_name(ctx: Context, cls: ast.ClassDef, method: str) -> str:
    used = ctx.used_names((ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef), top_level=True)
    if method not in used and not ctx.binds(method):
        return method
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.name).lower()
    name = f"{snake}_{method}"
    while name in used:
        name += "_"
    return name
