"""WSU402 serve-extra-headers."""

from __future__ import annotations

from collections.abc import Iterator

from lint_plugin.context import Context
from lint_plugin.model import Applicability, Diagnostic, FixAvailability
from lint_plugin.rules._arguments import arguments, has_keyword, only_header
from lint_plugin.rules._rewrites_headers import process_response_edits
from lint_plugin.spec import Rule, RuleSpec

SPEC = RuleSpec(
    code="WSU402",
    name="serve-extra-headers",
    summary="`extra_headers=` on `serve()`",
    message="`extra_headers` is not an argument of the new `serve()`; {hint}",
    fix_title="{title}",
    fix_availability=FixAvailability.SOMETIMES,
    applicability=Applicability.UNSAFE,
    deprecated_in="14.0 (replaced in the new implementation, 13.0+)",
    fix_from=(13, 0),
    example_flagged_at=(4, 30),
    what_it_does="Checks for `extra_headers=` passed to `serve()` / `unix_serve()`.",
    why_bad=(
        "The new `serve()` has no `extra_headers`. Add response headers in a "
        "`process_response(connection, request, response)` callable, which also sees the "
        "request; set the `Server` header with `server_header=`."
    ),
    example=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "async def main(handler):\n"
        '    async with serve(handler, extra_headers={"X-Frame-Options": "DENY"}):\n'
        "        pass\n"
    ),
    use_instead=(
        "from websockets.asyncio.server import serve\n"
        "\n"
        "def process_response(connection, request, response):\n"
        '    response.headers["X-Frame-Options"] = "DENY"\n'
        "    return response\n"
        "\n"
        "async def main(handler):\n"
        "    async with serve(handler, process_response=process_response):\n"
        "        pass\n"
    ),
    fix_safety=(
        "A dict literal holding only `Server` becomes `server_header=` (unsafe: the legacy "
        "`serve()` does not accept it before 13.0's new implementation). Other headers, a "
        "mapping or pairs, or a callable `(path, request_headers)`, move to a generated "
        "`process_response(connection, request, response)` defined just before the statement "
        "holding the call (unsafe: only the new `serve()` calls it). Like the legacy server, "
        "it adds them to the `101` handshake response only, calling the callable with "
        "`request.path, request.headers`; when the call already has a `process_response`, the "
        "generated one adds the headers then returns what that one returns. A dict literal "
        "naming `Server` among others is split: `server_header=` for it (the legacy server "
        "sent it instead of its default), `process_response` for the rest. A value whose kind "
        "is unknown (a parameter, an attribute) gets a hint only."
    ),
)

HINT = "add the headers in `process_response=`, or use `server_header=` for `Server`"


def check(ctx: Context) -> Iterator[Diagnostic]:
    for argument in arguments(ctx, "extra_headers", ("serve",)):
        server = only_header(argument.arg.value, "server")
        if (
            server is not None
            and argument.arg.via == "keyword"
            and not has_keyword(ctx, argument.site, "server_header")
        ):
            title = "Replace with `server_header=`"
            yield ctx.diagnostic(
                SPEC,
                argument.arg.node,
                SPEC.message.format(hint="use `server_header=`"),
                fix_title=title,
                edits=[ctx.replace(argument.arg.node, f"server_header={ctx.text(server)}")],
                applicability=Applicability.UNSAFE,
            )
            continue
        edits = process_response_edits(ctx, argument)
        yield ctx.diagnostic(
            SPEC,
            argument.arg.node,
            SPEC.message.format(hint=HINT),
            fix_title="Add them in a generated `process_response(connection, request, response)`"
            if edits
            else "Write a `process_response(connection, request, response)` that adds them",
            edits=edits or (),
            applicability=Applicability.UNSAFE,
        )


RULE = Rule(SPEC, check)
