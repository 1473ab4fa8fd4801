"""HTTP Basic Authentication (RFC 7617) for the legacy server.

Pass ``create_protocol=basic_auth_protocol_factory(...)`` to :func:`serve`.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeGuard, cast

from ..datastructures import Headers, MultipleValuesError
from ..exceptions import InvalidHeader
from ..headers import build_www_authenticate_basic, parse_authorization_basic
from .server import HTTPResponse, WebSocketServerProtocol

__all__ = ["BasicAuthWebSocketServerProtocol", "basic_auth_protocol_factory"]

Credentials = tuple[str, str]
CheckCredentials = Callable[[str, str], Awaitable[bool]]


def is_credentials(value: Any) -> TypeGuard[Credentials]:
    """Tell whether ``value`` is a ``(username, password)`` pair of strings."""
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], str)
    )


class BasicAuthWebSocketServerProtocol(WebSocketServerProtocol):
    """A server protocol that requires HTTP Basic Authentication.

    Requests without valid credentials get a 401 with a WWW-Authenticate
    challenge for ``realm``. After a successful check, ``username`` is set and
    the ``process_request`` argument of :func:`serve`, if any, runs.
    """

    realm: str = ""
    username: str | None = None

    def __init__(
        self,
        *args: Any,
        realm: str | None = None,
        check_credentials: CheckCredentials | None = None,
        **kwargs: Any,
    ) -> None:
        if realm is not None:
            self.realm = realm
        self._check_credentials = check_credentials
        super().__init__(*args, **kwargs)

    async def check_credentials(self, username: str, password: str) -> bool:
        """Tell whether the credentials are valid; override it or pass ``check_credentials``.

        Rejects everything by default.
        """
        if self._check_credentials is None:
            return False
        return await self._check_credentials(username, password)

    async def process_request(self, path: str, request_headers: Headers) -> HTTPResponse | None:
        """Check the Authorization header before anything else runs."""
        try:
            authorization = request_headers["Authorization"]
        except KeyError:
            return self._unauthorized(b"Missing credentials\n")
        except MultipleValuesError:
            return self._unauthorized(b"Unsupported credentials\n")
        try:
            username, password = parse_authorization_basic(authorization)
        except InvalidHeader:
            return self._unauthorized(b"Unsupported credentials\n")
        if not await self.check_credentials(username, password):
            return self._unauthorized(b"Invalid credentials\n")
        self.username = username
        return await super().process_request(path, request_headers)

    def _unauthorized(self, body: bytes) -> HTTPResponse:
        return (401, [("WWW-Authenticate", build_www_authenticate_basic(self.realm))], body)


def basic_auth_protocol_factory(
    realm: str | None = None,
    credentials: Credentials | Iterable[Credentials] | None = None,
    check_credentials: CheckCredentials | None = None,
    create_protocol: Callable[..., BasicAuthWebSocketServerProtocol] | None = None,
) -> Callable[..., BasicAuthWebSocketServerProtocol]:
    """Return a ``create_protocol`` for :func:`serve` that enforces Basic Authentication.

    Give either ``credentials`` (one pair or an iterable of pairs, compared in
    constant time) or a ``check_credentials`` coroutine function. Raises
    TypeError otherwise.
    """
    if (credentials is None) == (check_credentials is None):
        raise TypeError("provide either credentials or check_credentials")
    if credentials is not None:
        if is_credentials(credentials):
            credentials_list = [credentials]
        elif isinstance(credentials, Iterable):
            credentials_list = list(cast(Iterable[Any], credentials))
            if not all(is_credentials(item) for item in credentials_list):
                raise TypeError(f"invalid credentials argument: {credentials}")
        else:
            raise TypeError(f"invalid credentials argument: {credentials}")
        credentials_dict = dict(credentials_list)

        async def check_credentials(username: str, password: str) -> bool:
            try:
                expected_password = credentials_dict[username]
            except KeyError:
                return False
            # Bytes, because compare_digest rejects non-ASCII str.
            return hmac.compare_digest(expected_password.encode(), password.encode())

    if create_protocol is None:
        create_protocol = BasicAuthWebSocketServerProtocol
    return functools.partial(create_protocol, realm=realm, check_credentials=check_credentials)
