"""WSU208 connection-closed-code-reason."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from lint_plugin import names
from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability, Requirement
from lint_plugin.rules._edits import fstring_quote, needs_parens
from lint_plugin.rules._rewrites_exceptions import flowing_attributes, with_requirement
from lint_plugin.spec import Rule, RuleSpec

#: What the deprecated properties returned when no close frame was received.
DEFAULTS = {"code": "1006", "reason": '""'}
#: ``reason``'s default inside an f-string delimited by double quotes (before 3.12, an
#: f-string's expressions cannot reuse its quote character).
REASON_IN_DOUBLE_QUOTED_FSTRING = "''"

SPEC = RuleSpec(
    code="WSU208",
    name="connection-closed-code-reason",
    summary="Deprecated `code` / `reason` of a caught `ConnectionClosed`",
    message="`{exc}.{attr}` is deprecated (13.1); use `{exc}.rcvd.{attr}` (`rcvd` is None when "
    "no close frame was received) or the connection's `close_{attr}`",
    fix_title="Replace with `{new}`",
    fix_availability=FixAvailability.ALWAYS,
    applicability=Applicability.SAFE,
    deprecated_in="13.1",
    fix_from=(10, 0),
    example_flagged_at=(7, 29),
    what_it_does=(
        "Checks for `.code` and `.reason` on an exception caught as `ConnectionClosed`, "
        "`ConnectionClosedOK` or `ConnectionClosedError`, narrowed to one by `isinstance`, "
        "or received by a parameter annotated with one."
    ),
    why_bad=(
        "`ConnectionClosed.code` and `.reason` are deprecated since websockets 13.1. The "
        "exception carries the close frames themselves: `rcvd` (received, or `None`) and "
        "`sent`."
    ),
    example=(
        "from websockets.exceptions import ConnectionClosed\n"
        "\n"
        "async def consume(websocket):\n"
        "    try:\n"
        "        await websocket.recv()\n"
        "    except ConnectionClosed as exc:\n"
        '        print("closed with", exc.code)\n'
    ),
    use_instead=(
        "from websockets.exceptions import ConnectionClosed\n"
        "\n"
        "async def consume(websocket):\n"
        "    try:\n"
        "        await websocket.recv()\n"
        "    except ConnectionClosed as exc:\n"
        '        print("closed with", exc.rcvd.code if exc.rcvd else 1006)\n'
    ),
    fix_safety=(
        'Safe: the fix writes `exc.rcvd.code if exc.rcvd else 1006` (and `""` for `reason`), '
        "which is exactly what the deprecated properties returned; inside an f-string delimited "
        "by double quotes, `''` (before Python 3.12 an f-string's expression cannot reuse its "
        "quote). Unsafe in a "
        'self-documenting f-string field (`f"{exc.code=}"`), whose printed text would change.'
    ),
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for exc, node in flowing_attributes(ctx, names.CONNECTION_CLOSED, set(DEFAULTS)):
        default = DEFAULTS[node.attr]
        if node.attr == "reason" and fstring_quote(ctx, node) == '"':
            default = REASON_IN_DOUBLE_QUOTED_FSTRING
        # `f"{exc.code=}"` prints the expression's text too: the fix would change it.
        printed = in_self_documenting_fstring(ctx, node)
        new = f"{exc}.rcvd.{node.attr} if {exc}.rcvd else {default}"
        replacement = f"({new})" if needs_parens(ctx, node, conditional=True) else new
        diagnostic = ctx.diagnostic(
            SPEC,
            node,
            SPEC.message.format(exc=exc, attr=node.attr),
            fix_title=SPEC.fix_title.format(new=new),
            edits=[ctx.replace(node, replacement)],
            applicability=Applicability.UNSAFE if printed else Applicability.SAFE,
        )
        # `rcvd` is on the legacy ConnectionClosed too (10.0): no migration needed first.
        yield with_requirement(diagnostic, Requirement.BOTH)


def in_self_documenting_fstring(ctx: Context, node: ast.AST) -> bool:
    """Whether ``node`` is inside the expression of an f-string's ``{expr=}`` field.

    The parser turns ``f"{expr=}"`` into the text ``"expr="`` followed by the field, so
    the field is self-documenting when the text before it ends with its expression and ``=``.
    """
    if not ctx.model.nodes_of(ast.JoinedStr):
        return False
    child = node
    for ancestor in ctx.model.ancestors(node):
        if isinstance(ancestor, ast.FormattedValue) and ancestor.value is child:
            parent = next(iter(ctx.model.ancestors(ancestor)), None)
            if not isinstance(parent, ast.JoinedStr):
                return False
            index = parent.values.index(ancestor)
            before = parent.values[index - 1] if index else None
            if not isinstance(before, ast.Constant) or not isinstance(before.value, str):
                return False
            text = before.value.rstrip()
            return text.endswith("=") and text[:-1].rstrip().endswith(ctx.text(child).strip())
        if isinstance(ancestor, (ast.JoinedStr, ast.stmt)):
            return False  # an f-string holds no statement
        child = ancestor
    return False


RULE = Rule(SPEC, check)
