"""Every screen and state a user sees, as drawn, at fixed sizes.

Update snapshots (``pytest --snapshot-update``) only after looking at each one: the
report shows the SVGs; ``python ../shared/tools/screen.py`` shows the real app.
Inputs stop blinking before the picture is taken; nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from reader import feeds
from reader.config import Settings
from reader.headline_query import View
from reader.library import db as library_db
from reader.library import store
from reader.models import Annotated, Article, Block
from reader.sources import Source, demo_sources
from reader.tui.app import ReaderApp, make_app
from reader.tui.screens.feeds import FeedsScreen
from reader.tui.screens.library import LibraryScreen
from tests.tui.helpers import wait_analysed, wait_until

Before = Callable[[Pilot[Any]], Awaitable[None]]
SETTINGS = Settings(theme="textual-dark")


def steady(pilot: Pilot[Any]) -> None:
    """No blinking cursors in a snapshot."""
    for screen in pilot.app.screen_stack:
        for widget in screen.query(Input):
            widget.cursor_blink = False
        for area in screen.query(TextArea):
            area.cursor_blink = False


def reading(*keys: str, wait: Callable[[Pilot[Any]], bool] | None = None) -> Before:
    """Open the article, wait for its analysis, press ``keys``."""
    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_analysed(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        if wait is not None:
            await wait_until(pilot, lambda: wait(pilot))
        await pilot.pause(0.2)
        steady(pilot)

    return run_before


def demo_app(first: int = 1, library: Path | None = None) -> ReaderApp:
    return make_app(demo_sources()[:first], settings=SETTINGS, library=library)


def html_app() -> ReaderApp:
    return make_app([s for s in demo_sources() if s.location.endswith(".html")],
                    settings=SETTINGS)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)],
                         ids=["80x24", "120x40", "200x60"])
def test_main_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app(), terminal_size=size, run_before=reading())


@pytest.mark.parametrize(("name", "keys"), [
    ("find", ("slash", *"port")),
    ("panels_hidden", ("backslash",)),
    ("zen", ("z",)),
    ("selection", ("v", "j")),
    ("help", ("question_mark",)),
    ("palette", ("ctrl+p",)),
    ("tags_dialog", ("number_sign",)),
], ids=lambda value: value if isinstance(value, str) else "")
def test_reading_states(snap_compare: Any, name: str, keys: tuple[str, ...]) -> None:
    assert snap_compare(demo_app(), terminal_size=(120, 40), run_before=reading(*keys))


def test_links_picker(snap_compare: Any) -> None:
    assert snap_compare(html_app(), terminal_size=(120, 40), run_before=reading("u"))


def test_link_numbers(snap_compare: Any) -> None:
    """U numbers the links in the text; a typed number waits for enter in the status."""
    assert snap_compare(html_app(), terminal_size=(120, 40), run_before=reading("U", "2"))


def test_notification(snap_compare: Any, tmp_path: Path) -> None:
    app = demo_app(library=tmp_path / "library.sqlite3")
    assert snap_compare(app, terminal_size=(120, 40), run_before=reading(
        "s", wait=lambda p: bool(p.app._notifications)))


def test_export_dialog(snap_compare: Any, tmp_path: Path,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_EXPORT_DIR", "/tmp/reader-exports")
    assert snap_compare(demo_app(), terminal_size=(120, 40), run_before=reading("x"))


def fill_library(library: Path, count: int) -> None:
    with store.opened(library) as connection:
        for n in range(count):
            text = f"Story number {n} about the harbour and the strike at Calder Bay."
            store.save(connection, Annotated(Article(
                text=text, title=f"Harbour story {n}", url=f"https://news.example/{n}",
                site="Reader Demo", published="2026-03-0" + str(1 + n % 9),
                blocks=(Block("paragraph", 0, len(text)),))),
                tags=("harbour",) if n % 2 else (), now="2026-03-10T09:00:00Z",
                saved="2026-03-10T09:00:00Z")


def library_keys(*keys: str, rows: int) -> Before:
    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_analysed(pilot)
        await pilot.press("S")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, LibraryScreen)
                         and len(pilot.app.screen.rows) == rows)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause(0.3)
        steady(pilot)

    return run_before


@pytest.mark.parametrize(("name", "count", "keys", "rows"), [
    ("empty", 0, (), 0),
    ("list", 6, (), 6),
    ("search", 6, ("slash", *"story 3"), 6),
    ("delete_confirm", 6, ("d",), 6),
], ids=["empty", "list", "search", "delete_confirm"])
def test_library(snap_compare: Any, tmp_path: Path, name: str, count: int,
                 keys: tuple[str, ...], rows: int) -> None:
    library = tmp_path / "library.sqlite3"
    fill_library(library, count)
    assert snap_compare(demo_app(library=library), terminal_size=(100, 30),
                        run_before=library_keys(*keys, rows=rows))


def feed_xml(base: str) -> bytes:
    now = datetime.now(UTC)

    def stamp(hours: int) -> str:
        return (now - timedelta(hours=hours)).strftime("%a, %d %b %Y %H:%M:%S GMT")

    items = "".join(
        f"<item><title>{title}</title><link>{base}/{slug}</link><guid>{slug}</guid>"
        f"<pubDate>{stamp(hours)}</pubDate><description>{summary}</description></item>"
        for title, slug, hours, summary in (
            ("Tram line approved", "tram", 2, "The council approved a tram line."),
            ("Museum reopens", "museum", 5, "Forty new rooms in the east wing."),
            ("Ferry timetable changes", "ferry", 30, "Fewer crossings in winter."),
        ))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Westport News'
            f"</title><link>{base}/</link>{items}</channel></rss>").encode()


def feed_transport() -> httpx.MockTransport:
    base = "https://westport.example"

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == f"{base}/feed.xml":
            return httpx.Response(200, headers={"content-type": "application/rss+xml"},
                                  content=feed_xml(base))
        return httpx.Response(404, content=b"not here")

    return httpx.MockTransport(handler)


def home_app(library: Path, *urls: str, settings: Settings = SETTINGS) -> ReaderApp:
    connection = library_db.connect(library)
    try:
        for url in urls:
            feeds.subscribe(connection, url, tags=["local"])
    finally:
        connection.close()
    return make_app([], settings=settings, library=library, transport=feed_transport())


def home(refresh: bool, progress: bool = False, keys: tuple[str, ...] = ()) -> Before:
    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FeedsScreen))
        screen = pilot.app.screen
        assert isinstance(screen, FeedsScreen)
        if refresh:
            await pilot.press("R")
            await wait_until(pilot, lambda: len(screen.items) == 3)
        if progress:
            feed = screen.feed_rows[0]
            screen.post_message(FeedsScreen.Progress(1, 3, feed))
        for key in keys:
            await pilot.press(key)
        await pilot.pause(0.3)
        steady(pilot)

    return run_before


def test_home_feeds_and_headlines(snap_compare: Any, tmp_path: Path) -> None:
    app = home_app(tmp_path / "l.sqlite3", "https://westport.example/feed.xml")
    assert snap_compare(app, terminal_size=(120, 30), run_before=home(refresh=True))


def test_home_refresh_progress(snap_compare: Any, tmp_path: Path) -> None:
    app = home_app(tmp_path / "l.sqlite3", "https://westport.example/feed.xml")
    assert snap_compare(app, terminal_size=(120, 30),
                        run_before=home(refresh=True, progress=True))


def test_home_failed_feed(snap_compare: Any, tmp_path: Path) -> None:
    app = home_app(tmp_path / "l.sqlite3", "https://westport.example/feed.xml",
                   "https://westport.example/gone.xml")
    assert snap_compare(app, terminal_size=(120, 30), run_before=home(refresh=True))


VIEWS = Settings(theme="textual-dark", views=(
    View("Local news", "tag:local"), View("Today", "since:1d unread")))


def test_home_views_and_search(snap_compare: Any, tmp_path: Path) -> None:
    """Query feeds above the feeds; / narrowing the headlines with its match count."""
    app = home_app(tmp_path / "l.sqlite3", "https://westport.example/feed.xml",
                   settings=VIEWS)
    assert snap_compare(app, terminal_size=(120, 30),
                        run_before=home(refresh=True, keys=("slash", *"tram")))


def test_home_unread_only_by_feed(snap_compare: Any, tmp_path: Path) -> None:
    """N marks the first headline read; u hides it; s sorts by feed (status says so)."""
    app = home_app(tmp_path / "l.sqlite3", "https://westport.example/feed.xml",
                   settings=VIEWS)
    assert snap_compare(app, terminal_size=(120, 30),
                        run_before=home(refresh=True, keys=("N", "u", "s")))


def test_refetch_diff(snap_compare: Any, tmp_path: Path) -> None:
    from reader.tui.screens.changes import ChangesScreen

    url = "https://news.example/tram"
    version = {"n": 1}

    def page() -> bytes:
        extra = ("<p>Late on Tuesday the council added that the first trams would carry "
                 "passengers from June, a month earlier than planned.</p>"
                 if version["n"] == 2 else "")
        return (f"<html><head><title>Tram line approved</title></head><body><article>"
                f"<h1>Tram line approved</h1><p>The city council of Westport approved a "
                f"new tram line on Tuesday after a long debate, with twelve votes in "
                f"favour and three against.</p>{extra}</article></body></html>").encode()

    transport = httpx.MockTransport(lambda r: httpx.Response(
        200, headers={"content-type": "text/html"}, content=page()))
    app = make_app([Source("url", url)], settings=SETTINGS, transport=transport,
                   library=tmp_path / "library.sqlite3")

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_analysed(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: app.reader.saved is not None)
        version["n"] = 2
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ChangesScreen))
        app.clear_notifications()
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
