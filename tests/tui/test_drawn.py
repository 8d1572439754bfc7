"""Bugs a new user met, each checked on what the screen DRAWS, not only on app state."""

from __future__ import annotations

import sys
import webbrowser
from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import Footer

from reader.config import Settings
from reader.library import store
from reader.models import Article
from reader.sources import Source, demo_sources
from reader.textutil import plural
from reader.tui.app import ReaderApp, make_app
from reader.tui.screens.dialogs import ConfirmDialog, ExportDialog
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.widgets.article_view import header_text
from reader.tui.widgets.find_bar import FindBar
from reader.tui.widgets.footer import KeyFooter
from reader.tui.widgets.panels import QuotesPanel
from tests.tui.helpers import drawn, drawn_lines, shows, wait_analysed, wait_drawn, wait_until


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return tmp_path / "library.sqlite3"


def demo_app(library: Path | None = None, settings: Settings | None = None) -> ReaderApp:
    return make_app(demo_sources(), settings=settings or Settings(), library=library)


def footer_of(app: ReaderApp) -> Widget:
    """Textual's footer, or the reading screen's one-line footer."""
    return app.screen.query(f"{Footer.__name__}, {KeyFooter.__name__}").first()


def footer_text(app: ReaderApp) -> str:
    footer = footer_of(app)
    lines = drawn_lines(app)
    return lines[footer.region.y] if footer.region.height else ""


async def test_find_bar_is_drawn_above_the_footer_with_prompt_text_and_count() -> None:
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_analysed(pilot)
        await pilot.press("slash", *"port")
        await pilot.pause()
        bar = app.reader.query_one(FindBar)
        assert shows(bar), "the find bar is covered or off screen"
        assert bar.region.bottom <= footer_of(app).region.y
        line = drawn_lines(app)[bar.region.y]
        total = len(app.reader.spans)
        assert total > 1
        assert line.lstrip().startswith("/") and "port" in line
        assert f"1/{total}" in line or f"/{total}" in line
        await pilot.press("enter", "n")
        await pilot.pause()
        assert f"2/{total}" in drawn_lines(app)[bar.region.y] or \
            f"/{total}" in drawn_lines(app)[bar.region.y]


async def test_library_open_starts_at_the_top_and_history_restores_positions(
        library: Path) -> None:
    app = demo_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.reader
        await wait_analysed(pilot)
        first_title = reader.article.title  # type: ignore[union-attr]
        await pilot.press("s")
        await wait_until(pilot, lambda: reader.saved is not None)
        await pilot.press("J")
        await wait_until(pilot, lambda: reader.index == 1 and reader.article is not None)
        await wait_analysed(pilot)
        await pilot.press("G")
        view = reader.article_view
        await wait_until(pilot, lambda: 0 < view.max_scroll_y == view.scroll_y)
        bottom = view.scroll_y
        second_title = reader.article.title  # type: ignore[union-attr]
        assert bottom > 0
        await pilot.press("K")
        await wait_until(pilot, lambda: reader.index == 0 and reader.article is not None)
        await pilot.press("J")
        await wait_until(pilot, lambda: reader.index == 1 and reader.article is not None)
        await wait_until(pilot, lambda: reader.article_view.scroll_y == bottom)
        await pilot.press("S")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen)
                         and len(app.screen.rows) == 1)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is reader and reader.article is not None
                         and reader.article.title == first_title)
        await pilot.pause()
        assert reader.article_view.scroll_y == 0
        assert first_title[:30] in drawn(app)
        await pilot.press("H")
        await wait_until(pilot, lambda: reader.article is not None
                         and reader.article.title == second_title)
        await wait_until(pilot, lambda: reader.article_view.scroll_y == bottom)
        await pilot.press("L")
        await wait_until(pilot, lambda: reader.article is not None
                         and reader.article.title == first_title)
        await pilot.pause()
        assert reader.article_view.scroll_y == 0


async def test_library_delete_asks_first(library: Path) -> None:
    app = demo_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_analysed(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: app.reader.saved is not None)
        await pilot.press("S")
        assert isinstance(app.screen, LibraryScreen)
        screen: LibraryScreen = app.screen
        await wait_until(pilot, lambda: len(screen.rows) == 1)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await wait_drawn(pilot, "Delete “Dockworkers", "y yes · n no")
        await pilot.press("n")
        await pilot.pause(0.2)
        assert app.screen is screen and len(screen.rows) == 1
        with store.opened(library) as connection:
            assert store.list_articles(connection).total == 1
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.rows == [])
        await wait_drawn(pilot, "0 saved articles")


async def test_export_refuses_unknown_formats_and_asks_before_replacing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_EXPORT_DIR", str(tmp_path / "exports"))
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_analysed(pilot)
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        # the default file name is not scrolled out of view
        await wait_drawn(pilot, dialog.default.name, ".md Markdown · .json JSON · .html HTML")
        field = dialog.query_one("#export-path")
        target = tmp_path / "notes.txt"
        field.value = str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_drawn(pilot, ".txt: not a format")
        assert isinstance(app.screen, ExportDialog)
        assert not target.exists()
        existing = tmp_path / "kept.md"
        existing.write_text("mine", encoding="utf-8")
        field.value = str(existing)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_drawn(pilot, "this file exists")
        assert existing.read_text(encoding="utf-8") == "mine"
        await pilot.press("enter")
        await wait_until(pilot, lambda: existing.read_text(encoding="utf-8") != "mine")
        assert existing.read_text(encoding="utf-8").startswith("---")


@pytest.mark.parametrize("failure", ["false", "raises"])
async def test_open_without_a_browser_says_so_and_offers_copy(
        monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    def no_browser(url: str, *args: object, **kwargs: object) -> bool:
        if failure == "raises":
            raise webbrowser.Error("could not locate runnable browser")
        return False

    monkeypatch.setattr(webbrowser, "open", no_browser)
    html = [s for s in demo_sources() if s.location.endswith(".html")]
    app = make_app(html, settings=Settings())
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_analysed(pilot)
        await pilot.press("o")
        await wait_drawn(pilot, "no web browser", "press m to copy")
        await pilot.press("y")
        assert app.clipboard == app.reader.article.url  # type: ignore[union-attr]


async def test_footers_belong_to_their_screen_and_selection_shows_its_keys(
        library: Path) -> None:
    app = demo_app(library)
    async with app.run_test(size=(160, 30)) as pilot:
        await wait_analysed(pilot)
        await wait_until(pilot, lambda: "Zen" in footer_text(app))
        reading = footer_text(app)
        assert "Zen" in reading and "Find" in reading and "Highlight" not in reading
        await pilot.press("v")
        await wait_until(pilot, lambda: "Highlight" in footer_text(app))
        selecting = footer_text(app)
        assert "Highlight" in selecting and "Note" in selecting
        assert "Drop selection" in selecting
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Highlight" not in footer_text(app))
        assert "Highlight" not in footer_text(app)
        assert app.reader.article_view.selection is None
        await pilot.press("S")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen)
                         and "Search" in footer_text(app))
        library_footer = footer_text(app)
        assert "Search" in library_footer and "Delete" in library_footer
        assert "Zen" not in library_footer and "Find" not in library_footer


async def test_top_and_bottom_keys_in_help_and_library(library: Path) -> None:
    with store.opened(library) as connection:
        from reader.models import Annotated, Article, Block

        for n in range(40):
            text = f"Story number {n} about the harbour."
            store.save(connection, Annotated(Article(
                text=text, title=f"Story {n}", url=f"https://news.example/{n}",
                blocks=(Block("paragraph", 0, len(text)),))))
    app = demo_app(library)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        await pilot.press("G")
        await pilot.pause()
        assert help_screen.box.scroll_y == help_screen.box.max_scroll_y > 0
        await pilot.press("g")
        await pilot.pause()
        assert help_screen.box.scroll_y == 0
        await pilot.press("escape", "S")
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await wait_until(pilot, lambda: len(screen.rows) == 40)
        await pilot.press("G")
        assert screen.listing.highlighted == 39
        await pilot.press("g")
        assert screen.listing.highlighted == 0


async def test_help_shows_a_rebound_key() -> None:
    app = demo_app(settings=Settings(keys={"app.zen": "f5"}))
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        lines = drawn_lines(app)
        zen = [line for line in lines if "Zen" in line]
        assert zen and "f5" in zen[0]
        assert not any(line.strip().startswith("z ") for line in lines)


async def test_edit_config_keeps_zen(isolated_home: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    script = isolated_home / "editor.py"
    script.write_text("import sys\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    app = demo_app()
    async with app.run_test(size=(160, 30)) as pilot:
        await wait_analysed(pilot)
        await pilot.press("z")
        await pilot.pause()
        side = app.reader.query_one("#side")
        assert not shows(side)
        await pilot.press("E")
        await wait_until(pilot, lambda: any("settings reloaded" in n.message
                                            for n in app._notifications))
        await pilot.pause()
        assert app.reader.zen and not shows(side)


def test_plurals() -> None:
    assert plural(1, "quote") == "1 quote" and plural(2, "match", "matches") == "2 matches"
    from reader.models import Quote

    one = Quote(text="We are ready", start=0, end=12, speaker="Ortiz", speaker_kind="named",
                speaker_confidence=0.9)
    summary = QuotesPanel.summary((one,))
    assert "1 quote:" in summary and "1 speaker" in summary
    assert "quotes" not in summary and "speakers" not in summary


async def test_home_help_and_footer_list_the_home_keys(library: Path) -> None:
    app = make_app([], settings=Settings(), library=library)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: "no feeds yet" in drawn(app)
                         and "Refresh" in footer_text(app))
        footer = footer_text(app)
        assert "Refresh" in footer and "Add feed" in footer and "Zen" not in footer
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        shown = await wait_drawn(pilot, "Home: feeds", "Refresh all")
        assert "Zen" not in shown and "Next article" not in shown


STAMPED_PAGE = ("<html><head><title>Port reopens</title>"
                '<meta property="article:published_time" content="2026-03-04T09:00:00Z">'
                "</head><body><article><h1>Port reopens</h1>"
                + "".join(f"<p>Paragraph {n}: the harbour master said the port reopened on "
                          "Wednesday after the storm, and ferries sailed again at noon.</p>"
                          for n in range(8))
                + "</article></body></html>")


async def test_the_publication_date_is_drawn_in_words(tmp_path: Path) -> None:
    page = tmp_path / "port.html"
    page.write_text(STAMPED_PAGE, encoding="utf-8")
    app = make_app([Source("file", str(page))], settings=Settings())
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: app.reader.article is not None)
        await pilot.pause()
        assert app.reader.article is not None
        assert app.reader.article.published == "2026-03-04"
        status = app.reader.query_one("#status")
        assert "Wed 4 Mar 2026" in drawn_lines(app)[status.region.y]
        screen = drawn(app)
        assert screen.count("Wed 4 Mar 2026") == 2  # the article header and the status line
        assert "2026-03-04" not in screen


def test_a_feed_timestamp_in_the_article_header_is_a_date_in_words() -> None:
    article = Article(text="Body.", title="Port reopens", site="Harbour News",
                      published="2026-03-04T09:00:00Z")
    assert header_text(article).plain.split("\n")[1].startswith(
        "Harbour News · Wed 4 Mar 2026, 09:00 UTC · ")
