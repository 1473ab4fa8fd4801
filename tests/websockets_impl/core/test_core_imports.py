"""Lazy imports, the top-level package and the deprecated or removed names."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types
import warnings

import pytest

import websockets_impl
from websockets_impl import exceptions
from websockets_impl.deprecations import DEPRECATIONS, aliases_in
from websockets_impl.imports import lazy_import, resolve


def make_module(**kwargs: object) -> types.ModuleType:
    module = types.ModuleType("websockets_impl.fake")
    lazy_import(vars(module), **kwargs)  # type: ignore[arg-type]
    return module


class TestLazyImport:
    def test_alias_is_resolved_and_cached(self) -> None:
        module = make_module(aliases={"Frame": "frames.Frame"})
        from websockets_impl.frames import Frame

        assert module.Frame is Frame
        assert vars(module)["Frame"] is Frame

    def test_deprecated_alias_warns_every_time(self) -> None:
        module = make_module(deprecated_aliases={"Old": "exceptions.ProtocolError"})
        for _ in range(2):
            with pytest.warns(
                DeprecationWarning, match=r"^websockets_impl\.fake\.Old is deprecated$"
            ):
                assert module.Old is exceptions.ProtocolError
        assert "Old" not in vars(module)

    def test_warning_points_at_the_caller(self) -> None:
        module = make_module(deprecated_aliases={"Old": "exceptions.ProtocolError"})
        with pytest.warns(DeprecationWarning) as record:
            module.Old  # noqa: B018
        assert record[0].filename == __file__

    def test_removed_and_unknown_names(self) -> None:
        module = make_module(removed=["gone"])
        with pytest.raises(AttributeError, match="was removed"):
            module.gone  # noqa: B018
        with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
            module.nothing  # noqa: B018

    def test_dir_lists_existing_names_aliases_and_deprecated_aliases(self) -> None:
        module = make_module(
            aliases={"Frame": "frames.Frame"},
            deprecated_aliases={"Old": "exceptions.ProtocolError"},
        )
        module.existing = 1
        listing = dir(module)
        assert listing == sorted(listing)
        assert {"Frame", "Old", "existing", "__name__"} <= set(listing)

    def test_relative_sources_resolve_against_the_package(self) -> None:
        # Like ``from .frames import Frame`` in a module of websockets_impl.
        module = make_module(
            aliases={"Frame": ".frames"},
            deprecated_aliases={"ProtocolError": ".exceptions"},
        )
        from websockets_impl.frames import Frame

        assert module.Frame is Frame
        with pytest.warns(DeprecationWarning) as warned:
            assert module.ProtocolError is exceptions.ProtocolError
        assert [str(w.message) for w in warned] == [
            "websockets_impl.fake.ProtocolError is deprecated"
        ]

    def test_relative_sources_climb_packages(self) -> None:
        module = types.ModuleType("websockets_impl.asyncio.fake")
        lazy_import(vars(module), aliases={"Frame": "..frames", "Assembler": ".messages"})
        from websockets_impl.asyncio.messages import Assembler
        from websockets_impl.frames import Frame

        assert module.Frame is Frame
        assert module.Assembler is Assembler

    def test_unknown_name_message(self) -> None:
        module = make_module()
        with pytest.raises(AttributeError) as raised:
            module.nothing  # noqa: B018
        assert str(raised.value) == "module 'websockets_impl.fake' has no attribute 'nothing'"

    def test_resolve(self) -> None:
        assert resolve("exceptions.ProtocolError") is exceptions.ProtocolError


class TestTopLevel:
    def test_import_is_cheap(self) -> None:
        code = (
            "import sys, websockets_impl; "
            "print(sorted(m for m in sys.modules if m.startswith('websockets_impl')))"
        )
        output = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        loaded = eval(output)
        assert "websockets_impl.asyncio" not in loaded
        assert "websockets_impl.protocol" not in loaded

    @pytest.mark.parametrize(
        "module_name",
        [
            "client",
            "server",
            "datastructures",
            "exceptions",
            "frames",
            "http11",
            "protocol",
            "typing",
        ],
    )
    def test_all_is_the_union_of_the_modules(self, module_name: str) -> None:
        module = importlib.import_module(f"websockets_impl.{module_name}")
        public = {name for name in module.__all__ if not name.isupper()}
        assert public <= set(websockets_impl.__all__)
        assert public == set(websockets_impl.EXPORTS[module_name])

    def test_every_name_resolves_to_its_module(self) -> None:
        for module_name, names in websockets_impl.EXPORTS.items():
            if module_name.startswith("asyncio"):
                continue
            module = importlib.import_module(f"websockets_impl.{module_name}")
            for name in names:
                assert getattr(websockets_impl, name) is getattr(module, name)

    def test_asyncio_names(self) -> None:
        if not _asyncio_available():
            pytest.skip("websockets_impl.asyncio isn't available")
        for name in websockets_impl.EXPORTS["asyncio.client"]:
            assert getattr(websockets_impl, name).__module__.startswith("websockets_impl.asyncio")

    def test_all_has_no_duplicates(self) -> None:
        assert len(websockets_impl.__all__) == len(set(websockets_impl.__all__))

    def test_deprecated_top_level_alias(self) -> None:
        with pytest.warns(
            DeprecationWarning, match=r"^websockets_impl\.WebSocketProtocolError is deprecated$"
        ):
            assert websockets_impl.WebSocketProtocolError is exceptions.ProtocolError

    def test_every_top_level_deprecated_alias_warns(self) -> None:
        for name in aliases_in(""):
            assert name not in websockets_impl.__all__
            with warnings.catch_warnings(record=True) as record:
                warnings.simplefilter("always")
                try:
                    getattr(websockets_impl, name)
                except ImportError:
                    pass  # the legacy implementation may not be written yet
            assert any(f"websockets_impl.{name} is deprecated" in str(w.message) for w in record)

    @pytest.mark.parametrize(
        "name", [d.old for d in DEPRECATIONS if d.kind == "removed" and "." not in d.old]
    )
    def test_removed_names(self, name: str) -> None:
        with pytest.raises(AttributeError):
            getattr(websockets_impl, name)
        with pytest.raises(ImportError):
            exec(f"from websockets_impl import {name}")
        with pytest.raises(ImportError):
            importlib.import_module(f"websockets_impl.{name}")

    def test_star_import_skips_deprecated_names(self) -> None:
        if not _asyncio_available():
            pytest.skip("websockets_impl.asyncio isn't available")
        namespace: dict[str, object] = {}
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            exec("from websockets_impl import *", namespace)
        assert set(websockets_impl.__all__) <= namespace.keys()
        assert not aliases_in("").keys() & namespace.keys()
        assert not [w for w in record if str(w.message).startswith("websockets_impl.")]


def _asyncio_available() -> bool:
    try:
        importlib.import_module("websockets_impl.asyncio.server")
        importlib.import_module("websockets_impl.asyncio.client")
    except ImportError:
        return False
    return True


class TestModuleAliases:
    @pytest.mark.parametrize("module_name", ["exceptions", "client", "server"])
    def test_aliases_warn_with_the_module_name(self, module_name: str) -> None:
        module = importlib.import_module(f"websockets_impl.{module_name}")
        for name in aliases_in(module_name):
            assert name not in module.__all__
            with warnings.catch_warnings(record=True) as record:
                warnings.simplefilter("always")
                try:
                    getattr(module, name)
                except ImportError:
                    pass  # the legacy implementation may not be written yet
            messages = [str(w.message) for w in record]
            assert f"websockets_impl.{module_name}.{name} is deprecated" in messages

    def test_exceptions_protocol_error_alias(self) -> None:
        with pytest.warns(DeprecationWarning):
            from websockets_impl.exceptions import WebSocketProtocolError
        assert WebSocketProtocolError is exceptions.ProtocolError

    def test_invalid_message_is_not_deprecated(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            from websockets_impl.exceptions import InvalidMessage
        assert issubclass(InvalidMessage, exceptions.InvalidHandshake)


class TestVersion:
    def test_version(self) -> None:
        from websockets_impl import version

        assert version.version == version.tag == version.commit == "17.4"
        assert version.released is True
