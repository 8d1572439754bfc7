"""When a feed may be fetched again: its own wishes, and a back-off after failures.

A feed says how often it wants to be polled in three ways: RSS ``<ttl>`` (minutes),
``Cache-Control: max-age`` (seconds) on the response, and ``Retry-After`` (seconds or an
HTTP date) when it answers 429 or 503. The longest of these wins, so the reader never asks
more often than the feed allows. A feed that fails waits longer after each failure in a
row (doubling from :data:`BACKOFF_START`, capped at :data:`BACKOFF_CAP`), so a dead site is
not hammered every refresh. The result is stored per feed as a "not before" time; refreshes
that honour the schedule (the automatic one, ``reader feeds refresh --all``) skip a feed
until then.

Everything here is pure and takes ``now``: the tests drive it with a fake clock.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

BACKOFF_START = timedelta(minutes=10)
BACKOFF_CAP = timedelta(hours=12)
WISH_CAP = timedelta(days=7)
"""A feed asking for more than a week between fetches is taken as asking for a week."""

_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d{1,12})\"?", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|[,\s])(?:no-cache|no-store)(?:$|[,\s=])", re.IGNORECASE)


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_stamp(stamp: str | None) -> datetime | None:
    """An ISO time from the library, or None when missing or unreadable."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def max_age(headers: Mapping[str, str]) -> timedelta | None:
    """``Cache-Control: max-age`` of a response (header names lower-case)."""
    value = headers.get("cache-control", "")
    if _NO_CACHE.search(value):
        return None
    match = _MAX_AGE.search(value)
    return timedelta(seconds=int(match.group(1))) if match else None


def retry_after(value: str | None, now: datetime) -> timedelta | None:
    """A ``Retry-After`` value (delay in seconds, or an HTTP date) as a delay from now."""
    if not value:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return timedelta(seconds=int(text[:12]))
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(timedelta(0), moment - now)


def backoff(failures: int) -> timedelta:
    """How long to leave a feed alone after ``failures`` failures in a row."""
    if failures <= 0:
        return timedelta(0)
    doubled: timedelta = BACKOFF_START * (2 ** min(failures - 1, 16))
    return min(doubled, BACKOFF_CAP)


def after_success(now: datetime, *, ttl_minutes: int | None,
                  headers: Mapping[str, str]) -> datetime:
    """The earliest next fetch after a good one (new items or 304): the longest wish."""
    wishes = [timedelta(0)]
    if ttl_minutes is not None and ttl_minutes > 0:
        wishes.append(timedelta(minutes=min(ttl_minutes, 10**7)))
    age = max_age(headers)
    if age is not None:
        wishes.append(age)
    return now + min(max(wishes), WISH_CAP)


def after_failure(now: datetime, failures: int, *,
                  retry_after_value: str | None = None) -> datetime:
    """The earliest next fetch after the ``failures``-th failure in a row: the back-off,
    or the server's ``Retry-After`` when it asks for longer."""
    wait = backoff(failures)
    asked = retry_after(retry_after_value, now)
    if asked is not None:
        wait = max(wait, min(asked, WISH_CAP))
    return now + wait


def is_due(not_before: str | None, now: datetime) -> bool:
    moment = parse_stamp(not_before)
    return moment is None or moment <= now
