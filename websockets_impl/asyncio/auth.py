"""HTTP Basic Authentication for the asyncio server: :func:`basic_auth`."""

from __future__ import annotations

import hmac
import http
import inspect
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import TYPE_CHECKING, Any, TypeAlias

from ..datastructures import MultipleValuesError
from ..exceptions import InvalidHeader
from ..headers import build_www_authenticate_basic, parse_authorization_basic
from ..http11 import Request, Response

if TYPE_CHECKING:
    from .server import ServerConnection

__all__ = ["basic_auth"]

Credentials: TypeAlias = tuple[str, str]
CheckCredentials: TypeAlias = Callable[[str, str], Awaitable[bool] | bool]


def _is_credentials(value: object) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], str)
    )


def credentials_checker(
    credentials: Credentials | Iterable[Credentials] | None,
    check_credentials: CheckCredentials | None,
) -> CheckCredentials:
    """The function that checks a username and password, from ``basic_auth``'s arguments.

    Raises:
        ValueError: neither or both of ``credentials`` and ``check_credentials``.
        TypeError: ``credentials`` is malformed.

    """
    if (credentials is None) == (check_credentials is None):
        raise ValueError("provide either credentials or check_credentials")
    if credentials is not None:
        return check_against(credentials)
    assert check_credentials is not None
    return check_credentials


def check_against(credentials: Credentials | Iterable[Credentials]) -> CheckCredentials:
    if _is_credentials(credentials):
        pairs: list[Any] = [credentials]
    elif isinstance(credentials, Iterable):
        pairs = list(credentials)
        if not all(_is_credentials(pair) for pair in pairs):
            raise TypeError(f"invalid credentials argument: {credentials}")
    else:
        raise TypeError(f"invalid credentials argument: {credentials}")
    passwords: dict[str, str] = dict(pairs)

    def check_credentials(username: str, password: str) -> bool:
        expected = passwords.get(username)
        # Compare even for unknown users so that timing reveals nothing.
        matches = hmac.compare_digest((expected or "").encode(), password.encode())
        return expected is not None and matches

    return check_credentials


def basic_auth(
    realm: str = "",
    credentials: Credentials | Iterable[Credentials] | None = None,
    check_credentials: CheckCredentials | None = None,
) -> Callable[[ServerConnection, Request], Coroutine[Any, Any, Response | None]]:
    """Return a ``process_request`` function that enforces HTTP Basic Authentication.

    Give either ``credentials``, a ``(username, password)`` pair or an iterable
    of pairs, or ``check_credentials``, a function or coroutine function that
    receives the username and password and returns whether they're valid.
    Requests without valid credentials get a 401 response; otherwise
    ``connection.username`` is set.

    Raises:
        ValueError: neither or both of ``credentials`` and ``check_credentials``.
        TypeError: ``credentials`` is malformed.

    """
    check = credentials_checker(credentials, check_credentials)

    def unauthorized(connection: ServerConnection, text: str) -> Response:
        response = connection.respond(http.HTTPStatus.UNAUTHORIZED, text)
        response.headers["WWW-Authenticate"] = build_www_authenticate_basic(realm)
        return response

    async def process_request(connection: ServerConnection, request: Request) -> Response | None:
        credentials = read_credentials(request)
        if isinstance(credentials, str):
            return unauthorized(connection, credentials)
        username, password = credentials
        valid = check(username, password)
        if inspect.isawaitable(valid):
            valid = await valid
        if not valid:
            return unauthorized(connection, "Invalid credentials\n")
        connection.username = username
        return None

    return process_request


def read_credentials(request: Request) -> Credentials | str:
    """The Basic credentials of ``request``, or the text of the 401 answer when unusable."""
    try:
        authorization = request.headers["Authorization"]
    except KeyError:
        return "Missing credentials\n"
    except MultipleValuesError:
        return "Unsupported credentials\n"
    try:
        return parse_authorization_basic(authorization)
    except InvalidHeader:
        return "Unsupported credentials\n"
