"""Numbers typed by the user that end up in SQLite: ids, limits, offsets.

``str.isdigit()`` accepts "²" and "٣", which ``int()`` rejects or reads differently, and
SQLite integers stop at 2**63 - 1 (beyond, the driver raises OverflowError). Everything
that turns user text into such a number goes through here.
"""

from __future__ import annotations

from reader.errors import ReaderError

SQLITE_MAX = 2**63 - 1


def ascii_number(text: str) -> int | None:
    """``text`` as a non-negative integer SQLite can hold, or None if it is not one."""
    text = text.strip()
    if not text or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= SQLITE_MAX else None


def article_id(text: str, noun: str = "article id") -> int:
    """An id (1 or more); anything else is a one-line ReaderError."""
    value = ascii_number(text)
    if value is None or value < 1:
        from reader.textutil import clean_inline

        raise ReaderError(f"not an {noun}: {clean_inline(text)[:40]}")
    return value


def count(text: str) -> int:
    """An argparse type for --limit: 1 or more, within SQLite's range.

    Raises ReaderError, which argparse lets through, so the CLI says it in one line."""
    value = ascii_number(text)
    if value is None or value < 1:
        raise ReaderError(f"not a count: {_shown(text)} (a whole number from 1 up)")
    return value


def offset(text: str) -> int:
    """An argparse type for --offset: 0 or more, within SQLite's range."""
    value = ascii_number(text)
    if value is None:
        raise ReaderError(f"not an offset: {_shown(text)} (a whole number from 0 up)")
    return value


def _shown(text: str) -> str:
    from reader.textutil import clean_inline

    shown = clean_inline(text)
    return shown if len(shown) <= 24 else shown[:23] + "…"
