"""The home screen's stories view, driven with Pilot: what it draws, and enter/J/back."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from textual.pilot import Pilot

from reader import feeds
from reader.config import Settings
from reader.library import db as library_db
from reader.tui.app import ReaderApp, make_app
from reader.tui.screens.feeds import FeedsScreen
from tests.benchmarks.score_stories import load_fixture
from tests.tui.helpers import drawn_lines, wait_drawn, wait_until

HEIST = "Thieves steal gold coins from Ardent Museum"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    path = tmp_path / "library.sqlite3"
    connection = library_db.connect(path)
    try:
        load_fixture(connection, "dev")
    finally:
        connection.close()
    return path


def app_for(library: Path) -> ReaderApp:
    # Item pages are "not found": opening one shows the feed's summary, no network.
    transport = httpx.MockTransport(lambda request: httpx.Response(404, content=b"gone"))
    return make_app([], settings=Settings(), library=library, transport=transport)


async def stories_view(pilot: Pilot[int]) -> FeedsScreen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FeedsScreen))
    screen = pilot.app.screen
    assert isinstance(screen, FeedsScreen)
    await wait_drawn(pilot, "All feeds")
    await pilot.press("c")
    await wait_until(pilot, lambda: screen.story_list.loaded)
    return screen


async def test_c_shows_stories_newest_first_and_back(library: Path) -> None:
    app = app_for(library)
    async with app.run_test(size=(110, 60)) as pilot:
        await stories_view(pilot)
        frame = await wait_drawn(pilot, HEIST, "Allied Press also in: Evening Post")
        assert "All feeds" not in frame  # the feed lists are hidden
        lines = frame.splitlines()
        heist = next(i for i, line in enumerate(lines) if HEIST in line)
        assert "4 outlets" in lines[heist + 1] and "4 unread" in lines[heist + 1]
        assert "River Courier, Allied Press, Evening Post, +1" in lines[heist + 1]
        # The copy's own headline is folded into "also in", not a row of its own.
        assert "Ardent Museum robbery: Roman gold taken" not in frame
        # Newest event first: the Orwin derailment (16 April, 16:00) above Kessel (08:00).
        orwin = frame.index("Passenger train derails at Orwin station")
        assert orwin < frame.index("Freight train derails near Kessel") < frame.index(HEIST)
        # Hard negatives: two Brightline stories, two derailments, each its own row.
        assert "Brightline recalls 40 trains over brake fault" in frame
        assert "Brightline chief executive arrested in bribery probe" in frame
        await pilot.press("c")
        frame = await wait_drawn(pilot, "All feeds", "Passenger train derails at Orwin")
        assert "also in:" not in frame


async def test_enter_opens_the_story_and_j_steps_through_it(library: Path) -> None:
    app = app_for(library)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await stories_view(pilot)
        index = next(i for i, s in enumerate(screen.story_list.stories) if s.title == HEIST)
        for _ in range(index):
            await pilot.press("j")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.reader.article is not None
                         and app.reader.article.title == HEIST)
        await pilot.press("J")
        await wait_until(pilot, lambda: app.reader.article is not None and
                         app.reader.article.title ==
                         "Roman coins worth 2 million euros stolen from museum")
        await pilot.press("backspace")
        await wait_until(pilot, lambda: app.screen is screen)

        def heist_row_says_two_unread() -> bool:
            lines = drawn_lines(app)
            at = next((i for i, line in enumerate(lines) if HEIST in line), None)
            return at is not None and "2 unread" in lines[at + 1]

        await wait_until(pilot, heist_row_says_two_unread)


async def test_help_lists_the_stories_key(library: Path) -> None:
    app = app_for(library)
    async with app.run_test(size=(110, 50)) as pilot:
        await stories_view(pilot)
        await pilot.press("question_mark")
        frame = await wait_drawn(pilot, "Stories/feeds")
        line = next(line for line in frame.splitlines() if "Stories/feeds" in line)
        assert line.replace("│", " ").split()[0] == "c"


async def test_markup_in_a_headline_is_drawn_as_text(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    connection = library_db.connect(path)
    try:
        body = json.dumps({"version": "https://jsonfeed.org/version/1.1",
                           "title": "[b]Odd[/b] Feed", "items": [
                               {"id": "1", "url": "https://odd.example/1",
                                "title": "Price [USD] rises [/] [@click=app.quit]x[/]",
                                "date_published": "2026-03-02T08:00:00Z"}]}).encode()
        feed_id, _ = feeds.subscribe(connection, "https://odd.example/feed.json")
        feeds.store_parsed(connection, feed_id,
                           feeds.parse_feed(body, url="https://odd.example/feed.json"))
    finally:
        connection.close()
    app = app_for(path)
    async with app.run_test(size=(100, 20)) as pilot:
        await stories_view(pilot)
        frame = await wait_drawn(pilot, "Price [USD] rises [/] [@click=app.quit]x[/]")
        assert "[b]Odd[/b] Feed" in frame


async def test_headline_keys_do_nothing_while_stories_show(library: Path) -> None:
    app = app_for(library)
    async with app.run_test(size=(110, 40)) as pilot:
        screen = await stories_view(pilot)
        await pilot.press("A")  # "mark every feed read" must not reach the hidden lists
        await pilot.pause(1.0)  # time enough for a worker that should not have started
        await pilot.press("c")
        frame = await wait_drawn(pilot, "All feeds  25")
        assert "A Feed read" in frame
        assert all(not item.read for item in screen.items)
