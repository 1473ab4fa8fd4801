"""URL routing for the threading server: :func:`route`, :func:`unix_route`, :class:`Router`.

Routing needs werkzeug; without it this module still imports and :func:`route` raises
:exc:`ImportError` when called.

"""

from __future__ import annotations

import ssl as ssl_module
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..http11 import Request, Response
from ..routing import RouterBase, require_werkzeug, url_scheme_for
from ..typing import PathLike
from .server import Server, ServerConnection, serve

if TYPE_CHECKING:
    from werkzeug.routing import Map

__all__ = ["Router", "route", "unix_route"]


class Router(RouterBase):
    """Route each connection to the handler of the URL map rule its path matches."""

    def handler(self, connection: ServerConnection) -> None:
        """Run the handler :meth:`route_request` chose, with the values from the URL."""
        connection.handler(connection, **connection.handler_kwargs)


def route(
    url_map: Map,
    *args: Any,
    server_name: str | None = None,
    ssl: ssl_module.SSLContext | bool | None = None,
    create_router: Callable[[Map, str | None, str], Router] | None = None,
    **kwargs: Any,
) -> Server:
    """Create a server that routes connections with a werkzeug URL map.

    Each rule's endpoint is a handler ``def handler(connection, **url_params)``.
    ``ssl=True`` means TLS is terminated in front of this server: URLs use ``wss``
    but no TLS is set up here. A ``process_request`` in ``kwargs`` runs before
    routing; when it returns a response, routing doesn't happen. Other arguments are
    those of :func:`~.server.serve`.

    """
    require_werkzeug("route")
    router = (create_router or Router)(url_map, server_name, url_scheme_for(ssl, kwargs))
    user_process_request = kwargs.pop("process_request", None)

    def process_request(connection: ServerConnection, request: Request) -> Response | None:
        if user_process_request is not None:
            response = user_process_request(connection, request)
            if response is not None:
                return response  # type: ignore[no-any-return]
        return router.route_request(connection, request)

    return serve(router.handler, *args, process_request=process_request, **kwargs)


def unix_route(url_map: Map, path: PathLike | None = None, **kwargs: Any) -> Server:
    """:func:`route` on the Unix socket ``path``."""
    require_werkzeug("unix_route")
    return route(url_map, unix=True, path=path, **kwargs)
