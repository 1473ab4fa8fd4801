"""``extra_headers=`` on a legacy ``serve()`` as a generated ``process_response``.

The legacy server adds ``extra_headers`` (a headers-like value, or a callable taking
``(path, request_headers)``) to its handshake response only: the ``101 Switching
Protocols`` one. The generated callable adds them to that response too, and hands the
response on to the ``process_response`` the call already had, if any.
"""

from __future__ import annotations

import ast

from lint_plugin.context import Context
from lint_plugin.model import Edit, Position
from lint_plugin.rules._arguments import Argument
from lint_plugin.rules._edits import remove_argument
from lint_plugin.semantic import CallSite

GENERATED_NAME = "process_response"


def headers_kind(ctx: Context, value: ast.expr) -> str | None:
    """``"callable"``, ``"headers"`` (a mapping or pairs) or ``None`` when unknown."""
    if isinstance(value, (ast.Dict, ast.List, ast.Tuple)):
        return "headers"
    if isinstance(value, ast.Lambda):
        return "callable"
    if isinstance(value, ast.Name):
        binding = ctx.model.binding_of(value)
        if binding is None:
            return None
        if binding.kind == "function":
            return "callable"
        if binding.kind == "assign" and isinstance(binding.value, (ast.Dict, ast.List, ast.Tuple)):
            return None if len(binding.scope.bindings.get(binding.name, ())) > 1 else "headers"
    if ctx.model.resolve_callable(value, infer=False):
        return "callable"
    return None


def _server_item(value: ast.expr) -> ast.expr | None:
    """The value of ``Server`` in a dict literal that also holds other headers."""
    if not isinstance(value, ast.Dict) or len(value.keys) < 2 or None in value.keys:
        return None
    for key, item in zip(value.keys, value.values):
        if isinstance(key, ast.Constant) and str(key.value).lower() == "server":
            return item
    return None


def _generated_name(ctx: Context, site: CallSite) -> str:
    """A name per ``serve()`` call (several may share a statement), free in the module."""
    cached = ctx.cache.get("serve_extra_headers_by_scope")
    by_scope: dict[int, list[ast.Call]]
    if isinstance(cached, dict):
        by_scope = cached
    else:
        # Grouped once per file: a scan per call would be quadratic in large modules.
        by_scope = {}
        for other in ctx.model.call_sites:
            if other.family == "serve" and any(
                k.arg == "extra_headers" for k in other.node.keywords
            ):
                key = id(ctx.model.enclosing_function(other.node))
                by_scope.setdefault(key, []).append(other.node)
        for group in by_scope.values():
            group.sort(key=lambda node: (node.lineno, node.col_offset))
        ctx.cache["serve_extra_headers_by_scope"] = by_scope
    calls = by_scope.get(id(ctx.model.enclosing_function(site.node)), [])
    index = next((i for i, node in enumerate(calls) if node is site.node), 0)
    name = GENERATED_NAME if index == 0 else f"{GENERATED_NAME}_{index + 1}"
    used = ctx.used_names((ast.FunctionDef, ast.ClassDef))
    while name in used or ctx.binds(name):
        name += "_"
    return name


def process_response_edits(ctx: Context, argument: Argument) -> list[Edit] | None:
    """Replace ``extra_headers=value`` with a generated ``process_response=``."""
    keyword = argument.arg.node
    value = argument.arg.value
    if not isinstance(keyword, ast.keyword) or argument.arg.via != "keyword" or value is None:
        return None
    kind = headers_kind(ctx, value)
    if kind is None:
        return None
    site: CallSite = argument.site
    existing = [k for k in site.node.keywords if k.arg == "process_response"]
    if any(k.arg is None for k in site.node.keywords) and not existing:
        return None  # ``**options`` might hold a process_response
    statement = ctx.statement_of(site.node)
    start = ctx.start(statement)
    if ctx.lines[start.line - 1][: start.column].strip():
        return None  # not alone on its line: no room for the def before it
    indent = " " * start.column
    name = _generated_name(ctx, site)
    headers = ctx.text(value)
    server_keyword = ""
    server = _server_item(value)
    if server is not None:
        # ``Server`` among others: the legacy server then sent it instead of its default,
        # which ``server_header=`` does on the new one; the rest go to process_response.
        if any(k.arg == "server_header" for k in site.node.keywords):
            return None
        assert isinstance(value, ast.Dict)
        items = [
            f"{ctx.text(key)}: {ctx.text(item)}"
            for key, item in zip(value.keys, value.values)
            if key is not None and item is not server
        ]
        headers = "{" + ", ".join(items) + "}"
        before = ctx.lines[keyword.lineno - 1][: ctx.start(keyword).column]
        separator = f",\n{before}" if not before.strip() else ", "
        server_keyword = f"{separator}server_header={ctx.text(server)}"
    if kind == "callable":
        if isinstance(value, ast.Lambda):
            headers = f"({headers})"
        headers = f"{headers}(request.path, request.headers)"
    body = [
        "# The legacy server added these headers to its handshake response only.",
        "if response.status_code == 101:",
        f"    response.headers.update({headers})",
    ]
    if existing:
        body.append(f"return {ctx.text(existing[0].value)}(connection, request, response)")
    else:
        body.append("return response")
    lines = [f"def {name}(connection, request, response):", *(f"    {line}" for line in body)]
    text = "".join(f"{indent}{line}\n" for line in lines) + "\n"
    if indent:
        text = text.rstrip("\n") + "\n"  # no blank line inside a function body
    edits = [Edit.insertion(Position(start.line, 0), text)]
    if existing:
        removal = remove_argument(ctx, site.node, keyword)
        if removal is None:
            return None
        edits += [removal, ctx.replace(existing[0].value, f"{name}{server_keyword}")]
    else:
        edits.append(ctx.replace(keyword, f"process_response={name}{server_keyword}"))
    return edits
