"""Proxies for WebSocket clients: parsing, discovery from the environment, CONNECT requests.

The I/O that goes through a proxy lives with each client (:mod:`.asyncio.client`,
:mod:`.sync.client`); this module holds what they share and does no I/O.

"""

from __future__ import annotations

import dataclasses
import urllib.parse
import urllib.request
from typing import Any

from .datastructures import Headers
from .exceptions import InvalidProxy
from .headers import build_authorization_basic, build_host
from .http11 import USER_AGENT
from .uri import WebSocketURI

__all__ = ["Proxy", "get_proxy", "parse_proxy"]

SCHEMES = ("socks5h", "socks5", "socks4a", "socks4", "https", "http")
SOCKS_SCHEMES = ("socks5h", "socks5", "socks4a", "socks4")


@dataclasses.dataclass
class Proxy:
    """A parsed proxy URI."""

    scheme: str
    host: str
    port: int
    username: str | None = None
    password: str | None = None

    @property
    def user_info(self) -> tuple[str, str] | None:
        """``(username, password)`` when the proxy URI has credentials."""
        if self.username is None:
            return None
        assert self.password is not None
        return (self.username, self.password)


def parse_proxy(proxy: str) -> Proxy:
    """Parse and validate a proxy URI such as ``http://user:pass@host:8080``.

    Raises:
        InvalidProxy: ``proxy`` isn't a valid proxy URI.

    """
    parsed = urllib.parse.urlparse(proxy)
    if parsed.scheme not in SCHEMES:
        raise InvalidProxy(proxy, f"scheme {parsed.scheme} isn't supported")
    if parsed.hostname is None:
        raise InvalidProxy(proxy, "hostname isn't provided")
    if parsed.path not in ("", "/"):
        raise InvalidProxy(proxy, "path is meaningless")
    if parsed.query != "":
        raise InvalidProxy(proxy, "query is meaningless")
    if parsed.fragment != "":
        raise InvalidProxy(proxy, "fragment is meaningless")
    if parsed.username is not None and parsed.password is None:
        raise InvalidProxy(proxy, "username provided without password")
    try:
        port = parsed.port
    except ValueError as exc:
        raise InvalidProxy(proxy, str(exc)) from exc
    if port is None:
        port = 443 if parsed.scheme == "https" else 80
    host = parsed.hostname
    if not proxy.isascii():
        # Like parse_uri for IRIs: an internationalized host becomes its ASCII form.
        host = host.encode("idna").decode()
    username = password = None
    if parsed.username is not None:
        assert parsed.password is not None
        username = urllib.parse.unquote(parsed.username)
        password = urllib.parse.unquote(parsed.password)
    return Proxy(parsed.scheme, host, port, username, password)


def get_proxy(uri: WebSocketURI) -> str | None:
    """The proxy to use for ``uri`` according to the environment, or ``None``.

    It honours ``no_proxy`` and reads ``wss_proxy``, ``ws_proxy``, ``socks_proxy``,
    ``https_proxy`` and ``http_proxy`` (or the OS settings), in that order of
    preference for the URI's scheme.

    """
    if urllib.request.proxy_bypass(f"{uri.host}:{uri.port}"):
        return None
    proxies = urllib.request.getproxies()
    preferences = ("wss", "socks", "https") if uri.secure else ("ws", "socks", "https", "http")
    for scheme in preferences:
        proxy = proxies.get(scheme)
        if proxy is None:
            continue
        if scheme == "socks" and proxy.startswith("http://"):
            # urllib reports a SOCKS proxy set in the OS as http://; it is SOCKS 5.
            proxy = "socks5h://" + proxy[len("http://") :]
        return proxy
    return None


def prepare_connect_request(
    proxy: Proxy,
    ws_uri: WebSocketURI,
    user_agent_header: str | None = USER_AGENT,
) -> bytes:
    """The HTTP ``CONNECT`` request that opens a tunnel to ``ws_uri`` through ``proxy``."""
    target = build_host(ws_uri.host, ws_uri.port, ws_uri.secure, always_include_port=True)
    headers = Headers()
    headers["Host"] = build_host(ws_uri.host, ws_uri.port, ws_uri.secure)
    if user_agent_header is not None:
        headers["User-Agent"] = user_agent_header
    if proxy.user_info is not None:
        headers["Proxy-Authorization"] = build_authorization_basic(*proxy.user_info)
    return f"CONNECT {target} HTTP/1.1\r\n".encode() + headers.serialize()


def socks_proxy_settings(proxy: Proxy) -> dict[str, Any]:
    """The arguments of python-socks' ``Proxy`` classes for a SOCKS ``proxy``.

    Raises:
        ImportError: python-socks isn't installed.

    """
    try:
        from python_socks import ProxyType
    except ImportError:
        raise ImportError("connecting through a SOCKS proxy requires python-socks") from None
    return {
        "proxy_type": ProxyType.SOCKS5 if proxy.scheme.startswith("socks5") else ProxyType.SOCKS4,
        "host": proxy.host,
        "port": proxy.port,
        "username": proxy.username,
        "password": proxy.password,
        # socks5h and socks4a resolve the destination on the proxy.
        "rdns": proxy.scheme in ("socks5h", "socks4a"),
    }
