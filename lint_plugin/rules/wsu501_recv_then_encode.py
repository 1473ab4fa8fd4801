"""WSU501 recv-then-encode."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU501",
    name="recv-then-encode",
    summary="`(await conn.recv()).encode()` decodes and re-encodes text messages",
    message="`{expr}` decodes a text message then encodes it again; use `{new}`",
    fix_title="Replace with `{new}`",
    fix_availability=FixAvailability.ALWAYS,
    applicability=Applicability.UNSAFE,
    deprecated_in="13.0 (`recv(decode=...)` in the new implementation)",
    fix_from=(13, 0),
    flags_deprecated_api=False,
    example_flagged_at=(5, 18),
    default_enabled=False,
    what_it_does="Checks for `.encode()` called on the result of a connection's `recv()`.",
    why_bad=(
        "The new implementation's `recv(decode=False)` returns text messages as UTF-8 "
        "`bytes` without decoding them: calling `.encode()` on a decoded `str` wastes a "
        "round-trip of UTF-8 decoding and encoding."
    ),
    example=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765") as websocket:\n'
        "        payload = (await websocket.recv()).encode()\n"
    ),
    use_instead=(
        "from websockets.asyncio.client import connect\n"
        "\n"
        "async def main():\n"
        '    async with connect("ws://localhost:8765") as websocket:\n'
        "        payload = await websocket.recv(decode=False)\n"
    ),
    fix_safety=(
        "Unsafe: the legacy `recv()` has no `decode` argument, and a binary message, on which "
        "`.encode()` failed, now comes back as `bytes`. `.encode()` with arguments (another "
        "codec, error handler) is left alone."
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for node in ctx.nodes:
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "encode"
            and not node.args
            and not node.keywords
            and isinstance(node.func.value, ast.Await)
        ):
            continue
        recv = node.func.value.value
        if not (
            isinstance(recv, ast.Call)
            and isinstance(recv.func, ast.Attribute)
            and recv.func.attr == "recv"
            and not recv.args
            and not recv.keywords
            and ctx.model.is_connection(recv.func.value)
        ):
            continue
        new = f"await {ctx.text(recv.func.value)}.recv(decode=False)"
        yield ctx.diagnostic(
            SPEC,
            node,
            SPEC.message.format(expr=ctx.text(node), new=new),
            fix_title=SPEC.fix_title.format(new=new),
            edits=[ctx.replace(node, f"({new})" if _is_primary(ctx, node) else new)],
            applicability=Applicability.UNSAFE,
        )


def _is_primary(ctx: Context, node: ast.AST) -> bool:
    """Is ``node`` the object of ``.attr``, ``[i]`` or a call, which bind more tightly than
    ``await`` (so the replacement needs parentheses)?"""
    parent = ctx.model.parent(node)
    return (
        (isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is node)
        or (isinstance(parent, ast.Call) and parent.func is node)
    ) and not ctx.is_parenthesized(node)


RULE = Rule(SPEC, check)
