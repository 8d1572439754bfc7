"""Every key of the reader, the panel ↔ article linking and the three layouts (Pilot)."""

from __future__ import annotations

import inspect
import sys
import webbrowser
from pathlib import Path

import httpx
import pytest
from textual.widget import Widget

from reader.config import Settings
from reader.sources import Source, demo_sources
from reader.tui.app import ReaderApp, make_app
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.pickers import ArticleListScreen, LinksScreen
from reader.tui.widgets.find_bar import find_all
from reader.tui.widgets.panels import EntitiesPanel, FactsPanel, QuotesPanel
from tests.tui.helpers import drawn_lines, wait_analysed, wait_drawn, wait_until

LINKED_PAGE = b"""<!doctype html><html><head><title>Linked story</title></head><body>
<article><h1>Linked story</h1><p>The linked page explains how the city of Ostrava
measured its air quality over the winter, with readings from forty stations that the
council published on Monday for the first time.</p><p>Officials said the data would be
updated every week and that schools near the busiest roads would get filters first.</p>
</article></body></html>"""


def demo_app(size_settings: Settings | None = None) -> ReaderApp:
    return make_app(demo_sources(), settings=size_settings or Settings())


def html_demo_app(transport: httpx.AsyncBaseTransport | None = None) -> ReaderApp:
    html = [s for s in demo_sources() if s.location.endswith(".html")]
    return make_app(html, settings=Settings(), transport=transport)


async def test_scroll_keys() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        view = app.reader.article_view
        half = view.scrollable_content_region.height // 2
        await pilot.press("ctrl+d")
        assert view.scroll_y == half
        await pilot.press("ctrl+u")
        assert view.scroll_y == 0
        await pilot.press("pagedown")
        assert view.scroll_y > half
        await pilot.press("pageup")
        assert view.scroll_y == 0
        await pilot.press("end")
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("home")
        assert view.scroll_y == 0
        await pilot.press("up")
        assert view.scroll_y == 0


async def test_tab_cycles_panes_and_digits_jump() -> None:
    app = demo_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_analysed(pilot)
        order = []
        for _ in range(4):
            await pilot.press("tab")
            order.append(app.reader.current_pane())
        assert order == [1, 2, 3, 0]
        await pilot.press("shift+tab")
        assert app.reader.current_pane() == 3
        for key, pane in (("2", 1), ("4", 3), ("3", 2), ("1", 0)):
            await pilot.press(key)
            assert app.reader.current_pane() == pane
        assert app.focused is app.reader.article_view


async def test_quote_enter_highlights_and_n_walks_the_speakers_quotes() -> None:
    app = demo_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_analysed(pilot)
        assert app.reader.annotated is not None
        await pilot.press("2", "enter")
        first = app.reader.annotated.quotes[0]
        same = [(q.start, q.end) for q in app.reader.annotated.quotes if q.speaker == first.speaker]
        assert app.reader.article_view.highlighted == tuple(same)
        assert app.reader.article_view.current_index == 0
        if len(same) > 1:
            await pilot.press("n")
            assert app.reader.article_view.current_index == 1
            await pilot.press("N")
            assert app.reader.article_view.current_index == 0


async def test_quote_filter_by_speaker() -> None:
    app = demo_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_analysed(pilot)
        panel = app.reader.query_one(QuotesPanel)
        total = panel.option_list.option_count
        await pilot.press("2", "f")
        speaker = panel.speaker_filter
        assert speaker
        assert app.reader.annotated is not None
        expected = sum(1 for q in app.reader.annotated.quotes if q.speaker == speaker)
        assert panel.option_list.option_count == expected < total
        await pilot.press("f")
        assert panel.option_list.option_count == total


async def test_fact_enter_jumps_to_its_sentence() -> None:
    app = demo_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_analysed(pilot)
        assert app.reader.annotated is not None
        await pilot.press("4", "enter")
        fact = app.reader.annotated.facts[0]
        assert app.reader.article_view.highlighted == ((fact.start, fact.end),)


async def test_find_counts_highlights_steps_and_clears() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        assert app.reader.article is not None
        await pilot.press("slash")
        assert app.reader.find_bar.display
        await pilot.press(*"union")
        expected = find_all(app.reader.article.text, "union")
        assert len(expected) > 1
        assert app.reader.article_view.highlighted == tuple(expected)
        count = str(app.reader.find_bar.query_one(".find-count").render())
        assert count == f"1/{len(expected)}"
        await pilot.press("enter")
        assert app.focused is app.reader.article_view
        await pilot.press("n")
        assert app.reader.article_view.current_index == 1
        assert str(app.reader.find_bar.query_one(".find-count").render()) == f"2/{len(expected)}"
        await pilot.press("escape")
        assert app.reader.article_view.highlighted == ()
        assert not app.reader.find_bar.display


async def test_article_list_with_backspace() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        await pilot.press("backspace")
        assert isinstance(app.screen, ArticleListScreen)
        await pilot.press("j", "enter")
        await wait_until(pilot, lambda: app.reader.index == 1 and app.reader.article is not None)
        assert app.reader.article is not None and app.reader.article.site == "Reader Demo"


async def test_links_open_inside_and_history_moves() -> None:
    target = "https://example.org/river-data/2026-first-release"

    def handler(request: httpx.Request) -> httpx.Response:
        assert str(request.url) == target
        return httpx.Response(200, headers={"content-type": "text/html"}, content=LINKED_PAGE)

    app = html_demo_app(httpx.MockTransport(handler))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        original = app.reader.article
        await pilot.press("u")
        assert isinstance(app.screen, LinksScreen)
        await pilot.press("1")
        await wait_until(pilot, lambda: app.reader.article is not None
                         and app.reader.article is not original)
        assert app.reader.article is not None and app.reader.article.title == "Linked story"
        assert len(app.reader.history) == 2
        await pilot.press("H")
        await wait_until(pilot, lambda: app.reader.article is not None
                         and app.reader.article.title == original.title)  # type: ignore[union-attr]
        await pilot.press("L")
        await wait_until(pilot, lambda: app.reader.article is not None
                         and app.reader.article.title == "Linked story")
        await pilot.press("q")  # back, not quit
        await wait_until(pilot, lambda: app.reader.history.position == 0)
        assert app.is_running
        await pilot.press("q")
    assert app.return_code == 0


async def test_open_in_browser_and_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    app = html_demo_app()
    opened: list[str] = []
    def fake_open(url: str, *args: object, **kwargs: object) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_analysed(pilot)
        assert app.reader.article is not None and app.reader.article.url
        await pilot.press("o")
        await wait_until(pilot, lambda: bool(opened))
        assert opened == [app.reader.article.url]
        await pilot.press("y")
        assert app.clipboard == app.reader.article.url
        await pilot.press("2", "y")
        quote = app.reader.annotated.quotes[0] if app.reader.annotated else None
        assert quote is not None
        assert app.clipboard == f"“{quote.text}” — {quote.speaker}"
        await pilot.press("1", "u", "o")
        await wait_until(pilot, lambda: len(opened) == 2)
        assert opened[-1] == app.reader.article.links[0].url


async def test_side_panels_zen_theme_and_entity_marks(isolated_home: Path) -> None:
    app = demo_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_analysed(pilot)
        side = app.reader.query_one("#side")

        def side_shown() -> bool:
            return side.display

        await pilot.press("backslash")
        assert not side_shown()
        await pilot.press("backslash")
        assert side_shown()
        await pilot.press("z")
        assert app.reader.zen and not side_shown()
        view = app.reader.article_view
        assert view.article is not None
        widths = [len(line.strip()) for i in range(len(view.article.blocks))
                  for line in view.block_lines(i)]
        assert max(widths) <= 80
        assert min(len(line) - len(line.lstrip()) for line in view.block_lines(3)) > 20
        await pilot.press("z")
        assert side_shown()
        before = app.theme
        await pilot.press("t")
        assert app.theme != before
        chosen = app.theme
        blocks = range(len(view.article.blocks))

        def marks() -> int:
            return sum(len(app.reader.article_view.block_layers(i)[0]) for i in blocks)

        marked = marks()
        await pilot.press("e")
        assert marks() < marked
        await pilot.press("e")
        assert marks() == marked
    again = demo_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert again.theme == chosen


async def test_reload_and_quit_now() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        generation = app.reader.generation
        await pilot.press("r")
        assert app.reader.generation == generation + 1
        await wait_analysed(pilot)
        assert app.reader.article is not None
        await pilot.press("J")
        await wait_until(pilot, lambda: app.reader.index == 1)
        await pilot.press("Q")
        await pilot.pause()
    assert not app.is_running


async def test_help_lists_keys_and_closes() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 50)) as pilot:
        # The help lists the keys of what has focus: wait until the article has it.
        await wait_until(pilot, lambda: app.reader.article_view.has_focus)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        shown = await wait_drawn(pilot, "Article", "Select", "Reading", "Zen", "Next article")
        assert "Scroll Left" not in shown  # Textual's own keys are not the reader's
        await pilot.press("G")
        await wait_drawn(pilot, "Everywhere", "Edit config")
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen))


async def test_keys_table_in_config_rebinds() -> None:
    app = demo_app(Settings(keys={"app.next_article": "ctrl+n", "app.help": "f1"}))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: app.reader.index == 1)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_edit_config_runs_editor_and_reloads(isolated_home: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    script = isolated_home / "editor.py"
    script.write_text("import sys\nopen(sys.argv[1], 'a').write('\"app.help\" = \"f2\"\\n')\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("E")
        await pilot.pause()
        assert (isolated_home / "config.toml").exists()
        assert app.settings.keys == {"app.help": "f2"}
        await pilot.press("f2")
        assert isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize(("width", "mode"), [(200, "wide"), (120, "medium"), (80, "narrow")])
async def test_layouts(width: int, mode: str) -> None:
    app = demo_app()
    async with app.run_test(size=(width, 40)) as pilot:
        await wait_analysed(pilot)
        assert app.reader.layout_mode == mode
        shown = [p for p in (app.reader.query_one(QuotesPanel), app.reader.query_one(EntitiesPanel),
                             app.reader.query_one(FactsPanel)) if p.display and p.size.width > 0]
        assert len(shown) == (3 if mode == "wide" else 1)
        if mode != "wide":
            await pilot.press("3")
            assert app.reader.query_one(EntitiesPanel).size.width > 0
            assert app.reader.query_one(QuotesPanel).size.width == 0
        article = app.reader.article_view.region
        side = app.reader.query_one("#side").region
        if mode == "narrow":
            assert side.y >= article.bottom
        else:
            assert side.x >= article.right


async def test_resize_reflows_live() -> None:
    app = demo_app()
    async with app.run_test(size=(200, 50)) as pilot:
        await wait_analysed(pilot)
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert app.reader.layout_mode == "narrow"
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert app.reader.layout_mode == "wide"


async def test_panels_a_tabbed_layout_hid_are_drawn_whole_when_the_wide_one_shows_them(
        ) -> None:
    """In the tabbed layout only Quotes is built at start; widened, Entities and Key
    facts come with their titles, summaries and items (they are built when first shown)."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        assert app.reader.layout_mode == "medium"
        await pilot.resize_terminal(160, 40)
        entities = app.reader.query_one(EntitiesPanel)
        facts = app.reader.query_one(FactsPanel)

        def inside(panel: Widget) -> str:
            box = panel.region
            return "\n".join(line[box.x:box.right] for line in drawn_lines(app)[box.y:box.bottom])

        await wait_until(pilot, lambda: "Entities" in inside(entities)
                         and "People" in inside(entities) and "Key facts" in inside(facts)
                         and "key points ·" in inside(facts))


async def test_scrolling_the_article_moves_the_panels_current_item() -> None:
    app = demo_app()
    async with app.run_test(size=(160, 24)) as pilot:
        await wait_analysed(pilot)
        panel = app.reader.query_one(QuotesPanel)
        start = panel.option_list.highlighted
        await pilot.press("G")
        await pilot.pause()
        assert panel.option_list.highlighted != start
        assert "100%" in str(app.reader.query_one("#status").render())


async def test_url_source_uses_mock_transport_only() -> None:
    app = make_app([Source("url", "https://news.example/x")], settings=Settings(),
                   transport=httpx.MockTransport(lambda r: httpx.Response(
                       200, headers={"content-type": "text/html"}, content=LINKED_PAGE)))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        assert app.reader.article is not None and app.reader.article.title == "Linked story"


async def test_command_palette_lists_reader_actions() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Find", "Links", "Zen", "Next article", "Theme", "Edit config"} <= titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Zen")
        result = command.callback()
        if inspect.isawaitable(result):
            await result
        await pilot.pause()
        assert app.reader.zen


async def test_extraction_report_shows_method_and_markup_literally() -> None:
    from reader.tui.screens.debug import ExtractionScreen

    app = html_demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_analysed(pilot)
        assert app.reader.article is not None and app.reader.article.method
        assert f"via {app.reader.article.method}" in str(app.reader.query_one("#status").render())
        await pilot.press("X")
        await wait_until(pilot, lambda: isinstance(app.screen, ExtractionScreen))
        report = str(app.screen.query_one("#debug-report").render())
        assert report.startswith(f"chosen: {app.reader.article.method}")
        assert "\nwhy: " in report and "\ncandidates:" in report
        assert "<p>" in report
        await pilot.press("escape")
        assert not isinstance(app.screen, ExtractionScreen)


LAZY_SCREENS = """
import sys
from reader.tui import app
from reader.config import Settings
heavy = ["reader.tui.screens.feeds", "reader.tui.screens.library", "reader.library.store",
         "reader.annotation_models",
         "reader.feeds", "lxml", "spacy"]
print(sorted(m for m in heavy if m in sys.modules))
print(sorted({"feeds.refresh", "lookup.close", "app.zen"} & app._binding_ids()))
"""


def test_reading_path_leaves_other_screens_unimported_but_their_keys_rebindable() -> None:
    """Opening an article imports neither the home screen (feeds, lxml), the library
    screen and store, the analysis classes, nor spaCy; a [keys] table naming their
    bindings still works."""
    import subprocess

    result = subprocess.run([sys.executable, "-c", LAZY_SCREENS], capture_output=True,
                            text=True, check=True)
    assert result.stdout.splitlines() == [
        "[]", "['app.zen', 'feeds.refresh', 'lookup.close']"]
