"""Migrating a ``BasicAuthWebSocketServerProtocol`` subclass to ``basic_auth(...)``.

A subclass that customises only what ``basic_auth(realm, credentials, check_credentials)``
expresses (a ``realm`` string and an ``async def check_credentials(self, username,
password)`` that uses nothing of ``self``), passed only as ``create_protocol=`` / ``klass=``
to ``serve()`` calls that have no ``process_request=``, becomes a module-level coroutine
function, and each argument passing it becomes ``process_request=basic_auth(realm=...,
check_credentials=<function>)``. WSU304 (the class), WSU404 / WSU405 (the arguments) and
WSU411 (the override) offer the same edits, so that they are one migration. Anything else
keeps the subclass, with the reason.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from typing import cast

from lint_plugin import names
from lint_plugin.context import Context
from lint_plugin.docstrings import is_docstring
from lint_plugin.model import Edit, Position
from lint_plugin.rules._edits import references
from lint_plugin.rules._rewrites_response import text_with_edits
from lint_plugin.scopes import positional_params

BASIC_AUTH_CLASSES = frozenset(
    f"{names.ROOT}.{path}"
    for path in (
        "legacy.auth.BasicAuthWebSocketServerProtocol",
        "auth.BasicAuthWebSocketServerProtocol",
        "BasicAuthWebSocketServerProtocol",
    )
)
METHOD = "check_credentials"
#: Members of the legacy class that the new connection lacks: reading them anywhere
#: (``websocket.realm`` in the handler) needs the class.
_CLASS_MEMBERS = frozenset({"realm", METHOD})


@dataclass(frozen=True)
class BasicAuthMigration:
    edits: tuple[Edit, ...]
    """Empty when the subclass needs a hand edit."""
    reason: str | None = None
    """Why it does, then."""


class _Refused(Exception):
    """The subclass has no automatic migration; the message says why."""


def is_basic_auth_subclass(ctx: Context, cls: ast.ClassDef) -> bool:
    base = ctx.model.legacy_base(cls)
    qualname = ctx.qualified_name(base) if base is not None else None
    return qualname is not None and qualname.canonical in BASIC_AUTH_CLASSES


def basic_auth_migration(ctx: Context, cls: ast.ClassDef) -> BasicAuthMigration:
    cache = cast(dict[int, BasicAuthMigration], ctx.cache.setdefault("basic_auth_subclasses", {}))
    if id(cls) not in cache:
        try:
            cache[id(cls)] = BasicAuthMigration(_edits(ctx, cls))
        except _Refused as refused:
            cache[id(cls)] = BasicAuthMigration((), str(refused))
    return cache[id(cls)]


def _edits(ctx: Context, cls: ast.ClassDef) -> tuple[Edit, ...]:
    name = cls.name
    if cls.decorator_list or cls.keywords or len(cls.bases) != 1:
        raise _Refused(f"`{name}` has decorators, a metaclass or several bases")
    if ctx.model.parent(cls) is not ctx.tree or cls.col_offset != 0:
        raise _Refused(f"`{name}` is not defined at module level")
    realm, method = _members(ctx, cls)
    _check_method(cls, method)
    keywords = _passed_to_serve(ctx, cls)
    _check_outside_reads(ctx, cls)
    imported = ctx.import_edit("asyncio.server", "basic_auth")
    if imported is None:
        raise _Refused("`basic_auth` means something else in this module")
    basic_auth, import_edit = imported
    function = _function_name(ctx, cls)
    params = positional_params(method.args)
    without_self = Edit(ctx.start(params[0]), ctx.start(params[1]), "")
    text = textwrap.dedent(" " * method.col_offset + text_with_edits(ctx, method, [without_self]))
    text = re.sub(rf"\bdef {METHOD}\(", f"def {function}(", text, count=1)
    text = "".join(f"{comment}\n" for comment in _comments(ctx, cls)) + text
    edits = [Edit(Position(cls.lineno, 0), ctx.end(cls), text)]
    arguments = f"check_credentials={function}"
    if realm is not None:
        arguments = f"realm={ctx.text(realm)}, {arguments}"
    edits.extend(
        ctx.replace(keyword, f"process_request={basic_auth}({arguments})") for keyword in keywords
    )
    if import_edit is not None:
        edits.append(import_edit)
    return tuple(sorted(edits, key=lambda e: (e.start, e.end)))


def _members(
    ctx: Context, cls: ast.ClassDef
) -> tuple[ast.expr | None, ast.AsyncFunctionDef | ast.FunctionDef]:
    """The ``realm`` value and the ``check_credentials`` override."""
    realm: ast.expr | None = None
    method: ast.AsyncFunctionDef | ast.FunctionDef | None = None
    for stmt in cls.body:
        if is_docstring(stmt) or isinstance(stmt, ast.Pass):
            continue
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == METHOD:
            method = stmt
            continue
        target, value = _assignment(stmt)
        if target == "realm" and realm is None and value is not None:
            realm = value
            continue
        what = target or getattr(stmt, "name", None)
        if what is None:
            raise _Refused(f"`{cls.name}` has code other than `realm` and `{METHOD}`")
        raise _Refused(f"`{cls.name}` defines `{what}`, which `basic_auth()` cannot express")
    if method is None:
        raise _Refused(f"`{cls.name}` does not override `{METHOD}` (the legacy one refuses all)")
    if realm is not None and not (isinstance(realm, ast.Constant) and isinstance(realm.value, str)):
        # Evaluated when the class is defined; moved into the call, it would be evaluated
        # where that runs, maybe with other values in scope.
        raise _Refused(f"`{cls.name}.realm` is not a string literal")
    return realm, method


def _comments(ctx: Context, cls: ast.ClassDef) -> list[str]:
    """Whole-line comments of the class body outside its statements, kept above the
    function: the docstring goes with the class, what the comments say may still hold."""
    inside = {
        line
        for stmt in cls.body
        for line in range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1)
    }
    lines = range(cls.lineno + 1, (cls.end_lineno or cls.lineno) + 1)
    return [
        ctx.lines[line - 1].strip()
        for line in lines
        if line not in inside and ctx.lines[line - 1].lstrip().startswith("#")
    ]


def _assignment(stmt: ast.stmt) -> tuple[str | None, ast.expr | None]:
    """The single name an assignment binds and its value (``realm: str = "ops"``)."""
    value: ast.expr | None
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target, value = stmt.targets[0], stmt.value
    elif isinstance(stmt, ast.AnnAssign):
        target, value = stmt.target, stmt.value
    else:
        return None, None
    return (target.id if isinstance(target, ast.Name) else None), value


def _check_method(cls: ast.ClassDef, method: ast.AsyncFunctionDef | ast.FunctionDef) -> None:
    where = f"`{cls.name}.{METHOD}`"
    if not isinstance(method, ast.AsyncFunctionDef) or method.decorator_list:
        # The legacy server awaits it: a plain ``def`` failed there and would work now.
        raise _Refused(f"{where} is not a plain `async def`")
    args = method.args
    params = positional_params(args)
    if len(params) != 3 or args.vararg or args.kwonlyargs or args.kwarg or args.defaults:
        raise _Refused(f"{where} does not take just `(self, username, password)`")
    own = params[0].arg
    for node in ast.walk(method):
        if isinstance(node, ast.Name) and node.id in {own, "super", "__class__"}:
            raise _Refused(f"{where} uses `{node.id}`; `basic_auth()` calls a plain function")
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            raise _Refused(f"{where} is a generator")


def _passed_to_serve(ctx: Context, cls: ast.ClassDef) -> list[ast.keyword]:
    """The ``create_protocol=`` / ``klass=`` arguments passing the class to ``serve()``."""
    binding = ctx.model.binding_made_by(cls)
    if binding is None or len(binding.scope.bindings.get(cls.name, ())) != 1:
        raise _Refused(f"`{cls.name}` is bound more than once")
    sites = {id(s.node): s for s in ctx.model.call_sites if s.family == "serve"}
    keywords = []
    for ref in references(ctx, binding):
        keyword = ctx.model.parent(ref)
        call = ctx.model.parent(keyword) if keyword is not None else None
        if not (
            isinstance(keyword, ast.keyword)
            and keyword.arg in {"create_protocol", "klass"}
            and isinstance(call, ast.Call)
            and id(call) in sites
        ):
            raise _Refused(
                f"`{cls.name}` is used at line {ref.lineno} other than as `create_protocol=` "
                "of `serve()`"
            )
        for other in call.keywords:
            if other.arg is None or other.arg in {"process_request", "create_connection"}:
                passed = f"{other.arg}=" if other.arg else "**"
                raise _Refused(
                    f"`serve()` at line {call.lineno} also passes `{passed}`; the legacy server "
                    "ran it after the authentication: compose them by hand"
                )
        keywords.append(keyword)
    if not keywords:
        raise _Refused(f"`{cls.name}` is not passed to `serve()` in this module")
    return keywords


def _check_outside_reads(ctx: Context, cls: ast.ClassDef) -> None:
    start, end = ctx.start(cls), ctx.end(cls)
    for node in ctx.nodes:
        if (
            isinstance(node, ast.Attribute)
            and node.attr in _CLASS_MEMBERS
            and not start <= ctx.start(node) <= end
        ):
            raise _Refused(
                f"`.{node.attr}` is read at line {node.lineno}; the new connection has none"
            )


def _function_name(ctx: Context, cls: ast.ClassDef) -> str:
    """``check_credentials``, unless the module uses that name for something else."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.name).lower()
    name = METHOD
    if not _free(ctx, cls, name):
        name = f"{snake}_{METHOD}"
    while not _free(ctx, cls, name):
        name += "_"
    return name


def _free(ctx: Context, cls: ast.ClassDef, name: str) -> bool:
    if any(isinstance(node, ast.Name) and node.id == name for node in ctx.nodes):
        return False
    return not any(
        name in scope.bindings for key, scope in ctx.model.scopes.items() if key != id(cls)
    )
