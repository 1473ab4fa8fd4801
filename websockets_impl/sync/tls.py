"""TLS over a socket that already carries TLS, for ``wss://`` through an ``https://`` proxy.

:class:`ssl.SSLSocket` can't wrap another :class:`~ssl.SSLSocket`, so the inner TLS
session runs in memory (:class:`ssl.SSLObject` with two :class:`ssl.MemoryBIO`) and
its records travel over the outer socket.

"""

from __future__ import annotations

import ssl
from typing import Any

__all__ = ["SSLInSSLSocket"]

RECORD_SIZE = 65536


class SSLInSSLSocket:
    """The subset of the socket API a connection uses, over an inner TLS session."""

    def __init__(self, sock: ssl.SSLSocket, context: ssl.SSLContext, server_hostname: str) -> None:
        self.sock = sock
        self.incoming = ssl.MemoryBIO()
        self.outgoing = ssl.MemoryBIO()
        self.ssl_object = context.wrap_bio(
            self.incoming, self.outgoing, server_hostname=server_hostname
        )
        self._run(self.ssl_object.do_handshake)

    def _flush(self) -> None:
        data = self.outgoing.read()
        if data:
            self.sock.sendall(data)

    def _run(self, operation: Any, *args: Any) -> Any:
        """Run an SSLObject operation, moving records between the BIOs and the socket."""
        while True:
            try:
                result = operation(*args)
            except ssl.SSLWantReadError:
                self._flush()
                data = self.sock.recv(RECORD_SIZE)
                if data:
                    self.incoming.write(data)
                else:
                    self.incoming.write_eof()
                continue
            self._flush()
            return result

    # The socket API used by Connection.

    @property
    def family(self) -> int:
        return self.sock.family

    def recv(self, bufsize: int) -> bytes:
        try:
            data: bytes = self._run(self.ssl_object.read, bufsize)
        except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
            return b""
        return data

    def sendall(self, data: Any) -> None:
        view = memoryview(data)
        while view:
            sent = self._run(self.ssl_object.write, view)
            view = view[sent:]

    def settimeout(self, timeout: float | None) -> None:
        self.sock.settimeout(timeout)

    def shutdown(self, how: int) -> None:
        self.sock.shutdown(how)

    def close(self) -> None:
        self.sock.close()

    def fileno(self) -> int:
        return self.sock.fileno()

    def getsockname(self) -> Any:
        return self.sock.getsockname()

    def getpeername(self) -> Any:
        return self.sock.getpeername()

    def setsockopt(self, *args: Any) -> None:
        self.sock.setsockopt(*args)

    def getpeercert(self, binary_form: bool = False) -> Any:
        return self.ssl_object.getpeercert(binary_form)
