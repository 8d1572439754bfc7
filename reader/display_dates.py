"""Dates as a reader writes them, for the screen and for exports.

Apart from ``reader.analysis.dates``, which finds and resolves dates in article text with a
dozen patterns compiled at import: the reading screen shows a byline date in its first
frame and should not wait for those.
"""

from __future__ import annotations

import datetime as dt
import re


def display_date(when: str) -> str:
    """A date as a reader writes it: "Mon 11 Nov 2019", "Nov 2019", "week of 11 Nov 2019".

    ``when`` is what ``resolve_date`` gives (a day, month, year or ISO week) or a full
    timestamp from a feed ("2026-03-04T09:00:00Z" -> "Wed 4 Mar 2026, 09:00 UTC"). An ISO
    week code or a raw timestamp means nothing to most readers. Anything unrecognised is
    returned unchanged.
    """
    text = when.strip()
    week = re.fullmatch(r"(\d{4})-W(\d{2})", text)
    if week:
        try:
            monday = dt.date.fromisocalendar(int(week[1]), int(week[2]), 1)
        except ValueError:
            return when
        return f"week of {monday.day} {_MONTH_ABBR[monday.month]} {monday.year}"
    if re.fullmatch(r"\d{4}", text):
        return text
    month = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if month and 1 <= int(month[2]) <= 12:
        return f"{_MONTH_ABBR[int(month[2])]} {month[1]}"
    stamp = _parse_timestamp(text)
    if stamp is None:
        return when
    day = f"{_WEEKDAY_ABBR[stamp.weekday()]} {stamp.day} {_MONTH_ABBR[stamp.month]} {stamp.year}"
    if isinstance(stamp, dt.datetime) and (stamp.hour, stamp.minute) != (0, 0):
        return f"{day}, {stamp.hour:02d}:{stamp.minute:02d}{_zone(stamp)}"
    return day


_MONTH_ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
               "Nov", "Dec")
_WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _zone(stamp: dt.datetime) -> str:
    offset = stamp.utcoffset()
    if offset is None:
        return ""
    if offset == dt.timedelta(0):
        return " UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f" {sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _parse_timestamp(text: str) -> dt.date | dt.datetime | None:
    """An ISO date or date-time (with "Z" for UTC), else None."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None
