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
