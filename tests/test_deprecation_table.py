"""Every entry of ``websockets_impl.deprecations.DEPRECATIONS``, checked both ways.

(i) The library signals it at run time as the entry's ``kind`` says:

- ``module``: importing the module, in a fresh interpreter, emits a DeprecationWarning
  (``legacy``: every ``websockets_impl.legacy.*`` module does);
- ``alias``: attribute access and ``from X import name`` warn with
  ``"websockets_impl.{old} is deprecated"`` and give the ``target`` object;
- ``instantiation``: creating an instance warns (getting the class doesn't);
- ``removed``: ``import`` and attribute access fail with ImportError / AttributeError.

(ii) The linter flags it: a snippet using the name through ``import websockets_impl...``
and through ``from websockets_impl.X import Y`` gets the WSU1xx code ``expected_code()``
gives.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from lint_plugin.engine import check_source
from websockets_impl.deprecations import DEPRECATIONS, Deprecation
from websockets_impl.imports import resolve

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "websockets_impl"

#: Every module of the legacy implementation; importing any of them warns.
LEGACY_MODULES = [
    "legacy",
    "legacy.auth",
    "legacy.client",
    "legacy.exceptions",
    "legacy.framing",
    "legacy.handshake",
    "legacy.http",
    "legacy.protocol",
    "legacy.server",
]

#: Deprecated exception names (WSU105 rather than the alias rules).
EXCEPTIONS = {"InvalidStatusCode", "AbortHandshake", "RedirectHandshake", "WebSocketProtocolError"}


def entries(*kinds: str) -> list[Deprecation]:
    return [entry for entry in DEPRECATIONS if entry.kind in kinds]


def ids(items: list[Deprecation]) -> list[str]:
    return [f"{entry.kind}:{entry.old}" for entry in items]


def split(old: str) -> tuple[str, str]:
    """``"client.connect"`` -> (``"websockets_impl.client"``, ``"connect"``)."""
    module, _, name = old.rpartition(".")
    return (f"{PACKAGE}.{module}" if module else PACKAGE), name


def test_table_covers_every_kind() -> None:
    assert {entry.kind for entry in DEPRECATIONS} == {"module", "alias", "instantiation", "removed"}
    assert len({entry.old for entry in DEPRECATIONS}) == len(DEPRECATIONS)


# -- (i) the library warns -----------------------------------------------------------------

_IMPORT_PROBE = """
import importlib, json, sys, warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    module = importlib.import_module(sys.argv[1])
print(json.dumps([[w.category.__name__, str(w.message)] for w in caught]))
"""


def import_in_fresh_interpreter(modules: list[str]) -> dict[str, list[list[str]]]:
    """Import each module in its own new interpreter; the warnings each import emitted."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(ROOT)  # the working tree's websockets_impl
    processes = {
        module: subprocess.Popen(
            [sys.executable, "-c", _IMPORT_PROBE, module],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for module in modules
    }
    caught = {}
    for module, process in processes.items():
        try:
            stdout, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
        assert process.returncode == 0, f"import {module} failed:\n{stderr}"
        caught[module] = json.loads(stdout)
    return caught


MODULES = entries("module")


def test_modules_warn_on_import_in_a_fresh_interpreter() -> None:
    names = [entry.old for entry in MODULES if entry.old != "legacy"] + LEGACY_MODULES
    caught = import_in_fresh_interpreter([f"{PACKAGE}.{name}" for name in names])
    for module, records in caught.items():
        messages = [message for category, message in records if category == "DeprecationWarning"]
        assert messages, f"importing {module} emits no DeprecationWarning"
        # The first warning names the deprecated package (legacy.* modules: the package).
        top = module if not module.startswith(f"{PACKAGE}.legacy") else f"{PACKAGE}.legacy"
        # websockets.connection words its warning with upstream's module names, as upstream.
        upstream_top = top.replace(PACKAGE, "websockets", 1)
        assert any(top in message or upstream_top in message for message in messages), (
            module,
            messages,
        )


@pytest.mark.parametrize(
    "entry", [e for e in MODULES if e.target], ids=ids([e for e in MODULES if e.target])
)
def test_module_alias_reexports_its_target(entry: Deprecation) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        module = importlib.import_module(f"{PACKAGE}.{entry.old}")
        target = importlib.import_module(f"{PACKAGE}.{entry.target}")
    for name in target.__all__:
        assert getattr(module, name) is getattr(target, name), name


ALIASES = entries("alias")


@pytest.mark.parametrize("entry", ALIASES, ids=ids(ALIASES))
def test_alias_warns_on_attribute_access(entry: Deprecation) -> None:
    assert entry.target is not None
    module_name, name = split(entry.old)
    module = importlib.import_module(module_name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        expected = resolve(entry.target)
    message = re.escape(f"{PACKAGE}.{entry.old} is deprecated")
    with pytest.warns(DeprecationWarning, match=message):
        value = getattr(module, name)
    assert value is expected
    # Every access warns: the alias is never cached in the module.
    with pytest.warns(DeprecationWarning, match=message):
        assert getattr(module, name) is expected
    # Deprecated names stay out of __all__; dir() lists them, as upstream's lazy imports do.
    assert name not in getattr(module, "__all__", ())
    assert name in dir(module)


@pytest.mark.parametrize("entry", ALIASES, ids=ids(ALIASES))
def test_alias_warns_on_from_import(entry: Deprecation) -> None:
    assert entry.target is not None
    module_name, name = split(entry.old)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        expected = resolve(entry.target)
    namespace: dict[str, Any] = {}
    with pytest.warns(DeprecationWarning, match=re.escape(f"{PACKAGE}.{entry.old} is deprecated")):
        exec(f"from {module_name} import {name}", namespace)
    assert namespace[name] is expected


INSTANTIATIONS = entries("instantiation")


def instantiate(cls: type) -> object:
    """An instance of a deprecated Sans-I/O class, built like its replacement."""
    from websockets_impl.client import ClientProtocol
    from websockets_impl.uri import parse_uri

    if issubclass(cls, ClientProtocol):
        return cls(parse_uri("ws://example.com/"))
    return cls()


@pytest.mark.parametrize("entry", INSTANTIATIONS, ids=ids(INSTANTIATIONS))
def test_instantiation_warns(entry: Deprecation) -> None:
    assert entry.replacement is not None
    module_name, name = split(entry.old)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        cls = getattr(importlib.import_module(module_name), name)  # getting it is silent
        replacement = resolve(entry.replacement)
    assert issubclass(cls, replacement)
    with pytest.warns(DeprecationWarning, match=f"{name} was renamed to {replacement.__name__}"):
        instance = instantiate(cls)
    assert isinstance(instance, replacement)


REMOVED = entries("removed")


@pytest.mark.parametrize("entry", REMOVED, ids=ids(REMOVED))
def test_removed_names_are_gone(entry: Deprecation) -> None:
    module_name, name = split(entry.old)
    module = importlib.import_module(module_name)
    with pytest.raises(ImportError):
        importlib.import_module(f"{PACKAGE}.{entry.old}")
    with pytest.raises(ImportError):
        exec(f"from {module_name} import {name}", {})
    with pytest.raises(AttributeError):
        getattr(module, name)


# -- (ii) the linter flags it ----------------------------------------------------------------


def expected_code(entry: Deprecation) -> str:
    """The rule that flags a use of the entry's name."""
    if entry.old == "legacy" or entry.old.startswith("legacy."):
        return "WSU101"  # the legacy implementation
    if entry.kind in ("module", "removed"):
        return "WSU106"  # deprecated or removed modules and top-level names
    if entry.old.rpartition(".")[2] in EXCEPTIONS:
        return "WSU105"  # deprecated exceptions, at the top level or in exceptions
    if entry.old.startswith(("client.", "server.")):
        return "WSU102"  # client/server aliases, incl. the renamed Sans-I/O classes
    return "WSU103"  # top-level aliases to the legacy implementation


def snippets(entry: Deprecation) -> dict[str, str]:
    """Code using the entry's name, through an attribute chain and through ``from``."""
    module_name, name = split(entry.old)
    if entry.kind == "module" or (entry.kind == "removed" and entry.old == "http"):
        return {
            "import": f"import {PACKAGE}.{entry.old}\n",
            "from": f"from {module_name} import {name}\n",
        }
    use = f"({name}(None))" if entry.kind == "instantiation" else name
    return {
        "attribute": f"import {module_name}\nprint({PACKAGE}.{entry.old})\n",
        "from": f"from {module_name} import {name}\nprint({use})\n",
    }


@pytest.mark.parametrize("entry", DEPRECATIONS, ids=ids(list(DEPRECATIONS)))
def test_linter_flags_entry(entry: Deprecation) -> None:
    code = expected_code(entry)
    for form, source in snippets(entry).items():
        result = check_source(source, filename="snippet.py")
        assert result.syntax_error is None, source
        found = {diagnostic.code for diagnostic in result.diagnostics}
        assert code in found, f"{form} form of {entry.old}: {found}\n{source}"
