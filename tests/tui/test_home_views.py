"""The home screen as a newsboat user drives it: / search, query feeds, unread only, sort,
read and unread at a glance, O and m on a headline. Everything is asserted on what is
drawn (styles from the drawn segments)."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Any

import pytest
from rich.segment import Segment
from rich.style import Style

from reader import feeds
from reader.config import Settings
from reader.feeds.parse import ParsedFeed, ParsedItem
from reader.headline_query import View
from reader.library import db as library_db
from reader.tui.app import ReaderApp, make_app
from reader.tui.screens.feeds import FeedsScreen
from tests.tui.helpers import wait_drawn, wait_until

CLIMATE = [("Glacier retreat speeds up", "Ice sheets lost mass again", "2026-03-09"),
           ("Heat record in March", "The warmest March day on record", "2026-03-01")]
SPORT = [("Cup final goes to extra time", "A tense night", "2026-03-08"),
         ("Marathon route announced", "Through the old town", "2026-03-07")]


def fill_library(library: Path) -> None:
    """Two feeds (one tagged climate), four items; "Heat record" and "Cup final" read."""
    connection = library_db.connect(library)
    try:
        for name, url, tags, rows in (
                ("Climate Desk", "https://climate.example/feed", ["climate"], CLIMATE),
                ("Sports Wire", "https://sports.example/feed", ["sport"], SPORT)):
            feed_id, _ = feeds.subscribe(connection, url, title=name, tags=tags)
            feeds.store_parsed(connection, feed_id, ParsedFeed(name, None, tuple(
                ParsedItem(key=title, title=title, link=f"https://{name[:5].lower()}.example/"
                           f"{n}", author=None, published=f"{day}T10:00:00+00:00",
                           summary=summary, content=None, has_full_content=False)
                for n, (title, summary, day) in enumerate(rows))))
        for item in feeds.feed_items(connection):
            if item.title in ("Heat record in March", "Cup final goes to extra time"):
                feeds.mark_item_read(connection, item.id, True)
    finally:
        connection.close()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    path = tmp_path / "library.sqlite3"
    fill_library(path)
    return path


def home_app(library: Path, **settings: Any) -> ReaderApp:
    return make_app([], settings=Settings(**settings), library=library)


async def home_ready(pilot: Any, count: int = 4) -> FeedsScreen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FeedsScreen))
    screen = pilot.app.screen
    assert isinstance(screen, FeedsScreen)
    await wait_until(pilot, lambda: len(screen.items) == count)
    await wait_drawn(pilot, "Glacier retreat")
    return screen


def segments_with(app: ReaderApp, text: str) -> list[Segment]:
    """The drawn segments of the first line showing ``text`` that carry part of it."""
    for strip in app.screen._compositor.render_strips():
        if text in strip.text:
            return [s for s in strip if s.text.strip() and (s.text.strip() in text
                                                             or "·" in s.text)]
    raise AssertionError(f"{text!r} is not drawn")


def order(frame: str, *titles: str) -> list[str]:
    return sorted((t for t in titles if t in frame), key=frame.index)


async def test_slash_filters_headlines_as_you_type_and_escape_clears(library: Path) -> None:
    app = home_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await home_ready(pilot)
        await pilot.press("slash")
        for key in "glac":
            await pilot.press(key)
        frame = await wait_drawn(pilot, "1 match", "Glacier retreat")
        assert "Cup final" not in frame and "Heat record" not in frame
        for key in " marathon":  # both words: nothing
            await pilot.press(key)
        frame = await wait_drawn(pilot, "0 matches")
        assert "Glacier retreat" not in frame
        await pilot.press("escape")
        frame = await wait_drawn(pilot, "Glacier retreat", "Cup final", "Marathon route")
        assert screen.listing.search == ""


async def test_search_reads_fields_and_says_what_is_wrong(library: Path) -> None:
    app = home_app(library)
    async with app.run_test(size=(140, 30)) as pilot:
        await home_ready(pilot)
        await pilot.press("slash")
        for key in "feed:sports unread":
            await pilot.press(key)
        frame = await wait_drawn(pilot, "1 match", "Marathon route")
        assert "Cup final" not in frame  # read
        await pilot.press("enter")  # keep the filter, back in the list
        frame = await wait_drawn(pilot, "/feed:sports unread")  # in the status line
        await pilot.press("slash")
        for key in " since:soon":
            await pilot.press(key)
        await wait_drawn(pilot, "since:soon is not a time")
        await pilot.press("backspace", "backspace", "backspace", "backspace", "3", "w")
        frame = await wait_drawn(pilot, "since:3w", "matches")
        assert "is not a time" not in frame


async def test_query_feeds_are_listed_above_the_feeds_with_counts(library: Path) -> None:
    views = (View("Climate", "tag:climate"), View("Unread sport", "tag:sport unread"))
    app = home_app(library, views=views)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await home_ready(pilot)
        frame = await wait_drawn(pilot, "◆ Climate  1/2", "◆ Unread sport  1/1")
        row = "Climate Desk  1  #climate"  # the feed's row (headlines name it too)
        assert order(frame, "◆ Climate", "◆ Unread sport", "All feeds", row) == [
            "◆ Climate", "◆ Unread sport", "All feeds", row]
        await pilot.press("tab", "g")  # the feed list, its first row: the Climate view
        frame = await wait_drawn(pilot, "view Climate")
        await wait_until(pilot, lambda: len(screen.items) == 2)
        frame = await wait_drawn(pilot, "Glacier retreat", "Heat record")
        assert "Cup final" not in frame and "Marathon" not in frame


async def test_read_is_dimmed_unread_bold_and_counted_in_the_title(library: Path) -> None:
    app = home_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await home_ready(pilot)
        await wait_drawn(pilot, "Heat record in March", "2 unread")
        read_title = segments_with(app, "Heat record in March")[0]
        unread_title = segments_with(app, "Marathon route announced")[0]
        assert read_title.text == "Heat record in March"
        assert unread_title.text == "Marathon route announced"
        assert read_title.style and unread_title.style
        assert read_title.style.dim and not read_title.style.bold
        assert unread_title.style.bold and not unread_title.style.dim
        assert app.title == "reader (2 unread)"
        await pilot.press("N")  # Glacier (first, newest) becomes read
        await wait_until(pilot, lambda: app.title == "reader (1 unread)")
        await wait_drawn(pilot, "1 unread")
        await pilot.press("j")  # off the row, so it is drawn as a plain row
        await wait_until(pilot, lambda: bool((segments_with(
            app, "Glacier retreat speeds up")[0].style or Style()).dim))


async def test_u_shows_unread_only_and_s_sorts_by_feed(library: Path) -> None:
    app = home_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await home_ready(pilot)
        titles = ("Glacier retreat", "Cup final", "Marathon route", "Heat record")
        frame = await wait_drawn(pilot, *titles)
        assert order(frame, *titles) == ["Glacier retreat", "Cup final", "Marathon route",
                                         "Heat record"]  # newest first
        await pilot.press("u")
        frame = await wait_drawn(pilot, "unread only", "Glacier retreat", "Marathon route")
        assert "Cup final" not in frame and "Heat record" not in frame
        await pilot.press("u", "s")
        await wait_until(pilot, lambda: len(screen.items) == 4)
        frame = await wait_drawn(pilot, "by feed", *titles)
        assert order(frame, *titles) == ["Glacier retreat", "Heat record", "Cup final",
                                         "Marathon route"]  # Climate Desk, then Sports


async def test_capital_o_opens_the_headline_link_and_m_copies_it(
        library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    def fake_open(url: str, *args: object, **kwargs: object) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    app = home_app(library)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        screen = await home_ready(pilot)
        link = screen.items[0].link
        assert link == "https://clima.example/0"
        await pilot.press("O")
        await wait_until(pilot, lambda: opened == [link])
        await pilot.press("m")
        await wait_drawn(pilot, f"copied {link}")
        assert app.clipboard == link


async def test_twelve_hundred_headlines_scroll_to_the_end_and_filter(tmp_path: Path) -> None:
    library = tmp_path / "library.sqlite3"
    connection = library_db.connect(library)
    try:
        feed_id, _ = feeds.subscribe(connection, "https://big.example/feed", title="Big")
        feeds.store_parsed(connection, feed_id, ParsedFeed("Big", None, tuple(
            ParsedItem(key=str(n), title=f"Headline {n:04d}", link=None, author=None,
                       published=f"2026-01-01T{n // 3600:02d}:{n // 60 % 60:02d}:"
                                 f"{n % 60:02d}+00:00",
                       summary=f"summary {n}", content=None, has_full_content=False)
            for n in range(1200))))
    finally:
        connection.close()
    app = make_app([], settings=Settings(), library=library)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FeedsScreen))
        screen = pilot.app.screen
        assert isinstance(screen, FeedsScreen)
        await wait_until(pilot, lambda: len(screen.items) == 1200)
        frame = await wait_drawn(pilot, "Headline 1199", "summary 1199")  # newest first
        assert "Headline 0000" not in frame
        await pilot.press("G")
        frame = await wait_drawn(pilot, "Headline 0000")
        assert screen.item_list.highlighted == 1199
        await pilot.press("slash", "0", "0", "0", "7")
        frame = await wait_drawn(pilot, "1 match", "Headline 0007")
        assert "Headline 0008" not in frame and "Headline 1199" not in frame


async def test_start_reads_the_first_screenful_then_every_headline_once(
        tmp_path: Path, library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big library: the newest page first, then every headline once after that frame
    (the screen's push, a resume, must not start a full read beside the first: the two
    share one interpreter lock and held back the first frame). A small one is read whole
    at once. Back from another screen, the lists are read again."""
    big = tmp_path / "big.sqlite3"
    connection = library_db.connect(big)
    try:
        feed_id, _ = feeds.subscribe(connection, "https://big.example/feed", title="Big")
        feeds.store_parsed(connection, feed_id, ParsedFeed("Big", None, tuple(
            ParsedItem(key=str(n), title=f"Headline {n:04d}", link=None, author=None,
                       published=f"2026-01-01T{n // 3600:02d}:{n // 60 % 60:02d}:"
                                 f"{n % 60:02d}+00:00",
                       summary="", content=None, has_full_content=False)
            for n in range(1100))))
    finally:
        connection.close()
    reads: list[int | None] = []
    original = feeds.feed_items

    def counted(*args: Any, **kwargs: Any) -> list[feeds.Item]:
        reads.append(kwargs.get("limit"))
        return original(*args, **kwargs)

    monkeypatch.setattr(feeds, "feed_items", counted)
    app = make_app([], settings=Settings(), library=big)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FeedsScreen))
        screen = pilot.app.screen
        assert isinstance(screen, FeedsScreen)
        big_screen = screen
        await wait_until(pilot, lambda: big_screen.index_complete
                         and len(big_screen.items) == 1100)
        await wait_drawn(pilot, "Headline 1099")
        assert reads == [100, None]
        await pilot.press("question_mark")  # another screen, and back: read again
        await pilot.press("escape")
        await wait_until(pilot, lambda: len(reads) == 3)
        assert reads[2] is None
    reads.clear()
    async with home_app(library).run_test(size=(120, 30)) as pilot:
        home = await home_ready(pilot)
        assert home.index_complete and reads == [None]


async def test_help_lists_the_home_keys_with_their_descriptions(library: Path) -> None:
    app = home_app(library)
    async with app.run_test(size=(120, 50)) as pilot:
        await home_ready(pilot)
        await pilot.press("question_mark")
        await wait_drawn(pilot, "Search", "Unread only", "Sort date/feed",
                         "Open link in browser", "Copy/mail link", "Headlines")
