"""URL routing shared by :mod:`.asyncio.router` and :mod:`.sync.router` (needs werkzeug)."""

from __future__ import annotations

import http
import ssl as ssl_module
import urllib.parse
from typing import TYPE_CHECKING, Any

from .http11 import Request, Response

if TYPE_CHECKING:
    from werkzeug.routing import Map

__all__ = ["RouterBase", "require_werkzeug", "url_scheme_for"]


class RouterBase:
    """Match a handshake request against a werkzeug URL map.

    Every rule of ``url_map`` becomes a WebSocket rule. ``server_name`` is the host the
    map is bound to; ``None`` binds it to the request's ``Host`` header.

    """

    def __init__(
        self,
        url_map: Map,
        server_name: str | None = None,
        url_scheme: str = "ws",
    ) -> None:
        self.url_map = url_map
        self.server_name = server_name
        self.url_scheme = url_scheme
        for rule in url_map.iter_rules():
            rule.websocket = True

    def get_server_name(self, connection: Any, request: Request) -> str:
        """The host the URL map is bound to for ``request``."""
        if self.server_name is None:
            return request.headers["Host"]
        return self.server_name

    def redirect(self, connection: Any, url: str) -> Response:
        """A 302 response to ``url``."""
        response: Response = connection.respond(http.HTTPStatus.FOUND, f"Found at {url}")
        response.headers["Location"] = url
        return response

    def not_found(self, connection: Any) -> Response:
        """A 404 response."""
        response: Response = connection.respond(http.HTTPStatus.NOT_FOUND, "Not Found")
        return response

    def route_request(self, connection: Any, request: Request) -> Response | None:
        """Find the handler for ``request``, or answer with a redirect or a 404.

        On a match, ``connection.handler`` and ``connection.handler_kwargs`` are set and
        the handshake goes on.

        """
        from werkzeug.exceptions import NotFound
        from werkzeug.routing import RequestRedirect

        adapter = self.url_map.bind(
            self.get_server_name(connection, request), url_scheme=self.url_scheme
        )
        path, _, query = request.path.partition("?")
        try:
            handler, kwargs = adapter.match(path_info=urllib.parse.unquote(path), query_args=query)
        except RequestRedirect as redirect:
            return self.redirect(connection, redirect.new_url)
        except NotFound:
            return self.not_found(connection)
        connection.handler = handler
        connection.handler_kwargs = kwargs
        return None


def require_werkzeug(function: str) -> None:
    """Raise :exc:`ImportError` naming ``function`` when werkzeug isn't installed."""
    try:
        import werkzeug  # noqa: F401
    except ImportError:
        raise ImportError(f"{function}() requires werkzeug") from None


def url_scheme_for(ssl: ssl_module.SSLContext | bool | None, kwargs: dict[str, Any]) -> str:
    """The URL scheme of a routed server; an SSL context goes on to ``serve()`` in ``kwargs``.

    ``ssl=True`` means TLS ends in front of the server: ``wss`` URLs, no TLS here.
    """
    if isinstance(ssl, ssl_module.SSLContext):
        kwargs["ssl"] = ssl
    return "ws" if ssl is None or ssl is False else "wss"
