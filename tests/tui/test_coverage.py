"""The coverage screen, driven through the real app (``reader compare --tui``): what it
draws wide (every outlet side by side) and narrow (tabs, one card), its keys, and
snapshots of both sizes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from reader.config import Settings
from reader.tui.app import ReaderApp, make_app
from reader.tui.screens.coverage import CoverageScreen
from reader.tui.screens.reader import ReaderScreen
from reader.tui.widgets.coverage_view import OutletCard
from tests.conftest import FIXTURES
from tests.tui.helpers import drawn, wait_drawn, wait_until

STORY = FIXTURES / "compare"
SOURCES = [str(STORY / name) for name in
           ("northgate-herald.txt", "valley-post.txt", "city-wire.html")]
SETTINGS = Settings(theme="textual-dark")
CARD_HEADS = ("1  Northgate Herald", "2  Valley Post", "3  City Wire")


def coverage_app(sources: list[str] = SOURCES) -> ReaderApp:
    return make_app([], settings=SETTINGS, coverage=sources)


async def test_wide_draws_every_outlet_side_by_side_and_what_differs() -> None:
    app = coverage_app()
    async with app.run_test(size=(130, 45)) as pilot:
        loading = await wait_drawn(pilot, "analysing")
        assert " of 3…" in loading
        frame = await wait_drawn(pilot, "Figures that disagree", *CARD_HEADS)
        lines = frame.splitlines()
        heads = next(line for line in lines if CARD_HEADS[0] in line)
        assert all(head in heads for head in CARD_HEADS)  # one row of three columns
        assert "Cracked Millbrook bridge closed for" in frame
        assert "2 named · 0 unnamed sources" in frame
        assert "1 named · 1 unnamed sources" in frame  # City Wire's council official
        assert "a council official (unnamed)" in frame
        assert "7 — inspectors discovered" in frame
        assert "inspectors found: Northgate Herald 8 · Valley Post 7 · City Wire 8" in frame
        assert "Tomas Brenner (person): Valley Post" in frame
        assert "Valley Post, Tomas Brenner: “Steel of that age" in frame
        tabs = app.screen.query_one("#coverage-tabs")
        assert not tabs.display  # all fit: no tab strip
        cards = list(app.screen.query(OutletCard))
        await pilot.click(cards[2])
        await wait_drawn(pilot, "3 City Wire selected")
        assert cards[2].has_class("-selected") and not cards[0].has_class("-selected")


async def test_narrow_shows_tabs_and_one_card_j_k_step() -> None:
    app = coverage_app()
    async with app.run_test(size=(60, 40)) as pilot:
        frame = await wait_drawn(pilot, "Figures that disagree", CARD_HEADS[0])
        assert " 1 Northgate Herald   2 Valley Post   3 City Wire" in frame  # the tabs
        assert CARD_HEADS[1] not in frame and CARD_HEADS[2] not in frame
        assert "8 — inspectors found" in frame
        await pilot.press("J")
        frame = await wait_drawn(pilot, CARD_HEADS[1], "7 — inspectors discovered")
        assert CARD_HEADS[0] not in frame
        assert "2 Valley Post selected" in frame
        await pilot.press("J", "J")  # past the last: round to the first
        frame = await wait_drawn(pilot, CARD_HEADS[0])
        await pilot.press("K")
        frame = await wait_drawn(pilot, CARD_HEADS[2])
        assert "£3.2m — repairs will cost" in frame


async def test_enter_reads_the_outlet_and_q_comes_back() -> None:
    app = coverage_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drawn(pilot, "Figures that disagree")
        await pilot.press("J", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        frame = await wait_drawn(pilot, "Cracked Millbrook bridge closed for months",
                                 "Jonah Whitfield", "2/3")
        assert "Valley Post" in frame
        await pilot.press("J")  # the story's next article, on the reading screen
        await wait_drawn(pilot, "3/3", "Northgate closes Millbrook footbridge")
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, CoverageScreen))
        frame = await wait_drawn(pilot, "Figures that disagree", "2 Valley Post selected")
        await pilot.press("escape")  # opened on its own: escape leaves the app
        await wait_until(pilot, lambda: app.return_code == 0)


async def test_help_answers_while_loading_and_lists_the_coverage_keys() -> None:
    app = coverage_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drawn(pilot, "analysing")
        await pilot.press("question_mark")  # the articles are still being analysed
        frame = await wait_drawn(pilot, "Coverage", "Next article", "Previous article")
        assert "Read" in frame and "Back" in frame
        await pilot.press("escape")
        await wait_drawn(pilot, "Figures that disagree")


async def test_a_source_that_cannot_load_is_said(tmp_path: Path) -> None:
    app = coverage_app([SOURCES[0], str(tmp_path / "gone.txt")])
    async with app.run_test(size=(120, 40)) as pilot:
        frame = await wait_drawn(pilot, "could not compare:")
        assert "gone.txt" in frame


# --------------------------------------------------------------------------- snapshots

async def _compared(pilot: Pilot[Any]) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CoverageScreen)
                     and "Figures that disagree" in drawn(pilot.app))
    await pilot.pause(0.3)


@pytest.mark.parametrize("size", [(130, 45), (60, 40)], ids=["wide", "narrow"])
def test_coverage_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(coverage_app(), terminal_size=size, run_before=_compared)


async def test_page_text_is_drawn_as_written_never_as_markup(tmp_path: Path) -> None:
    """A headline with markup-like brackets neither crashes the screen nor loses text."""
    hostile = tmp_path / "hostile.txt"
    hostile.write_text("Price [USD] rises [/] [@click=app.quit]now[/]\nSource: Odd [b]Wire\n\n"
                       + "The council said the repairs would cost £4m. " * 12, encoding="utf-8")
    app = coverage_app([SOURCES[1], str(hostile)])
    async with app.run_test(size=(130, 45)) as pilot:
        frame = await wait_drawn(pilot, "Figures that disagree")
        assert "Price [USD] rises [/] [@click=app.quit]now[/]" in frame
        assert "2  Odd [b]Wire" in frame
