"""Date phrases of news copy turned into ISO dates, relative ones against the dateline.

News writes "on Wednesday", "last month" or "earlier this year" and leaves the reader to
place them against the publication date. ``resolve_date`` does that placement with
plain rules: a bare weekday is the most recent one on or before the publication date
(the next one when the sentence speaks of the future), "last month" is the calendar
month before, and so on. The answer is an ISO 8601 string only as precise as the phrase:
"2021-03-03", "2021-03", "2021" or a week "2021-W39". Phrases that name a span of time
rather than a point in it ("three years", "the 39-year-old") are not dates here.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6}
SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a few": 3, "several": 3, "a couple of": 2, "couple of": 2,
}
SAME_DAY = ("today", "tonight", "this morning", "this afternoon", "this evening",
            "earlier today", "later today")
DAY_BEFORE = ("yesterday", "last night")

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[6-9]|20|21)\d\d)"
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b", re.I)
_DAY_MONTH_YEAR = re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?\b", re.I)
_MONTH_YEAR = re.compile(rf"\b{_MONTH}(?:,?\s+(?:of\s+)?{_YEAR})?\b", re.I)
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_NUMERIC = re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4})\b")
_YEAR_ONLY = re.compile(rf"\b{_YEAR}\b")
_AGO = re.compile(r"\b(?P<count>\d+|" + "|".join(sorted(SMALL_NUMBERS, key=len, reverse=True))
                  + r")\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.I)
_RELATIVE = re.compile(r"\b(?P<which>last|next|this|coming)\s+"
                       r"(?P<unit>week|month|year|weekend)\b", re.I)
_WEEKDAY = re.compile(r"\b(?:(?P<which>last|next|this|past|coming)\s+)?(?P<weekday>"
                      + "|".join(WEEKDAYS) + r")\b", re.I)
_YEARLESS_SLACK_DAYS = 14
"""A month and day without a year is put in the publication year, unless that lands
more than this far after the publication date in past-tense copy: then the year before."""

_AGE = re.compile(r"\b\d+[- ](?:year|month|week|day)s?[- ]old\b|\baged\s+\d+", re.I)
_ANCHOR = re.compile(
    r"\b(?:today|tonight|yesterday|tomorrow|ago|last night|this (?:morning|afternoon|evening)|"
    r"(?:last|next|this|coming) (?:week|weekend|month|year)|(?:earlier|later) this \w+|"
    r"(?:1[6-9]|20|21)\d\ds?)\b", re.I)
_CAPITAL_MONTH = re.compile(r"\b(?:" + "|".join(m.title() for m in MONTHS) + r")\b")


def parse_published(value: str | None) -> dt.date | None:
    """The publication date of an article's metadata, which may carry a time or be junk."""
    if not value:
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def is_point_in_time(phrase: str) -> bool:
    """True when a phrase names a day, month, year or a time relative to the dateline.

    Ages ("the 39-year-old") and bare lengths ("three years", "the end of the season")
    belong to no timeline.
    """
    if _AGE.search(phrase):
        return False
    return bool(_ANCHOR.search(phrase) or _AGO.search(phrase) or _WEEKDAY.search(phrase)
                or _CAPITAL_MONTH.search(phrase) or _ISO.search(phrase))


def resolve_date(phrase: str, published: dt.date | None, *, future: bool = False) -> str | None:
    """The ISO date (or month, year, week) a date phrase points at, if it can be placed."""
    text = " ".join(phrase.split())
    absolute = _absolute(text, published, future)
    if absolute is not None:
        return absolute
    if published is None:
        return None
    return _relative(text.lower(), published, future)


# --------------------------------------------------------------------------- absolute

def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _absolute(text: str, published: dt.date | None, future: bool) -> str | None:
    for pattern in (_ISO, _MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        match = pattern.search(text)
        if match:
            return _month_day(match, published, future)
    match = _NUMERIC.search(text)
    if match:
        return None  # 03/04/2021 reads differently either side of the Atlantic
    match = _MONTH_YEAR.search(text)
    if match and not _is_may_the_verb(match):
        month = MONTHS[match["month"].lower()]
        if match["year"]:
            return f"{int(match['year']):04d}-{month:02d}"
        if published is None:
            return None
        year = _year_for(month, 1, published, future)
        return f"{year:04d}-{month:02d}"
    match = _YEAR_ONLY.search(text)
    if match and not re.search(r"\d{4}s\b", text):
        return match["year"]
    return None


def _is_may_the_verb(match: re.Match[str]) -> bool:
    """Lower-case 'may' is the verb; the month is written 'May'."""
    return match["month"] == "may"


def _month_day(match: re.Match[str], published: dt.date | None, future: bool) -> str | None:
    month_text = match["month"]
    month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
    day = int(match["day"])
    if match["year"]:
        found = _date_or_none(int(match["year"]), month, day)
        return found.isoformat() if found else None
    if published is None:
        return None
    found = _date_or_none(_year_for(month, day, published, future), month, day)
    return found.isoformat() if found else None


def _year_for(month: int, day: int, published: dt.date, future: bool) -> int:
    """The year a month (and day) without one most plausibly means, seen from the dateline."""
    candidate = _date_or_none(published.year, month, min(day, 28)) or published
    if future and candidate < published - dt.timedelta(days=_YEARLESS_SLACK_DAYS):
        return published.year + 1
    if not future and candidate > published + dt.timedelta(days=_YEARLESS_SLACK_DAYS):
        return published.year - 1
    return published.year


# --------------------------------------------------------------------------- relative

def _relative(text: str, published: dt.date, future: bool) -> str | None:
    if any(word in text for word in DAY_BEFORE):
        return (published - dt.timedelta(days=1)).isoformat()
    if "tomorrow" in text:
        return (published + dt.timedelta(days=1)).isoformat()
    if any(word in text for word in SAME_DAY):
        return published.isoformat()
    match = _AGO.search(text)
    if match:
        return _ago(match, published)
    match = _WEEKDAY.search(text)
    if match:
        return _weekday(match, published, future).isoformat()
    match = _RELATIVE.search(text)
    if match:
        return _period(match["which"].lower(), match["unit"].lower(), published, future)
    if re.search(r"\bthis\s+(?:summer|spring|autumn|fall|winter)\b|\b(?:earlier|later)\s+this\s+"
                 r"year\b", text):
        return f"{published.year:04d}"
    return None


def _count(word: str) -> int:
    return int(word) if word.isdigit() else SMALL_NUMBERS[word.lower()]


def _ago(match: re.Match[str], published: dt.date) -> str:
    count, unit = _count(match["count"]), match["unit"].lower()
    if unit == "day":
        return (published - dt.timedelta(days=count)).isoformat()
    if unit == "week":
        return _iso_week(published - dt.timedelta(weeks=count))
    if unit == "month":
        return _shift_month(published, -count)
    return f"{published.year - count:04d}"


def _weekday(match: re.Match[str], published: dt.date, future: bool) -> dt.date:
    """News copy means the nearest such day: the last one, or the next in future tense."""
    target = WEEKDAYS[match["weekday"].lower()]
    which = (match["which"] or "").lower()
    back = (published.weekday() - target) % 7
    ahead = (target - published.weekday()) % 7
    if which in ("next", "coming"):
        return published + dt.timedelta(days=ahead or 7)
    if which in ("last", "past"):
        return published - dt.timedelta(days=back or 7)
    if future:
        return published + dt.timedelta(days=ahead)
    return published - dt.timedelta(days=back)


def _period(which: str, unit: str, published: dt.date, future: bool) -> str:
    step = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(which, 0)
    if unit == "weekend":
        saturday = _weekday_on(published, 5, step, future)
        return saturday.isoformat()
    if unit == "week":
        return _iso_week(published + dt.timedelta(weeks=step))
    if unit == "month":
        return _shift_month(published, step)
    return f"{published.year + step:04d}"


def _weekday_on(published: dt.date, weekday: int, step: int, future: bool) -> dt.date:
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if step > 0 or (step == 0 and future):
        return published + dt.timedelta(days=ahead or (7 if step > 0 else 0))
    return published - dt.timedelta(days=back or (7 if step < 0 else 0))


def _shift_month(day: dt.date, months: int) -> str:
    index = day.year * 12 + (day.month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def sort_key(when: str) -> tuple[int, int, int]:
    """Orders ISO dates of mixed precision; a month or year sorts at its start."""
    week = re.fullmatch(r"(\d{4})-W(\d{2})", when)
    if week:
        monday = dt.date.fromisocalendar(int(week[1]), int(week[2]), 1)
        return monday.year, monday.month, monday.day
    parts = [int(p) for p in when.split("-")]
    while len(parts) < 3:
        parts.append(0)
    return parts[0], parts[1], parts[2]
