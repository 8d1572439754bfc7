"""The errors a user can see.

Every failure that the user caused or the outside world caused (a bad URL, a page that is
not an article, a corrupt library) is a ``ReaderError`` whose message is one human line.
The CLI prints that line and exits 1; the TUI shows it in a notification. Anything else is
a bug and is allowed to surface as a traceback.
"""

from __future__ import annotations


class ReaderError(Exception):
    """Base class: ``str(error)`` is a complete, one-line message for the user."""


class FetchError(ReaderError):
    """Getting the bytes failed: network, HTTP status, size, time or content type."""


class HTTPStatusError(FetchError):
    """The server answered with an error status; a feed's schedule reads ``retry_after``
    (the raw ``Retry-After`` header of a 429 or 503, if any)."""

    def __init__(self, message: str, *, status: int, retry_after: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class ExtractError(ReaderError):
    """The bytes were fetched but hold no article we can show."""


class AnalysisError(ReaderError):
    """The language model is missing or could not be loaded."""


class FeedError(ReaderError):
    """A feed (or subscription file) could not be used: not found, not a feed, malformed."""


class StoreError(ReaderError):
    """The library database could not be opened, read or written."""


class Cancelled(ReaderError):  # noqa: N818 - a state, not a fault
    """The user moved on (another article, quit) before a load finished."""
