"""Turning a legacy ``(status, headers, body)`` HTTP answer into a new-API ``Response``.

The legacy ``process_request`` returns a tuple (or raises ``AbortHandshake`` with the same
three values); the new one returns ``connection.respond(status, text)``, whose headers can
be extended before it is returned.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass

from lint_plugin.astwalk import walk
from lint_plugin.context import Context
from lint_plugin.model import Edit
from lint_plugin.rules._edits import string_literal


def text_with_edits(ctx: Context, node: ast.AST, edits: Sequence[Edit]) -> str:
    """The source text of ``node`` with the ``edits`` that lie inside it applied."""
    start, end = ctx.start(node), ctx.end(node)
    inner = sorted((e for e in edits if start <= e.start and e.end <= end), key=lambda e: e.start)
    pieces = []
    cursor = start
    for edit in inner:
        pieces.append(ctx.text_between(cursor, edit.start))
        pieces.append(edit.content)
        cursor = edit.end
    pieces.append(ctx.text_between(cursor, end))
    return "".join(pieces)


def is_inside(ctx: Context, edit: Edit, node: ast.AST) -> bool:
    return ctx.start(node) <= edit.start and edit.end <= ctx.end(node)


@dataclass(frozen=True)
class HttpAnswer:
    """The three values of a legacy answer, as expressions."""

    status: ast.expr
    headers: ast.expr
    body: ast.expr


def tuple_answer(value: ast.expr | None) -> HttpAnswer | None:
    if (
        isinstance(value, ast.Tuple)
        and len(value.elts) == 3
        and not any(isinstance(e, ast.Starred) for e in value.elts)
    ):
        return HttpAnswer(*value.elts)
    return None


def abort_answer(ctx: Context, stmt: ast.Raise) -> HttpAnswer | None:
    """``raise AbortHandshake(status, headers, body)`` (positional or by keyword)."""
    call = stmt.exc
    if not isinstance(call, ast.Call) or stmt.cause is not None:
        return None
    qualname = ctx.qualified_name(call.func)
    if qualname is None or not qualname.canonical.endswith(".AbortHandshake"):
        return None
    fields = ("status", "headers", "body")
    values: dict[str, ast.expr] = {fields[i]: arg for i, arg in enumerate(call.args[:3])}
    for keyword in call.keywords:
        if keyword.arg is None or keyword.arg in values:
            return None
        values[keyword.arg] = keyword.value
    if len(call.args) > 3 or set(values) - {"status", "headers", "body"}:
        return None
    if "status" not in values:
        return None
    # AbortHandshake's headers and body default to empty.
    empty = ast.Constant(value=b"")
    return HttpAnswer(
        values["status"], values.get("headers", ast.List(elts=[])), values.get("body", empty)
    )


def is_empty_literal(node: ast.expr) -> bool:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return not node.elts
    if isinstance(node, ast.Dict):
        return not node.keys
    return isinstance(node, ast.Constant) and node.value is None


def header_items(node: ast.expr) -> list[tuple[ast.expr, ast.expr]] | None:
    """The ``(name, value)`` pairs of a dict literal or a list/tuple of pairs, if literal."""
    if isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            return None
        return [(key, node.values[i]) for i, key in enumerate(node.keys) if key is not None]
    if isinstance(node, (ast.List, ast.Tuple)):
        pairs = []
        for elt in node.elts:
            if not (isinstance(elt, ast.Tuple) and len(elt.elts) == 2):
                return None
            pairs.append((elt.elts[0], elt.elts[1]))
        return pairs
    return None


class Rewriter:
    """Source text for the expressions of one function, with some names substituted."""

    def __init__(self, ctx: Context, substitutions: Sequence[Edit]) -> None:
        self.ctx = ctx
        self.substitutions = substitutions

    def text(self, node: ast.AST) -> str:
        if not hasattr(node, "lineno"):  # a default made up by abort_answer
            return ast.unparse(node)
        return text_with_edits(self.ctx, node, self.substitutions)

    def body_text(self, body: ast.expr) -> str | None:
        """The body as ``str`` for ``respond()``, which encodes it in UTF-8: ``None`` for
        bytes that may not be UTF-8 text (``raw_body``)."""
        if isinstance(body, ast.Constant) and isinstance(body.value, bytes):
            try:
                return string_literal(body.value.decode("utf-8"))
            except UnicodeDecodeError:
                return None
        if isinstance(body, ast.Constant) and isinstance(body.value, str):
            return string_literal(body.value)
        if (
            isinstance(body, ast.Call)
            and isinstance(body.func, ast.Attribute)
            and body.func.attr == "encode"
            and not body.keywords
            and (
                not body.args
                or (
                    len(body.args) == 1
                    and isinstance(body.args[0], ast.Constant)
                    and str(body.args[0].value).lower().replace("-", "") == "utf8"
                )
            )
        ):
            return self.text(body.func.value)
        return None

    def raw_body(self, body: ast.expr) -> str | None:
        """The bytes of a body ``body_text`` cannot give as text (a variable, a call, a
        literal that is not UTF-8), set as they are; ``None`` for a literal that cannot be
        bytes."""
        if isinstance(body, ast.Constant) and isinstance(body.value, bytes):
            return self.text(body)
        if isinstance(body, (ast.Constant, ast.JoinedStr, ast.Dict, ast.List, ast.Set)):
            return None
        return self.text(body)

    def can_answer(self, answer: HttpAnswer) -> bool:
        """Whether ``response_lines`` gives statements for the answer."""
        return self.body_text(answer.body) is not None or self.raw_body(answer.body) is not None

    def needs_statements(self, answer: HttpAnswer) -> bool:
        """Whether ``response_lines`` gives several statements (else one expression)."""
        return not is_empty_literal(answer.headers) or self.body_text(answer.body) is None

    def response_lines(
        self, answer: HttpAnswer, connection: str, response: str
    ) -> list[str] | None:
        """Statements building the response in ``response`` (without the ``return``).

        A single expression (no statement) when there are no headers to add and the body
        is text. The answer's headers replace those ``respond()`` sets (the legacy server
        only added the ones an answer lacked).
        """
        text = self.body_text(answer.body)
        items = None if is_empty_literal(answer.headers) else header_items(answer.headers)
        named = {str(n.value).lower() for n, _ in items or () if isinstance(n, ast.Constant)}
        if text is not None:
            respond = f"{connection}.respond({self.text(answer.status)}, {text})"
            if is_empty_literal(answer.headers):
                return [respond]
            lines = [f"{response} = {respond}"]
        else:
            raw = self.raw_body(answer.body)
            if raw is None:
                return None
            # respond() encodes text: bytes that may not be UTF-8 are set as they are.
            lines = [
                f'{response} = {connection}.respond({self.text(answer.status)}, "")',
                f"{response}.body = {raw}",
            ]
            if "content-length" not in named:
                lines.append(f'del {response}.headers["Content-Length"]')
                lines.append(f'{response}.headers["Content-Length"] = str(len({response}.body))')
            if is_empty_literal(answer.headers):
                return lines
        if items is None:
            # The legacy answer had no Content-Type of its own: whatever these headers
            # say about it, it is theirs alone, as before.
            lines.append(f'del {response}.headers["Content-Type"]')
            lines.append(f"{response}.headers.update({self.text(answer.headers)})")
            return lines
        deleted: set[str] = set()
        for name, value in items:
            key = str(name.value).lower() if isinstance(name, ast.Constant) else None
            if key in _RESPOND_SETS and key not in deleted:
                # respond() sets it: the answer's replaces it (once, for repeated names).
                deleted.add(key)
                lines.append(f"del {response}.headers[{self.text(name)}]")
            lines.append(f"{response}.headers[{self.text(name)}] = {self.text(value)}")
        return lines


#: The headers ``respond()`` sets (lower case).
_RESPOND_SETS = frozenset({"content-type", "content-length", "date", "connection"})


def statement_replacement(
    ctx: Context, stmt: ast.stmt, lines: list[str], response: str
) -> Edit | None:
    """Replace ``stmt`` (alone on its lines) with ``lines`` then ``return <response>``."""
    start, end = ctx.start(stmt), ctx.end(stmt)
    before = ctx.lines[start.line - 1][: start.column]
    after = ctx.lines[end.line - 1][end.column :]
    if len(lines) == 1:
        return Edit(start, end, f"return {lines[0]}")
    if before.strip() or after.strip():
        return None  # ``if x: return ...`` on one line: no room for statements
    indent = "\n" + before
    return Edit(start, end, indent.join([*lines, f"return {response}"]))


def free_name(function: ast.AST, wanted: str) -> str:
    """``wanted``, or ``wanted_`` etc. when the function already uses the name."""
    used = {n.id for n in walk(function) if isinstance(n, ast.Name)} | {
        a.arg for a in walk(function) if isinstance(a, ast.arg)
    }
    name = wanted
    while name in used:
        name += "_"
    return name
