"""The real app, driven by keys through Pilot; network replaced by httpx.MockTransport."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from textual.widgets import Static

from reader.config import Settings
from reader.sources import Source, demo_sources
from reader.tui.app import ReaderApp, make_app
from reader.tui.screens.help import HelpScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.panels import EntitiesPanel, FactsPanel, QuotesPanel
from tests.tui.helpers import wait_analysed, wait_drawn, wait_until

HOSTILE_TITLE = "Markets [bold]rally[/] \x1b[31m [link=file:///etc/passwd]x[/]"
HOSTILE_BODY = ("Price [USD] rises as traders click [@click=app.quit]here[/] and "
                "[link=file:///etc/passwd]x[/] shows up, with an escape \x1b[31m too. ") * 4

PAGE = f"""<!doctype html><html><head><meta charset="utf-8">
<title>{HOSTILE_TITLE}</title></head><body><article><h1>{HOSTILE_TITLE}</h1>
<p>{HOSTILE_BODY}</p>
<p>The central bank of Freedonia said on Monday that inflation fell to 3 percent, and
analysts in Sylvania expected a further cut before the end of the year, according to a
survey of economists published by the Freedonia Statistics Office.</p>
<p>Finance minister Rufus Firefly said the figures were encouraging for households and
businesses alike, and that the government would keep its spending plans unchanged.</p>
</article></body></html>"""


def settings() -> Settings:
    return Settings(theme="textual-dark")


def mock_transport(pages: dict[str, tuple[int, str, bytes]]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        status, ctype, body = pages.get(str(request.url), (404, "text/html", b"not found"))
        return httpx.Response(status, headers={"content-type": ctype}, content=body)

    return httpx.MockTransport(handler)


def demo_app() -> ReaderApp:
    return make_app(demo_sources(), settings=settings())


def block_text(app: ReaderApp) -> str:
    """What the reader shows of the article body, line by line."""
    view = app.reader.article_view
    assert view.article is not None
    return "\n".join(line for i in range(len(view.article.blocks))
                     for line in view.block_lines(i))


async def test_demo_opens_scrolls_and_quits() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        assert app.reader.article is not None and app.reader.article.title.startswith("Dockworkers")
        assert app.reader.article_view.virtual_size.height > len(app.reader.article.blocks)
        view = app.reader.article_view
        assert app.focused is view
        checks: list[tuple[str, Callable[[float], bool]]] = [
            ("j", lambda y: y == 1), ("k", lambda y: y == 0), ("space", lambda y: y > 10),
            ("b", lambda y: y == 0), ("G", lambda y: y == view.max_scroll_y),
            ("g", lambda y: y == 0), ("down", lambda y: y == 1)]
        for key, check in checks:
            await pilot.press(key)
            await pilot.pause()
            assert check(view.scroll_y), (key, view.scroll_y)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_next_and_previous_article() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        first = app.reader.article
        await pilot.press("J")
        await wait_until(pilot, lambda: app.reader.article is not None
                         and app.reader.article is not first)
        assert app.reader.index == 1
        assert app.reader.article is not None and app.reader.article.site == "Reader Demo"
        await pilot.press("K")
        await wait_until(pilot, lambda: app.reader.index == 0 and app.reader.article is not None)
        assert app.reader.article is not None and app.reader.article.title == first.title  # type: ignore[union-attr]


async def test_panels_fill_after_analysis_and_enter_jumps() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        entities = app.reader.query_one(EntitiesPanel)
        assert entities.option_list.option_count > 0
        assert app.reader.query_one(FactsPanel).option_list.option_count > 0
        assert app.reader.query_one(QuotesPanel).option_list.option_count > 0
        entities.option_list.focus()
        await pilot.press("enter")
        await pilot.pause()
        spans = app.reader.article_view.highlighted
        assert spans, "enter on an entity highlights its mentions"
        assert app.reader.annotated is not None
        first = app.reader.annotated.entities
        assert any(tuple((m.start, m.end) for m in e.mentions) == spans for e in first)
        if len(spans) > 1:
            await pilot.press("n")
            assert app.reader.span_index == 1
            await pilot.press("N")
            assert app.reader.span_index == 0
        await pilot.press("escape")
        await pilot.pause()
        assert app.reader.article_view.highlighted == ()


async def test_help_screen_lists_keys() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_url_article_through_mock_transport() -> None:
    url = "https://news.example/markets"
    transport = mock_transport({url: (200, "text/html; charset=utf-8", PAGE.encode())})
    app = make_app([Source("url", url)], settings=settings(), transport=transport)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        assert app.reader.article is not None
        assert app.reader.article.url is not None
        assert "news.example" in app.reader.article.url
        assert "Freedonia" in block_text(app)


async def test_hostile_markup_shows_literally_and_does_nothing() -> None:
    url = "https://news.example/hostile"
    transport = mock_transport({url: (200, "text/html", PAGE.encode())})
    app = make_app([Source("url", url)], settings=settings(), transport=transport)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        body = block_text(app)
        assert "[@click=app.quit]here[/]" in body
        assert "[link=file:///etc/passwd]x[/]" in body
        assert "Price [USD] rises" in body
        assert "\x1b" not in body and "\u241b[31m" in body
        header = "".join(strip.text for strip in app.reader.article_view._header)
        assert "[bold]rally[/]" in header
        for y in range(2, 38, 3):
            await pilot.click(app.reader.article_view, offset=(10, y))
        await pilot.pause()
        assert app.is_running
        assert app.screen.is_current


async def test_fetch_error_is_shown_and_app_keeps_running() -> None:
    transport = mock_transport({})
    app = make_app([Source("url", "https://news.example/missing")], settings=settings(),
                   transport=transport)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: bool(app._notifications))
        messages = [n.message for n in app._notifications]
        assert any("404" in m and "news.example/missing" in m for m in messages)
        assert app.is_running
        status = str(app.reader.query_one("#status", Static).render())
        assert "could not open" in status


class SlowStream(httpx.AsyncByteStream):
    async def __aiter__(self) -> AsyncIterator[bytes]:
        await asyncio.sleep(30)
        yield b""


async def test_escape_cancels_a_slow_load() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/html"}, stream=SlowStream())

    app = make_app([Source("url", "https://slow.example/")], settings=settings(),
                   transport=httpx.MockTransport(handler))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        assert app.reader.article_view.loading
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert not app.reader.query_one(ArticleView).loading
        assert "cancelled" in str(app.reader.query_one("#status", Static).render())
        assert app.is_running


@pytest.mark.parametrize("size", [(120, 40)])
async def test_status_line_shows_position_and_state(size: tuple[int, int]) -> None:
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await wait_analysed(pilot)
        status = str(app.reader.query_one("#status", Static).render())
        assert status.startswith(f"1/{len(app.reader.sources)}")
        assert "min" in status and "analysed" in status


async def test_entities_panel_groups_people_organisations_places() -> None:
    app = demo_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_analysed(pilot)
        listing = app.reader.query_one(EntitiesPanel).option_list
        prompts = [str(listing.get_option_at_index(i).prompt)
                   for i in range(listing.option_count)]
        headings = [p for p in prompts if p in ("People", "Organisations", "Places", "Other")]
        assert headings[:3] == ["People", "Organisations", "Places"]
        people = prompts[prompts.index("People") + 1:prompts.index("Organisations")]
        assert any(p.startswith("Richard Okafor") for p in people)
        assert app.reader.annotated is not None
        okafor = next(e for e in app.reader.annotated.entities if e.name == "Richard Okafor")
        label = next(p for p in people if p.startswith("Richard Okafor"))
        assert label.endswith(str(len(okafor.mentions)))
        organisations = prompts[prompts.index("Organisations") + 1:prompts.index("Places")]
        assert any(p.startswith("Maritime Ports Authority") for p in organisations)


async def test_a_slow_load_draws_a_still_loading_line() -> None:
    """Not Textual's animated indicator: it redraws all through start-up (issue 13)."""
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/html"}, stream=SlowStream())

    app = make_app([Source("url", "https://slow.example/")], settings=settings(),
                   transport=httpx.MockTransport(handler))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drawn(pilot, "loading…")
        assert app.reader.article_view.loading
        first = app.export_screenshot()
        for _ in range(50):  # start-up settles (the footer's keys, panels shown)
            await pilot.pause(0.1)
            again = app.export_screenshot()
            if again == first:
                break
            first = again
        assert "loading…" in first
        await pilot.pause(0.3)
        assert app.export_screenshot() == first  # nothing moves while it waits
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert "loading…" not in app.export_screenshot()
