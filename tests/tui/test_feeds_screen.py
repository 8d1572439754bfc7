"""The feeds home screen against a local HTTP server on 127.0.0.1 started by the test."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader import feeds
from reader.config import Settings
from reader.library import db as library_db
from reader.tui.app import ReaderApp, make_app
from reader.tui.screens.feeds import AddFeedScreen, FeedsScreen
from tests.tui.helpers import drawn, wait_analysed, wait_drawn, wait_until

ARTICLE = b"""<!doctype html><html><head><title>Tram line approved | Westport News</title>
<meta property="og:site_name" content="Westport News"></head><body><article>
<h1>Tram line approved</h1><p>The city council of Westport approved a new tram line on
Tuesday after a debate that lasted most of the night, with twelve votes in favour.</p>
<p>"This is a good day for the city," said Mayor Lena Ortiz, who had campaigned for the
line for three years and promised that construction would start in the spring.</p>
</article></body></html>"""


class Site:
    """Serves a feed whose items link back to this server, and the article pages."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes]] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, ctype, body = outer.pages.get(self.path, (404, "text/plain", b"gone"))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def feed(self) -> bytes:
        long_text = " ".join(["The museum reopened its east wing with forty new rooms."] * 30)
        return f"""<?xml version="1.0"?><rss version="2.0"><channel>
<title>Westport News</title><link>{self.base}/</link>
<item><title>Tram line approved</title><link>{self.base}/tram</link>
<guid>tram</guid><pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate>
<description>The council approved a tram line.</description></item>
<item><title>Museum reopens</title><link>{self.base}/museum</link><guid>museum</guid>
<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate><description>Forty rooms.</description>
<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p>{long_text}</p>]]></content:encoded></item>
</channel></rss>""".encode()


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site()
    server.pages["/feed.xml"] = (200, "application/rss+xml", server.feed())
    server.pages["/tram"] = (200, "text/html; charset=utf-8", ARTICLE)
    server.pages["/page"] = (200, "text/html", (
        f'<html><head><link rel="alternate" type="application/rss+xml" '
        f'href="{server.base}/feed.xml"></head><body>hi</body></html>').encode())
    yield server
    server.server.shutdown()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite3"


def subscribe(library: Path, url: str) -> None:
    connection = library_db.connect(library)
    try:
        feeds.subscribe(connection, url)
    finally:
        connection.close()


def home_app(library: Path) -> ReaderApp:
    return make_app([], settings=Settings(), library=library)


async def home_screen(pilot: Pilot[int]) -> FeedsScreen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FeedsScreen))
    screen = pilot.app.screen
    assert isinstance(screen, FeedsScreen)
    return screen


async def test_refresh_open_summary_item_then_full_item(site: Site, library: Path) -> None:
    subscribe(library, f"{site.base}/feed.xml")
    subscribe(library, f"{site.base}/missing.xml")
    app = home_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await home_screen(pilot)
        await pilot.press("R")
        await wait_until(pilot, lambda: len(screen.items) == 2)
        labels = [str(screen.feed_list.get_option_at_index(i).prompt)
                  for i in range(screen.feed_list.option_count)]
        assert any(label.startswith("! ") and "missing" in label for label in labels)
        assert any("Westport News  2" in label for label in labels)
        await pilot.press("enter")
        await wait_analysed(pilot)
        assert app.screen is not screen
        assert app.reader.article is not None and app.reader.article.title == "Tram line approved"
        assert app.reader.article.site == "Westport News"
        await pilot.press("J")
        await wait_until(pilot, lambda: app.reader.article is not None
                         and app.reader.article.title == "Museum reopens")
        assert "east wing" in app.reader.article.text
        await pilot.press("backspace")
        await wait_until(pilot, lambda: app.screen is screen)
        assert all(item.read for item in screen.items)
    connection = library_db.connect(library)
    try:
        tram = next(i for i in feeds.feed_items(connection) if i.title == "Tram line approved")
        stored = feeds.item_article(connection, tram.id)
    finally:
        connection.close()
    assert stored is not None and "Lena Ortiz" in stored["text"]


async def test_opened_items_read_offline(site: Site, library: Path) -> None:
    subscribe(library, f"{site.base}/feed.xml")
    app = home_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await home_screen(pilot)
        await pilot.press("R")
        await wait_until(pilot, lambda: len(screen.items) == 2)
        await pilot.press("enter")
        await wait_analysed(pilot)
        await pilot.press("q")
        await wait_until(pilot, lambda: app.screen is screen)
        site.pages.clear()  # the site is gone: the stored copy must do
        screen.item_list.highlighted = 0
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.reader.article is not None)
        assert app.reader.article is not None and "Lena Ortiz" in app.reader.article.text


async def test_read_flags_and_unread_navigation(site: Site, library: Path) -> None:
    subscribe(library, f"{site.base}/feed.xml")
    app = home_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await home_screen(pilot)
        await pilot.press("R")
        await wait_until(pilot, lambda: len(screen.items) == 2)
        screen.item_list.focus()
        screen.item_list.highlighted = 0
        await pilot.press("N")
        await wait_until(pilot, lambda: screen.items[0].read)
        assert not screen.items[1].read
        screen.item_list.highlighted = 0
        await pilot.press("n")
        assert screen.item_list.highlighted == 1
        await pilot.press("A")
        await wait_until(pilot, lambda: all(item.read for item in screen.items))
        assert "0 unread" in str(screen.query_one("#feeds-status").render())


async def test_add_feed_from_a_page_url(site: Site, library: Path) -> None:
    app = home_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await home_screen(pilot)
        await wait_until(pilot, lambda: "no feeds" in str(
            screen.query_one("#feeds-status").render()))
        assert "no feeds yet" in str(screen.query_one("#feeds-status").render())
        await pilot.press("a")
        assert isinstance(app.screen, AddFeedScreen)
        await pilot.press(*f"{site.base}/page", "enter")
        await wait_until(pilot, lambda: len(screen.feed_rows) == 1 and len(screen.items) == 2)
        assert screen.feed_rows[0].url == f"{site.base}/feed.xml"


async def test_back_from_an_article_redraws_home_and_enter_opens_the_highlighted(
        site: Site, library: Path) -> None:
    subscribe(library, f"{site.base}/feed.xml")
    app = home_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await home_screen(pilot)
        await pilot.press("R")
        await wait_until(pilot, lambda: len(screen.items) == 2)
        await pilot.press("enter")
        await wait_analysed(pilot)
        assert app.reader.article is not None
        assert app.reader.article.title == "Tram line approved"
        await wait_drawn(pilot, "The city council of Westport approved")
        for back in ("escape", "backspace", "q"):
            await pilot.press(back)
            await wait_until(pilot, lambda: app.screen is screen, timeout=10)
            text = await wait_drawn(pilot, "Museum reopens", "Westport News")
            assert "The city council of Westport approved" not in text, back
            assert app.is_running
            screen.item_list.focus()
            screen.item_list.highlighted = 1
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen is app.reader
                             and app.reader.article is not None)
            assert app.reader.article.title == "Museum reopens"
            await wait_drawn(pilot, "east wing")
            screen.item_list.highlighted = 0
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is screen, timeout=10)
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen is app.reader
                             and app.reader.article is not None
                             and app.reader.article.title == "Tram line approved")
        await pilot.press("q")
        await wait_until(pilot, lambda: app.screen is screen)
        assert app.is_running
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_failed_feed_is_drawn_and_counted_in_the_singular(site: Site,
                                                                library: Path) -> None:
    subscribe(library, f"{site.base}/feed.xml")
    subscribe(library, f"{site.base}/missing.xml")
    app = home_app(library)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        screen = await home_screen(pilot)
        await pilot.press("R")
        text = await wait_drawn(pilot, "feed failed", "! ")
        assert "1 feeds" not in text
        footer = text.splitlines()[-1]
        assert "Refresh" in footer and "Zen" not in footer and "Find" not in footer
        assert len(screen.items) == 2


async def test_add_feed_dialog_is_centred(library: Path) -> None:
    app = home_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await home_screen(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, AddFeedScreen)
        await pilot.pause()
        box = app.screen.query_one(".picker-box").region
        assert abs((box.x + box.width / 2) - 60) <= 2
        assert abs((box.y + box.height / 2) - 15) <= 2


async def test_feed_html_content_is_not_labelled_plain_text(site: Site,
                                                           library: Path) -> None:
    subscribe(library, f"{site.base}/feed.xml")
    app = home_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await home_screen(pilot)
        await pilot.press("R")
        await wait_until(pilot, lambda: len(screen.items) == 2)
        screen.item_list.highlighted = 1
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.reader.article is not None)
        await pilot.pause()
        status = drawn(app).splitlines()[0]
        assert "via feed content" in status and "plain text" not in status
