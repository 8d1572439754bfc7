"""Dates as the Key facts panel shows them, and date resolution read as a reader would."""

from __future__ import annotations

import datetime as dt

import pytest

from reader.analysis.dates import resolve_date
from reader.display_dates import display_date


@pytest.mark.parametrize(("when", "shown"), [
    ("2019-11-11", "Mon 11 Nov 2019"),
    ("2019-11", "Nov 2019"),
    ("2019", "2019"),
    ("2019-W46", "week of 11 Nov 2019"),
    ("2020-W01", "week of 30 Dec 2019"),
    ("2026-03-04T09:00:00Z", "Wed 4 Mar 2026, 09:00 UTC"),
    ("2026-03-04T09:30:00+02:00", "Wed 4 Mar 2026, 09:30 +02:00"),
    ("2026-03-04T00:00:00", "Wed 4 Mar 2026"),
    ("2026-03-04 18:05", "Wed 4 Mar 2026, 18:05"),
])
def test_dates_are_shown_as_readers_write_them(when: str, shown: str) -> None:
    assert display_date(when) == shown


@pytest.mark.parametrize("junk", ["soon", "2019-W99", "2019-13", ""])
def test_what_is_not_a_date_is_shown_unchanged(junk: str) -> None:
    assert display_date(junk) == junk


def test_a_week_reference_never_reaches_the_reader_as_a_code() -> None:
    published = dt.date(2019, 11, 13)
    when = resolve_date("last week", published)
    assert when is not None
    assert "W" not in display_date(when)
    assert display_date(when) == "week of 4 Nov 2019"


def test_a_month_ahead_in_future_tense_is_next_year() -> None:
    assert resolve_date("January", dt.date(2019, 11, 13), future=True) == "2020-01"
    assert resolve_date("January", dt.date(2019, 11, 13), future=False) == "2019-01"
