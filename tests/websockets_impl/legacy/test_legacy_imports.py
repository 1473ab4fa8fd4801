"""Import-time deprecations, run in fresh interpreters, and the aliases pointing to legacy."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import textwrap
import warnings

import pytest

from websockets_impl.deprecations import DEPRECATIONS
from websockets_impl.imports import resolve

LEGACY_MODULES = [
    "websockets_impl.legacy",
    "websockets_impl.legacy.auth",
    "websockets_impl.legacy.client",
    "websockets_impl.legacy.exceptions",
    "websockets_impl.legacy.framing",
    "websockets_impl.legacy.handshake",
    "websockets_impl.legacy.http",
    "websockets_impl.legacy.protocol",
    "websockets_impl.legacy.server",
]


def run(code: str) -> object:
    """Run ``code`` in a new interpreter; return the JSON it prints."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_each_legacy_module_warns_on_first_import() -> None:
    warned = run(
        f"""
        import importlib, json, sys, warnings
        warned = {{}}
        for name in {LEGACY_MODULES!r}:
            for loaded in [m for m in sys.modules if m.startswith("websockets_impl.legacy")]:
                del sys.modules[loaded]
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                importlib.import_module(name)
            warned[name] = [
                str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)
            ]
        print(json.dumps(warned))
        """
    )
    message = (
        "websockets_impl.legacy is deprecated; "
        "see https://websockets.readthedocs.io/en/stable/howto/upgrade.html "
        "for upgrade instructions"
    )
    assert warned == {name: [message] for name in LEGACY_MODULES}


def test_legacy_warns_once_per_process() -> None:
    messages = run(
        f"""
        import importlib, json, warnings
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for name in {LEGACY_MODULES!r}:
                importlib.import_module(name)
        print(json.dumps([str(w.message) for w in caught]))
        """
    )
    assert isinstance(messages, list)
    assert len(messages) == 1
    assert messages[0].startswith("websockets_impl.legacy is deprecated")


def test_auth_module_warns_and_reexports_legacy_auth() -> None:
    result = run(
        """
        import json, warnings
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            import websockets_impl.auth as auth
        import websockets_impl.legacy.auth as legacy_auth
        print(json.dumps({
            "messages": [str(w.message) for w in caught],
            "categories": sorted({w.category.__name__ for w in caught}),
            "same": all(
                getattr(auth, name) is getattr(legacy_auth, name) for name in legacy_auth.__all__
            ),
            "all": sorted(auth.__all__),
        }))
        """
    )
    assert result == {
        # Only the alias warning: the legacy package's own is suppressed while re-exporting.
        "messages": [
            "websockets_impl.auth, an alias for websockets_impl.legacy.auth, is deprecated; "
            "see https://websockets.readthedocs.io/en/stable/howto/upgrade.html "
            "for upgrade instructions",
        ],
        "categories": ["DeprecationWarning"],
        "same": True,
        "all": ["BasicAuthWebSocketServerProtocol", "basic_auth_protocol_factory"],
    }


def test_connection_module_warns_and_aliases_protocol() -> None:
    result = run(
        """
        import json, warnings
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            import websockets_impl.connection as connection
        import websockets_impl.protocol as protocol
        print(json.dumps({
            "messages": [str(w.message) for w in caught],
            "same": connection.Connection is protocol.Protocol,
        }))
        """
    )
    assert result == {
        "messages": [
            "websockets.connection was renamed to websockets.protocol "
            "and Connection was renamed to Protocol"
        ],
        "same": True,
    }


LEGACY_ALIASES = [
    entry
    for entry in DEPRECATIONS
    if entry.kind == "alias" and entry.target is not None and entry.target.startswith("legacy.")
]


@pytest.mark.parametrize("entry", LEGACY_ALIASES, ids=[entry.old for entry in LEGACY_ALIASES])
def test_deprecated_aliases_resolve_to_legacy_objects(entry: object) -> None:
    old: str = entry.old  # type: ignore[attr-defined]
    target: str = entry.target  # type: ignore[attr-defined]
    module_path, _, name = old.rpartition(".")
    module_name = f"websockets_impl.{module_path}" if module_path else "websockets_impl"
    module = importlib.import_module(module_name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        expected = resolve(target)
    with pytest.warns(DeprecationWarning, match=rf"^{module_name}\.{name} is deprecated$"):
        assert getattr(module, name) is expected
