"""Rewriting a legacy ``process_request(path, request_headers)`` body for the new API.

Shared by WSU302 (functions passed as ``process_request=``) and the conversion of a
protocol subclass's override into such a function (``self`` becomes the connection).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from lint_plugin.astwalk import block_children, walk
from lint_plugin.context import Context
from lint_plugin.model import Edit
from lint_plugin.rules._rewrites_response import (
    HttpAnswer,
    Rewriter,
    abort_answer,
    free_name,
    is_inside,
    statement_replacement,
    tuple_answer,
)
from lint_plugin.rules._signatures import can_rename, own_returns, rename_params
from lint_plugin.semantic import FunctionNode


def process_request_edits(
    ctx: Context,
    function: FunctionNode,
    params: list[ast.arg],
    self_param: ast.arg | None = None,
) -> list[Edit] | None:
    """Edits turning ``function`` into ``(connection, request)``; ``None`` when unsound.

    ``params`` are ``path`` and ``request_headers``; ``self_param``, for a method, is
    replaced by the connection, and ``super().process_request(...)`` (the legacy default,
    which continues the handshake) by ``None``.
    """
    build = process_request_rewrite(ctx, function, params, self_param)
    return None if build is None else build()


def process_request_rewrite(
    ctx: Context,
    function: FunctionNode,
    params: list[ast.arg],
    self_param: ast.arg | None = None,
) -> Callable[[], list[Edit]] | None:
    """What ``process_request_edits`` checks, without the edits: ``None`` when unsound,
    else what builds them (the parameters' uses and the responses' text cost the most)."""
    if isinstance(function, ast.Lambda):
        return None
    if len(params) != 2 or function.args.vararg or function.args.kwonlyargs:
        return None
    path, headers = params
    uses: dict[str, str | None] = {path.arg: "request.path", headers.arg: "request.headers"}
    every = list(params)
    if self_param is not None:
        uses[self_param.arg] = "connection"
        every = [self_param, *params]
    new_names = ("connection", "request")
    if not can_rename(ctx, function, every, new_names, uses):
        return None
    replaced: list[tuple[ast.AST, Edit]] = []
    answers: list[tuple[ast.stmt, HttpAnswer]] = []
    for ret in own_returns(function):
        value = ret.value
        if value is None or (isinstance(value, ast.Constant) and value.value is None):
            continue
        if _is_super_call(value):
            replaced.append((value, ctx.replace(value, "None")))
            continue
        answer = tuple_answer(value)
        if answer is None:
            return None
        answers.append((ret, answer))
    for raise_ in own_raises(function):
        answer = abort_answer(ctx, raise_)
        if answer is not None:
            answers.append((raise_, answer))
    if any(
        _is_super_call(node) and not any(node is target for target, _ in replaced)
        for node in walk(function)
        if isinstance(node, (ast.Await, ast.Call))
        and not (isinstance(node, ast.Call) and isinstance(ctx.model.parent(node), ast.Await))
    ):
        return None  # super() used other than as the returned value
    if self_param is not None and _mentions_super(function, replaced):
        return None
    # ``Rewriter.response_lines`` and ``statement_replacement`` fail on these alone.
    plain = Rewriter(ctx, ())
    for stmt, answer in answers:
        if not plain.can_answer(answer):
            return None
        if plain.needs_statements(answer) and not _alone_on_its_lines(ctx, stmt):
            return None

    def build() -> list[Edit]:
        renamed = rename_params(ctx, function, every, new_names, uses)
        assert renamed is not None, "can_rename said it could"
        signature, substitutions = renamed[0], renamed[1:]
        rewriter = Rewriter(ctx, substitutions)
        response = free_name(function, "response")
        edits = [signature, *(edit for _, edit in replaced)]
        for stmt, answer in answers:
            lines = rewriter.response_lines(answer, "connection", response)
            edit = statement_replacement(ctx, stmt, lines, response) if lines else None
            assert edit is not None, "checked above"
            edits.append(edit)
        # Names inside a rewritten statement or expression are substituted in its new text.
        rewritten: list[ast.AST] = [stmt for stmt, _ in answers] + [node for node, _ in replaced]
        edits.extend(
            sub for sub in substitutions if not any(is_inside(ctx, sub, node) for node in rewritten)
        )
        return edits

    return build


def _alone_on_its_lines(ctx: Context, stmt: ast.stmt) -> bool:
    """Nothing else on ``stmt``'s lines (``statement_replacement`` needs it for several
    statements)."""
    start, end = ctx.start(stmt), ctx.end(stmt)
    before = ctx.lines[start.line - 1][: start.column]
    after = ctx.lines[end.line - 1][end.column :]
    return not (before.strip() or after.strip())


def _is_super_call(node: ast.AST) -> bool:
    """``super().process_request(...)``, awaited or not."""
    if isinstance(node, ast.Await):
        node = node.value
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "process_request"
        and isinstance(node.func.value, ast.Call)
        and isinstance(node.func.value.func, ast.Name)
        and node.func.value.func.id == "super"
    )


def _mentions_super(function: ast.AST, replaced: list[tuple[ast.AST, Edit]]) -> bool:
    """Is ``super`` used anywhere but in the replaced calls?"""
    inside = {id(n) for node, _ in replaced for n in walk(node)}
    return any(
        isinstance(n, ast.Name) and n.id == "super" and id(n) not in inside for n in walk(function)
    )


def own_raises(function: ast.AST) -> Iterator[ast.Raise]:
    """``raise`` statements of ``function`` itself, outside ``try`` blocks that may catch them."""
    stack: list[ast.AST] = block_children(function)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Try) and node.handlers:
            stack.extend(node.orelse + node.finalbody)
            stack.extend(node.handlers)
            continue
        if isinstance(node, ast.Raise):
            yield node
        stack.extend(block_children(node))
