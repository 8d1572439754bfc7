"""The transport every real fetch uses: connections go to the address already checked.

:func:`reader.fetch.checked_address` resolves a host once and refuses private targets for
links; this backend then connects to that very address, so a second DNS answer cannot
redirect the connection. Kept apart from :mod:`reader.fetch` because it subclasses
httpcore at import time, and only a fetch should pay for importing httpx.
"""

from __future__ import annotations

from typing import Any

import httpcore
import httpx

from reader.fetch import PINS


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects to the address :func:`reader.fetch.checked_address` settled on for the host."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        pinned = PINS.get({}).get(host, host)
        return await self._inner.connect_tcp(pinned, port, timeout=timeout,
                                             local_address=local_address,
                                             socket_options=socket_options)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def pinned_transport() -> httpx.AsyncHTTPTransport:
    transport = httpx.AsyncHTTPTransport()
    transport._pool = httpcore.AsyncConnectionPool(  # the pool httpx builds, plus the pin
        ssl_context=httpx.create_ssl_context(), network_backend=PinnedBackend())
    return transport
