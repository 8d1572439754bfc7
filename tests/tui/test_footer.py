"""The reading screen's one-line key footer: what it draws, and keys clicked on it."""

from __future__ import annotations

from pathlib import Path

from reader.config import Settings
from reader.sources import Source
from reader.tui.app import ReaderApp, make_app
from reader.tui.widgets.find_bar import FindBar
from reader.tui.widgets.footer import KeyFooter
from tests.tui.helpers import drawn_lines, shows, wait_drawn, wait_until

ARTICLE = "Harbour talks resume\n\nThe port reopened on Monday after a week of talks.\n"


def reading_app(tmp_path: Path) -> ReaderApp:
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return make_app([Source("file", str(path))], settings=Settings(),
                    library=tmp_path / "library.sqlite3")


def footer_line(app: ReaderApp) -> str:
    footer = app.screen.query_one(KeyFooter)
    return drawn_lines(app)[footer.region.y]


async def test_the_keys_are_drawn_on_the_bottom_line_by_one_widget(tmp_path: Path) -> None:
    app = reading_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_drawn(pilot, "Harbour talks resume")
        footer = app.screen.query_one(KeyFooter)
        assert shows(footer)
        assert footer.region.y == 29
        assert not footer.children
        line = footer_line(app)
        for key in ("q Back", "/ Find", "? Keys"):
            assert key in line
        assert line.rstrip().endswith("^p palette")


async def test_clicking_a_key_runs_it(tmp_path: Path) -> None:
    app = reading_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_drawn(pilot, "Harbour talks resume")
        column = footer_line(app).index("/ Find")
        await pilot.click(KeyFooter, offset=(column + 3, 0))
        bar = app.screen.query_one(FindBar)
        await wait_until(pilot, lambda: shows(bar))
        assert drawn_lines(app)[bar.region.y].lstrip().startswith("/")


async def test_a_click_between_keys_does_nothing(tmp_path: Path) -> None:
    app = reading_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_drawn(pilot, "Harbour talks resume")
        line = footer_line(app)
        gap = len(line.split("? Keys")[0]) + len("? Keys") + 5  # the blank middle
        assert line[gap] == " "
        await pilot.click(KeyFooter, offset=(gap, 0))
        await pilot.pause()
        assert not shows(app.screen.query_one(FindBar))
        assert app.screen is app.reader


async def test_the_keys_follow_the_focus(tmp_path: Path) -> None:
    app = reading_app(tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_drawn(pilot, "Harbour talks resume", "analysed")
        assert "Filter speaker" not in footer_line(app)
        app.screen.query_one("#quotes").query_one("PanelList").focus()
        await wait_until(pilot, lambda: "f Filter speaker" in footer_line(app))
        assert "v Select" not in footer_line(app)


async def test_a_narrow_footer_keeps_the_palette_key_whole(tmp_path: Path) -> None:
    app = reading_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_drawn(pilot, "Harbour talks resume")
        line = footer_line(app)
        assert len(line) == 60
        assert line.rstrip().endswith("^p palette")
        assert line.startswith(" v Select")
