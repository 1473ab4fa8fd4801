"""Headers: case-insensitive, multi-valued, validated."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pytest

from websockets_impl.datastructures import Headers, MultipleValuesError
from websockets_impl.exceptions import InvalidHeader, InvalidHeaderValue


@pytest.fixture
def headers() -> Headers:
    return Headers([("Connection", "Upgrade"), ("Server", "test")])


class TestHeaders:
    def test_case_insensitive_lookup(self, headers: Headers) -> None:
        assert headers["connection"] == headers["CONNECTION"] == "Upgrade"
        assert "sErVeR" in headers
        assert "Upgrade" not in headers
        assert 42 not in headers

    def test_setitem_appends(self, headers: Headers) -> None:
        headers["set-cookie"] = "a=1"
        headers["Set-Cookie"] = "b=2"
        assert headers.get_all("SET-COOKIE") == ["a=1", "b=2"]
        with pytest.raises(MultipleValuesError) as info:
            headers["Set-Cookie"]
        assert isinstance(info.value, LookupError)
        assert str(info.value) == "'Set-Cookie'"

    def test_missing_name(self, headers: Headers) -> None:
        with pytest.raises(KeyError):
            headers["Upgrade"]
        assert headers.get("Upgrade") is None
        assert headers.get_all("Upgrade") == []

    def test_delitem_removes_every_value(self, headers: Headers) -> None:
        headers["Server"] = "other"
        del headers["server"]
        assert "Server" not in headers
        assert list(headers.raw_items()) == [("Connection", "Upgrade")]
        with pytest.raises(KeyError):
            del headers["Server"]

    def test_iteration_and_len_count_names(self, headers: Headers) -> None:
        headers["Server"] = "other"
        assert len(headers) == 2
        assert list(headers) == ["connection", "server"]

    def test_raw_items_keep_order_and_case(self, headers: Headers) -> None:
        headers["CONNECTION"] = "close"
        assert list(headers.raw_items()) == [
            ("Connection", "Upgrade"),
            ("Server", "test"),
            ("CONNECTION", "close"),
        ]

    def test_serialize(self, headers: Headers) -> None:
        assert str(headers) == "Connection: Upgrade\r\nServer: test\r\n\r\n"
        assert headers.serialize() == b"Connection: Upgrade\r\nServer: test\r\n\r\n"
        assert Headers().serialize() == b"\r\n"

    def test_latin1_values(self) -> None:
        headers = Headers(Name="café")
        assert headers.serialize() == "Name: café\r\n\r\n".encode("iso-8859-1")

    def test_copy_is_independent(self, headers: Headers) -> None:
        copy = headers.copy()
        copy["Server"] = "other"
        assert headers.get_all("Server") == ["test"]
        assert copy == Headers([*headers.raw_items(), ("Server", "other")])

    def test_equality(self, headers: Headers) -> None:
        assert headers == Headers([("connection", "Upgrade"), ("server", "test")])
        assert headers != Headers([("Connection", "Upgrade")])
        assert headers != {"Connection": "Upgrade", "Server": "test"}

    def test_clear(self, headers: Headers) -> None:
        headers.clear()
        assert len(headers) == 0
        assert list(headers.raw_items()) == []

    def test_repr(self, headers: Headers) -> None:
        assert repr(headers) == "Headers([('Connection', 'Upgrade'), ('Server', 'test')])"

    def test_update_with_every_kind_of_argument(self) -> None:
        class KeysAndGetItem:
            def keys(self) -> Iterable[str]:
                return ["A"]

            def __getitem__(self, key: str) -> str:
                return "from-object"

        source = Headers([("A", "1"), ("A", "2")])
        mapping: Mapping[str, str] = {"A": "3"}
        headers = Headers(source, A="0")
        for argument in (mapping, [("A", "4")], KeysAndGetItem()):
            headers.update(argument)
        headers.update(A="5")
        assert headers.get_all("a") == ["1", "2", "0", "3", "4", "from-object", "5"]

    def test_at_most_one_positional_argument(self) -> None:
        with pytest.raises(TypeError):
            Headers([("A", "1")], [("B", "2")])
        headers = Headers()
        with pytest.raises(TypeError):
            headers.update({"A": "1"}, {"B": "2"})
        assert headers.get_all("A") == headers.get_all("B") == []

    @pytest.mark.parametrize("value", ["a\r\nInjected: yes", "a\nb", "a\rb", "a\x00b", "€"])
    def test_invalid_values_are_rejected(self, value: str) -> None:
        with pytest.raises(InvalidHeaderValue):
            Headers()["Name"] = value

    @pytest.mark.parametrize("name", ["", "Bad Name", "Bad:Name", "Bad\r\nName"])
    def test_invalid_names_are_rejected(self, name: str) -> None:
        with pytest.raises(InvalidHeader):
            Headers()[name] = "value"

    def test_set_insecure_skips_validation(self) -> None:
        headers = Headers()
        headers.set_insecure("Name", "a\nb")
        assert headers["name"] == "a\nb"
