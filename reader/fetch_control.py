"""What bounds a fetch and what stops one: the two parts of fetching every reader start
needs (the first article is loaded with them) without the network code, which imports
``ssl``, ``ipaddress`` and the address checks; ``reader.fetch`` imports them from here.
"""

from __future__ import annotations

import threading
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from reader.errors import Cancelled

if TYPE_CHECKING:
    import asyncio

T = TypeVar("T")


class FetchLimits(NamedTuple):
    """How long, how far and how much one fetch may go before it is abandoned (a named
    tuple: every start-up makes this class, and a frozen dataclass costs ~0.7 ms to)."""

    timeout: float = 20.0
    connect_timeout: float = 10.0
    max_bytes: int = 15 * 1024 * 1024
    max_redirects: int = 10



class Cancel:
    """A stop switch for blocking network work running in another thread.

    Blocking callers (the CLI, a TUI thread worker) run each network step through
    :meth:`run`, which gives it a private event loop. :meth:`cancel` may be called from any
    thread: it cancels the running step at its next await (the HTTP client is closed by
    its ``async with`` on the way out) and makes every later :meth:`check` or :meth:`run`
    raise :class:`reader.errors.Cancelled`.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._running: list[tuple[asyncio.AbstractEventLoop, asyncio.Task[Any]]] = []

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            running = list(self._running)
        for loop, task in running:
            loop.call_soon_threadsafe(task.cancel)

    def check(self) -> None:
        if self._cancelled:
            raise Cancelled("cancelled")

    def run(self, step: Coroutine[Any, Any, T]) -> T:
        """Run one coroutine to completion on a private loop, unless cancelled first."""
        if self._cancelled:
            step.close()
            raise Cancelled("cancelled")
        import asyncio

        return asyncio.run(self._watched(step))

    async def _watched(self, step: Coroutine[Any, Any, T]) -> T:
        import asyncio

        task = asyncio.current_task()
        assert task is not None
        entry = (asyncio.get_running_loop(), task)
        with self._lock:
            self._running.append(entry)
            cancelled_already = self._cancelled
        try:
            if cancelled_already:
                raise asyncio.CancelledError
            return await step
        except asyncio.CancelledError:
            if self._cancelled:
                raise Cancelled("cancelled") from None
            raise
        finally:
            with self._lock:
                self._running.remove(entry)
            step.close()
