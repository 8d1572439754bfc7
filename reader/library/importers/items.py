"""What every importer produces: items read from another service's export, and the
problems met on the way (``row 113: no URL``), independent of the format they came from.

The fields are cleaned of control characters when an item is built (as every model built
from outside data is), times are turned into the library's ISO form here, once, and an
item without a usable http(s) URL never leaves its importer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from reader.models import clean_strings

MAX_ITEMS = 1_000_000
"""A library of a million articles is already far past any real export."""
MAX_TAGS = 100
MAX_TAG_CHARS = 200
MAX_HIGHLIGHTS = 2_000
MAX_URL_CHARS = 8_192


@dataclass(frozen=True)
class ImportedNote:
    """A highlight (and its note) as the other service kept it: the quoted words, no
    offsets we can trust; it is anchored to our text of the article by its words."""

    quote: str
    note: str = ""
    created: str | None = None

    def __post_init__(self) -> None:
        clean_strings(self)


@dataclass(frozen=True)
class ImportItem:
    """One saved link of an export, and whatever else the export kept about it."""

    url: str
    title: str = ""
    tags: tuple[str, ...] = ()
    saved: str | None = None
    read: bool = False
    archived: bool = False
    content: str | None = None
    """The article as the service kept it (``content_is_html`` says which), or None."""
    content_is_html: bool = True
    notes: tuple[ImportedNote, ...] = ()
    where: str = ""
    """Where in the file it was (``row 12``), for messages."""

    def __post_init__(self) -> None:
        clean_strings(self)


@dataclass
class Parsed:
    """The items of one export file and the rows that had to be skipped."""

    format: str
    items: list[ImportItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def skip(self, where: str, reason: str) -> None:
        self.problems.append(f"{where}: {reason}" if where else reason)

    def add(self, item: ImportItem) -> None:
        if len(self.items) >= MAX_ITEMS:
            self.skip(item.where, f"more than {MAX_ITEMS} items; the rest are skipped")
            raise TooManyItemsError
        self.items.append(item)


class TooManyItemsError(Exception):
    """Raised inside an importer to stop at :data:`MAX_ITEMS`."""


def web_url(value: object) -> str | None:
    """The URL if it is an http(s) address we could fetch, else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > MAX_URL_CHARS or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return url


def url_problem(value: object) -> str:
    """Why :func:`web_url` refused ``value``, in the words of a skipped-row message."""
    if not isinstance(value, str) or not value.strip():
        return "no URL"
    if len(value) > MAX_URL_CHARS:
        return "URL too long"
    shown = value.strip()[:60]
    return f"not a web address: {shown!r}"


def tag_list(values: object) -> tuple[str, ...]:
    """Tags as given (the store normalises them), without blanks, duplicates or giants."""
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple):
        return ()
    tags: list[str] = []
    for value in values:
        if not isinstance(value, str):
            continue
        tag = value.strip()
        if tag and len(tag) <= MAX_TAG_CHARS and tag not in tags and any(
                c.isalnum() for c in tag):
            tags.append(tag)
        if len(tags) >= MAX_TAGS:
            break
    return tuple(tags)


_DIGITS = re.compile(r"^\d{1,12}(\.\d+)?$")
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
"""No read-it-later service saved anything before the web; earlier is a broken value."""


def iso_time(value: object) -> str | None:
    """A saved time in the library's form (``2024-05-01T10:00:00Z``), from Unix seconds
    (milliseconds too) or an ISO 8601 string; None when it cannot be read."""
    moment: datetime | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        moment = _from_epoch(float(value))
    elif isinstance(value, str):
        text = value.strip()
        if _DIGITS.match(text):
            moment = _from_epoch(float(text))
        elif text:
            moment = _from_iso(text)
    if moment is None or moment < EARLIEST:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _from_epoch(seconds: float) -> datetime | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _from_iso(text: str) -> datetime | None:
    text = text.replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.strptime(text[:19], "%Y-%m-%d %H:%M:%S")
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def add_records(parsed: Parsed, records: Iterable[tuple[str, object]],
                to_item: Callable[[dict[str, Any], str, str], ImportItem], *,
                noun: str = "item") -> Parsed:
    """Each ``(where, record)`` of an export as an item: ``to_item(record, url, where)``
    reads the format's own fields. A record that is not an object, or has no web URL, is
    one problem line and reading goes on; past the item limit the rest is left."""
    try:
        for where, record in records:
            if not isinstance(record, dict):
                parsed.skip(where, f"not an {noun}")
                continue
            url = web_url(record.get("url"))
            if url is None:
                parsed.skip(where, url_problem(record.get("url")))
                continue
            parsed.add(to_item(record, url, where))
    except TooManyItemsError:
        pass
    return parsed
