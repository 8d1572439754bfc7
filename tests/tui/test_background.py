"""The home screen's background work, driven through the real app against a server on
127.0.0.1 started by the test: auto-refresh (the real timer, its minute shortened),
filters, offline prefetch, and what the screen draws about them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import ProgressBar

from reader import feeds
from reader.config import Settings
from reader.feeds.filters import parse_rules
from reader.library import db as library_db
from reader.tui.app import make_app
from reader.tui.background import BackgroundFeeds
from reader.tui.screens.feeds import FeedsScreen
from reader.tui.screens.help import HelpScreen
from tests.tui.helpers import wait_analysed, wait_drawn, wait_until
from tests.tui.test_feeds_screen import ARTICLE, home_screen
from tests.unit.test_feeds import FeedServer, Route


def feed_xml(server: FeedServer, name: str) -> bytes:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel>
<title>{name}</title><link>{server.url('/')}</link>
<item><title>Tram line approved</title><link>{server.url('/tram')}</link><guid>tram</guid>
<pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate><description>Trams.</description></item>
<item><title>Sponsored: cheap ferries</title><link>{server.url('/ad')}</link><guid>ad</guid>
<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate><description>Buy.</description></item>
</channel></rss>""".encode()


@pytest.fixture
def server() -> Iterator[FeedServer]:
    running = FeedServer()
    running.thread.start()
    running.state.routes["/tram"] = Route(ARTICLE, "text/html; charset=utf-8")
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite3"


def subscribe(library: Path, *urls: str) -> None:
    connection = library_db.connect(library)
    try:
        for url in urls:
            feeds.subscribe(connection, url)
    finally:
        connection.close()


async def test_auto_refresh_runs_quietly_and_keeps_each_feeds_schedule(
        server: FeedServer, library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server.state.routes["/cached.xml"] = Route(feed_xml(server, "Cached News"),
                                               "application/rss+xml",
                                               headers={"Cache-Control": "max-age=3600"})
    server.state.routes["/plain.xml"] = Route(feed_xml(server, "Plain News"),
                                              "application/rss+xml")
    subscribe(library, server.url("/cached.xml"), server.url("/plain.xml"))
    monkeypatch.setattr(BackgroundFeeds, "SECONDS_PER_MINUTE", 0.5)
    app = make_app([], settings=Settings(refresh_minutes=1), library=library)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await home_screen(pilot)
        line = screen.query_one(BackgroundFeeds)
        # No key was pressed: the timer's first tick fetched both feeds.
        await wait_drawn(pilot, "Cached News  2", "Plain News  2", "Tram line approved")
        await wait_until(pilot, lambda: line.refreshes >= 3)
        await wait_drawn(pilot, "1 not due yet")
        # Quiet: no progress bar, no dialog, the home screen stays on top.
        assert app.screen is screen and not screen.query_one(ProgressBar).display
        assert len(server.state.hits("/cached.xml")) == 1  # max-age=3600 is respected
        assert len(server.state.hits("/plain.xml")) >= 2


async def test_a_tick_during_a_running_refresh_starts_no_second_one(
        server: FeedServer, library: Path) -> None:
    server.state.routes["/slow.xml"] = Route(feed_xml(server, "Slow"), "application/rss+xml",
                                             delay=2.0)
    subscribe(library, server.url("/slow.xml"))
    app = make_app([], settings=Settings(), library=library)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await home_screen(pilot)
        line = screen.query_one(BackgroundFeeds)
        await wait_drawn(pilot, "1 feed · 0 unread")
        await pilot.press("R")  # the user's refresh is running …
        await wait_until(pilot, lambda: line.busy())
        await pilot.press("ctrl+r")  # … so the background one waits its turn
        assert line.refreshes == 0
        await wait_until(pilot, lambda: len(screen.items) == 2)
        await wait_until(pilot, lambda: not line.busy())
        await pilot.press("ctrl+r")
        await wait_drawn(pilot, "refreshed", "0 new items")
        assert line.refreshes == 1
        assert len(server.state.hits("/slow.xml")) == 2


async def test_filters_hide_items_and_the_feed_list_counts_them(
        server: FeedServer, library: Path) -> None:
    server.state.routes["/feed.xml"] = Route(feed_xml(server, "Harbour News"),
                                             "application/rss+xml")
    subscribe(library, server.url("/feed.xml"))
    rules = parse_rules([{"feed": "harbour", "title": "^sponsored", "action": "hide"}], [])
    app = make_app([], settings=Settings(filters=rules), library=library)
    async with app.run_test(size=(120, 30)) as pilot:
        await home_screen(pilot)
        await pilot.press("R")
        frame = await wait_drawn(pilot, "Harbour News  1  1 hidden", "Tram line approved")
        assert "cheap ferries" not in frame


async def test_prefetched_items_are_marked_and_open_offline(server: FeedServer,
                                                            library: Path) -> None:
    server.state.routes["/feed.xml"] = Route(feed_xml(server, "Harbour News"),
                                             "application/rss+xml")
    subscribe(library, server.url("/feed.xml"))
    app = make_app([], settings=Settings(prefetch=5), library=library)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await home_screen(pilot)
        await pilot.press("R")
        frame = await wait_drawn(pilot, "offline: 1 item ready, 1 could not be fetched",
                                 "Tram line approved ✓", timeout=90)
        assert "Sponsored: cheap ferries ✓" not in frame  # its page is a 404
        server.httpd.shutdown()
        server.httpd.server_close()  # offline from here on
        screen.item_list.focus()
        screen.item_list.highlighted = 0
        await pilot.press("enter")
        await wait_analysed(pilot)
        await wait_drawn(pilot, "The city council of Westport approved", "Lena Ortiz")
        loaded = app.reader.loaded
        assert loaded is not None and loaded.annotated is not None  # not analysed again
        assert loaded.warning is None


async def test_help_lists_the_background_settings(library: Path) -> None:
    app = make_app([], settings=Settings(refresh_minutes=30, prefetch=20), library=library)
    async with app.run_test(size=(120, 50)) as pilot:
        await home_screen(pilot)
        await wait_drawn(pilot, "auto-refresh every 30 minutes")
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await wait_drawn(pilot, "Settings (config.toml)", "every 30 minutes",
                         "20 per feed, kept for offline (✓)", "Prepare for offline")
        assert isinstance(pilot.app.screen_stack[-2], FeedsScreen)
