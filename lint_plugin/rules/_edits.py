"""Edit builders shared by several rules (imports, renames, argument removal)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import cast

from lint_plugin.astwalk import walk
from lint_plugin.context import Context, insertion_after
from lint_plugin.model import Edit, Position
from lint_plugin.scopes import Binding


def import_statement(ctx: Context, alias: ast.alias) -> ast.Import | ast.ImportFrom:
    parent = ctx.model.parent(alias)
    assert isinstance(parent, (ast.Import, ast.ImportFrom))
    return parent


def binding_for_alias(ctx: Context, alias: ast.alias) -> Binding | None:
    return ctx.model.binding_made_by(alias)


def references(ctx: Context, binding: Binding) -> list[ast.Name]:
    """Every read of the name bound by ``binding``: found once per binding (rules and units
    ask again for the same import or parameter); not to be modified."""
    known = cast("dict[int, list[ast.Name]]", ctx.cache.setdefault("references", {}))
    found = known.get(id(binding))  # the model keeps its bindings: ids are not reused
    if found is not None:
        return found
    # The module's scope is the whole tree: its index saves a walk per binding.
    candidates = (
        ctx.names_with_id(binding.name)
        if binding.scope.node is ctx.tree
        else walk(binding.scope.node)
    )
    found = known[id(binding)] = [
        node
        for node in candidates
        if isinstance(node, ast.Name)
        and node.id == binding.name
        and isinstance(node.ctx, ast.Load)
        and ctx.model.binding_of(node) is binding
    ]
    return found


def is_rebound(ctx: Context, binding: Binding) -> bool:
    """Is the name assigned again in its scope (so a rename would be unsound)?"""
    return len(binding.scope.bindings.get(binding.name, ())) > 1


def alias_text(alias: ast.alias, name: str) -> str:
    """``name`` imported under the alias's name. ``Old as New`` renamed to ``New`` is
    written ``New``; ``X as X`` as written (an explicit re-export, for type checkers)."""
    if alias.asname is None or alias.asname == name != alias.name:
        return name
    return f"{name} as {alias.asname}"


def move_from_import(
    ctx: Context, alias: ast.alias, root: str, new_module: str, new_name: str
) -> list[Edit] | None:
    """Import ``alias`` from ``new_module`` instead (renaming it to ``new_name``).

    When the bound name changes (no ``as``), every reference is renamed too (string
    annotations included); returns ``None`` when that cannot be done soundly.
    """
    statement = import_statement(ctx, alias)
    edits: list[Edit] = []
    if alias.asname is None and new_name != alias.name:
        binding = binding_for_alias(ctx, alias)
        if binding is None or is_rebound(ctx, binding) or ctx.binds(new_name):
            return None
        edits.extend(ctx.replace(ref, new_name) for ref in references(ctx, binding))
        renamed = rename_in_strings(ctx, alias.name, new_name, binding)
        if renamed is None:
            return None
        edits.extend(renamed)
    module = f"{root}.{new_module}" if new_module else root
    line = f"from {module} import {alias_text(alias, new_name)}"
    if isinstance(statement, ast.ImportFrom) and len(statement.names) == 1:
        edits.append(ctx.replace(statement, line))
        return edits
    removal = remove_list_item(ctx, statement.names, alias)
    if removal is None:
        return None
    indent = " " * statement.col_offset
    after = Position((statement.end_lineno or statement.lineno) + 1, 0)
    edits.append(removal)
    edits.append(Edit.insertion(after, f"{indent}{line}\n"))
    return edits


def remove_list_item(
    ctx: Context, items: list[ast.alias] | list[ast.AST], item: ast.AST
) -> Edit | None:
    """Delete ``item`` and its separating comma from a comma-separated list."""
    index = next((i for i, x in enumerate(items) if x is item), None)
    if index is None:
        return None
    if index + 1 < len(items):
        return Edit(ctx.start(item), ctx.start(items[index + 1]), "")
    if index > 0:
        return Edit(ctx.end(items[index - 1]), ctx.end(item), "")
    return None


def remove_argument(ctx: Context, call: ast.Call, keyword: ast.keyword) -> Edit | None:
    """Delete a keyword argument and one adjacent comma, keeping every comment."""
    ordered: list[ast.AST] = sorted(
        [*call.args, *call.keywords],
        key=lambda n: (n.lineno, n.col_offset),  # type: ignore[attr-defined]
    )
    index = next(i for i, x in enumerate(ordered) if x is keyword)
    start, end = ctx.start(keyword), ctx.end(keyword)
    line = ctx.lines[start.line - 1]
    rest = ctx.lines[end.line - 1][end.column :]
    if not line[: start.column].strip() and re.fullmatch(r"\s*,?\s*", rest):
        # Alone on its lines (``loop=loop,``): delete the lines.
        return Edit(Position(start.line, 0), Position(end.line + 1, 0), "")
    if index + 1 < len(ordered):
        return Edit(start, ctx.start(ordered[index + 1]), "")
    if index > 0:
        gap = Edit(ctx.end(ordered[index - 1]), end, "")
        between = ctx.text_between(gap.start, gap.end)
        return None if "#" in between else gap
    return ctx.replace(keyword, "")


def rename_keyword(ctx: Context, keyword: ast.keyword, new: str) -> Edit:
    start = ctx.start(keyword)
    assert keyword.arg is not None
    return Edit(start, Position(start.line, start.column + len(keyword.arg)), new)


def rename_string(ctx: Context, node: ast.Constant, new: str) -> Edit:
    quote = ctx.text(node)[:1] if ctx.text(node)[:1] in {"'", '"'} else '"'
    return ctx.replace(node, f"{quote}{new}{quote}")


def needs_parens(ctx: Context, node: ast.AST, *, conditional: bool = False) -> bool:
    """Would the replacement of ``node`` need parentheses here?

    The replacement is a comparison (``a is b``), or with ``conditional`` a conditional
    expression (``a if c else b``), which binds more loosely than ``and`` / ``or`` / ``not``.
    """
    if ctx.is_parenthesized(node):
        return False
    parent = ctx.model.parent(node)
    # Places that take any expression.
    if isinstance(parent, (ast.Return, ast.Expr, ast.keyword, ast.FormattedValue)):
        return False
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is node:
        return False
    if isinstance(parent, ast.Call) and node in parent.args:
        return False
    if conditional:
        return True
    # Places where a comparison needs no parentheses but a conditional would.
    if isinstance(parent, (ast.If, ast.While, ast.Assert, ast.IfExp)) and parent.test is node:
        return False
    if isinstance(parent, ast.BoolOp):
        return False
    return not (isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not))


def fstring_quote(ctx: Context, node: ast.AST) -> str | None:
    """The quote character of the f-string ``node`` sits in (a triple-quoted one counts
    as a single quote: both quote characters may be taken), or ``None`` outside one."""
    if not ctx.model.nodes_of(ast.JoinedStr):
        return None
    for ancestor in ctx.model.ancestors(node):
        if isinstance(ancestor, ast.JoinedStr):
            text = ctx.text(ancestor).lstrip("rRbBfFuU")
            return "'" if text[:3] in {TRIPLE_DOUBLE, TRIPLE_SINGLE} else text[:1]
        if isinstance(ancestor, ast.stmt):
            return None  # an f-string holds no statement
    return None


TRIPLE_DOUBLE = '"' * 3
TRIPLE_SINGLE = "'" * 3


def module_import_edit(
    ctx: Context, root: str, module: str, binding: ast.Import
) -> tuple[bool, Edit | None]:
    """``import root.module`` beside ``binding`` (the import binding the root name), unless
    its block already has it: with the module's other imports when ``binding`` is at the
    top level, else right after it (in a function, or under an ``ImportError`` guard).
    ``(False, None)`` when it cannot be placed there (``try: import websockets`` on one
    line). ``import websockets as ws`` in a function gets its module imported at the top
    level, as before: ``import websockets.x`` there would make ``websockets`` local to
    the whole function."""
    full = f"{root}.{module}"
    top = isinstance(ctx.model.parent(binding), ast.Module) or any(
        alias.asname for alias in binding.names
    )
    # The whole block: ``import websockets.asyncio.client`` also binds the root, so a fix
    # placing the import after each statement binding it must find one placed before.
    for stmt in ctx.tree.body if top else ctx.model.block_of(binding):
        if isinstance(stmt, ast.Import) and any(
            a.name == full and a.asname is None for a in stmt.names
        ):
            return True, None
    if top:
        return True, ctx.import_insertion(f"import {full}")
    if not ctx.starts_its_line(binding):
        return False, None
    return True, insertion_after(binding, f"import {full}")


def chain_fix(ctx: Context, node: ast.Attribute, root: str, new_path: str) -> list[Edit] | None:
    """Rewrite ``websockets.a.b`` to ``websockets.<new_path>`` (importing the module)."""
    new_module, _, new_name = new_path.rpartition(".")
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        current = current.value
    if not isinstance(current, ast.Name) or not _always_the_library(ctx, current):
        return None
    base = ctx.model.qualified_name(node.value)
    if base is not None and base.canonical.partition(".")[2] == new_module:
        return [ctx.replace(node, f"{ctx.text(node.value)}.{new_name}")]
    binding = ctx.model.binding_of(current)
    if binding is None or binding.kind != "import" or binding.imported != root:
        return None
    edits = [ctx.replace(node, f"{current.id}.{new_path}")]
    if new_module:
        # Beside every import binding the name (``try: import websockets`` / ``except:
        # install(); import websockets``): whichever ran, the module is imported too.
        for other in binding.scope.bindings.get(binding.name, ()):
            if other.kind != "import" or other.imported != root:
                continue
            statement = ctx.model.parent(other.node)
            assert isinstance(statement, ast.Import)
            placed, extra = module_import_edit(ctx, root, new_module, statement)
            if not placed:
                return None
            if extra is not None and extra not in edits:
                edits.append(extra)
    return edits


def module_alias(ctx: Context, node: ast.AST) -> tuple[Binding, ast.alias] | None:
    """The ``import websockets.client as ws`` whose module ``node`` (``ws.connect``) reads a
    name of: a submodule of a target module imported under a name of its own."""
    if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
        return None
    binding = ctx.model.binding_of(node.value)
    if binding is None or binding.kind != "import" or binding.imported is None:
        return None
    alias = binding.node
    if not isinstance(alias, ast.alias) or alias.asname is None or "." not in alias.name:
        return None
    qualname = ctx.model.canonical(alias.name)
    return (binding, alias) if qualname is not None else None


def module_alias_fix(
    ctx: Context,
    binding: Binding,
    alias: ast.alias,
    root: str,
    new_module: str,
    replacement: Callable[[str], str | None],
) -> list[Edit] | str:
    """``import websockets.client as ws`` -> ``import websockets.asyncio.client as ws``
    (``new_module``, relative to the root), each ``ws.name`` renamed to its replacement
    there (``replacement``: the name's new path relative to the root, ``None`` without one).
    Only when every use of ``ws`` reads a name whose replacement lies in that module:
    anything else read from it would be missing. Else why not."""
    name = binding.name
    if is_rebound(ctx, binding):
        return f"`{name}` is bound again in its scope"
    strings = string_annotation_uses(ctx, name, binding)
    if strings:
        return f"`{name}` is named in a string annotation at line {strings[0].lineno}"
    edits: list[Edit] = []
    for ref in references(ctx, binding):
        parent = ctx.model.parent(ref)
        if not (
            isinstance(parent, ast.Attribute)
            and parent.value is ref
            and isinstance(parent.ctx, ast.Load)
        ):
            return f"`{name}` is used as a value at line {ref.lineno}"
        new = replacement(parent.attr)
        module, _, new_name = (new or "").rpartition(".")
        if new is None or module != new_module:
            return (
                f"`{name}.{parent.attr}` (line {ref.lineno}) has no counterpart in"
                f" `{root}.{new_module}`"
            )
        if new_name != parent.attr:
            edits.append(ctx.replace(parent, f"{name}.{new_name}"))
        if new == NEW_BROADCAST:
            edits.extend(broadcast_keyword_edits(ctx, [parent]))
    edits.append(ctx.replace(alias, f"{root}.{new_module} as {alias.asname}"))
    return edits


def _always_the_library(ctx: Context, name: ast.Name) -> bool:
    """Whether every binding of ``name`` in its scope imports from a target module (import
    fallbacks aside): not ``import shim as websockets`` on another branch, whose module
    may have none of the new names."""
    binding = ctx.model.binding_of(name)
    if binding is None:
        return False
    return all(
        ctx.model.is_fallback(other)
        or (
            other.kind == "import"
            and other.imported is not None
            and ctx.model.canonical(other.imported) is not None
        )
        for other in binding.scope.bindings.get(binding.name, ())
    )


def reference_fix(
    ctx: Context, node: ast.AST, kind: str, alias: ast.alias | None, root: str, new_path: str
) -> list[Edit] | None:
    """Point an import alias or attribute chain at ``new_path`` (relative to the root)."""
    edits = _point_at(ctx, node, kind, alias, root, new_path)
    if edits is not None and new_path == NEW_BROADCAST:
        if kind == "chain" and isinstance(node, ast.Attribute):
            callees: list[ast.expr] = [node]
        else:
            binding = binding_for_alias(ctx, alias) if alias is not None else None
            callees = list(references(ctx, binding)) if binding is not None else []
        edits.extend(broadcast_keyword_edits(ctx, callees))
    return edits


def _point_at(
    ctx: Context, node: ast.AST, kind: str, alias: ast.alias | None, root: str, new_path: str
) -> list[Edit] | None:
    new_module, _, new_name = new_path.rpartition(".")
    if kind == "from-import" and alias is not None:
        statement = import_statement(ctx, alias)
        assert isinstance(statement, ast.ImportFrom)
        current = ctx.model.canonical(statement.module or "")
        if current is not None and current.canonical.partition(".")[2] == new_module:
            return rename_in_place(ctx, alias, new_name)
        return move_from_import(ctx, alias, root, new_module, new_name)
    if kind == "chain" and isinstance(node, ast.Attribute):
        return chain_fix(ctx, node, root, new_path)
    return None


def rename_in_place(ctx: Context, alias: ast.alias, new_name: str) -> list[Edit] | None:
    edits = [ctx.replace(alias, alias_text(alias, new_name))]
    if alias.asname is None:
        binding = binding_for_alias(ctx, alias)
        if binding is None or is_rebound(ctx, binding) or ctx.binds(new_name):
            return None
        edits.extend(ctx.replace(ref, new_name) for ref in references(ctx, binding))
        renamed = rename_in_strings(ctx, alias.name, new_name, binding)
        if renamed is None:
            return None
        edits.extend(renamed)
    return edits


_ANNOTATION_OWNERS = (ast.arg, ast.FunctionDef, ast.AsyncFunctionDef, ast.AnnAssign)


def string_annotation_uses(ctx: Context, name: str, binding: Binding | None) -> list[ast.Constant]:
    """String annotations (``"WebSocketServerProtocol"``, ``"list[Foo]"``) naming ``name``:
    uses of an import that ``references`` does not see, but type checkers do. Those of a
    function's own import are inside that function."""
    word = re.compile(rf"(?<![\w.]){re.escape(name)}\b")
    scope = binding.scope.node if binding is not None else None
    first, last = 0, 1 << 62
    if scope is not None and not isinstance(scope, ast.Module):
        first, last = scope.lineno, scope.end_lineno or scope.lineno
    return [
        node
        for node in _annotation_strings(ctx)
        if first <= node.lineno <= last and word.search(cast(str, node.value))
    ]


def _annotation_strings(ctx: Context) -> list[ast.Constant]:
    """The string constants ``in_annotation``, in ``nodes`` order: found once per file from
    the annotations down, not by climbing from each string of the module."""
    cached = ctx.cache.get("annotation_strings")
    if cached is None:
        inside: set[int] = set()
        for owner in ctx.model.nodes_of(*_ANNOTATION_OWNERS):
            for root in (getattr(owner, "annotation", None), getattr(owner, "returns", None)):
                if root is not None:
                    inside.update(id(node) for node in walk(root))
        cached = ctx.cache["annotation_strings"] = [
            node
            for node in ctx.model.nodes_of(ast.Constant)
            if id(node) in inside and isinstance(node, ast.Constant) and isinstance(node.value, str)
        ]
    return cast(list[ast.Constant], cached)


def in_annotation(ctx: Context, node: ast.AST) -> bool:
    current = node
    for parent in ctx.model.ancestors(node):
        if isinstance(parent, _ANNOTATION_OWNERS):
            return current in (
                getattr(parent, "annotation", None),
                getattr(parent, "returns", None),
            )
        if isinstance(parent, ast.stmt):
            return False
        current = parent
    return False


def rename_in_strings(
    ctx: Context, name: str, new_name: str, binding: Binding
) -> list[Edit] | None:
    """Rename ``name`` inside the string annotations naming it; ``None`` when one is written
    with escapes or implicit concatenation (its text is not its value)."""
    word = re.compile(rf"(?<![\w.]){re.escape(name)}\b")
    edits = []
    for node in string_annotation_uses(ctx, name, binding):
        text = ctx.text(node)
        if text[1:-1] != node.value and text[3:-3] != node.value:
            return None
        edits.append(ctx.replace(node, word.sub(new_name, text)))
    return edits


def string_literal(value: str) -> str:
    """A Python literal for ``value``, double-quoted when possible (as ruff formats)."""
    text = repr(value)
    if text.startswith("'") and '"' not in value:
        text = '"' + text[1:-1].replace("\\'", "'") + '"'
    return text


NEW_BROADCAST = "asyncio.server.broadcast"


def broadcast_keyword_edits(ctx: Context, callees: list[ast.expr]) -> list[Edit]:
    """``broadcast(conns, msg, True)`` -> ``broadcast(conns, msg, raise_exceptions=True)``.

    The new ``broadcast`` takes ``raise_exceptions`` by keyword only; the legacy one also
    accepts the keyword, so the rewrite is right on both sides of a migration.
    """
    edits = []
    for callee in callees:
        call = ctx.model.parent(callee)
        if isinstance(call, ast.Call) and call.func is callee and len(call.args) >= 3:
            flag = call.args[2]
            if not isinstance(flag, ast.Starred):
                edits.append(ctx.replace(flag, f"raise_exceptions={ctx.text(flag)}"))
    return edits


def remove_statement(ctx: Context, statement: ast.stmt) -> Edit:
    """Delete a simple statement: its whole lines when it is alone on them, else ``pass``."""
    parent = ctx.model.parent(statement)
    start, end = ctx.start(statement), ctx.end(statement)
    siblings = next(
        (
            block
            for block in (getattr(parent, name, None) for name in ("body", "orelse", "finalbody"))
            if isinstance(block, list) and statement in block
        ),
        [],
    )
    before = ctx.lines[start.line - 1][: start.column]
    after = ctx.lines[end.line - 1][end.column :]
    if len(siblings) > 1 and not before.strip() and not after.strip():
        return Edit(Position(start.line, 0), Position(end.line + 1, 0), "")
    return ctx.replace(statement, "pass")


def rewrite_from_import(
    ctx: Context,
    statement: ast.ImportFrom,
    targets: dict[str, str | None],
    root: str,
    *,
    refuse: frozenset[str] = frozenset(),
) -> list[Edit] | None:
    """Import each used name from its new path (``targets``: name -> path relative to the
    root, all in one module); rename the uses of renamed names; drop unused names.

    Returns ``None`` when that cannot be done soundly: a used name without a target or
    whose target is in ``refuse``, targets in several modules, a rename that would clash.
    """
    edits: list[Edit] = []
    parts: list[str] = []
    modules: set[str] = set()
    for alias in statement.names:
        binding = binding_for_alias(ctx, alias)
        uses = references(ctx, binding) if binding is not None else []
        in_strings = string_annotation_uses(ctx, alias.asname or alias.name, binding)
        if binding is not None and not uses and not in_strings and not is_rebound(ctx, binding):
            continue  # unused: the rewrite drops it
        new = targets.get(alias.name)
        if new is None or new in refuse:
            return None
        module, _, new_name = new.rpartition(".")
        modules.add(module)
        parts.append(alias_text(alias, new_name))
        if new_name != alias.name and alias.asname is None:
            renamed = rename_in_place(ctx, alias, new_name)
            if renamed is None:
                return None
            edits.extend(renamed[1:])  # the references; the statement is rewritten whole
        if new == NEW_BROADCAST:
            edits.extend(broadcast_keyword_edits(ctx, list(uses)))
    if len(modules) > 1 or len(set(parts)) != len(parts):
        return None  # e.g. two legacy names mapping to one new name (Serve and serve)
    if not parts:
        return [remove_statement(ctx, statement)]
    module = modules.pop()
    source = f"{root}.{module}" if module else root
    edits.append(ctx.replace(statement, f"from {source} import {', '.join(parts)}"))
    return edits
