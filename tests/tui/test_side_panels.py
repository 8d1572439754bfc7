"""Quotes, Entities and Key facts are mounted just after the reading screen's first
frame; what they are told before that is shown once they are, and nothing asked of them
in between fails."""

from __future__ import annotations

from textual.app import App, ComposeResult

from reader.models import Annotated, Article, Quote
from reader.tui.app import ReaderApp
from reader.tui.widgets.side import SidePanels
from tests.tui.helpers import drawn, wait_drawn

TEXT = "“The bridge opens in May,” said Ana Ruiz, the mayor."
QUOTE = Quote("The bridge opens in May,", 1, 25, "Ana Ruiz", None, "said", "direct", "named",
              0.9)
ANNOTATED = Annotated(article=Article(text=TEXT), entities=(), quotes=(QUOTE,), facts=())


class SideOnly(App[int]):
    CSS_PATH = ReaderApp.CSS_PATH

    def __init__(self, side: SidePanels) -> None:
        super().__init__()
        self.side = side

    def compose(self) -> ComposeResult:
        yield self.side


def test_panels_told_before_they_are_mounted_keep_it_and_fail_nothing() -> None:
    side = SidePanels(id="side")
    side.quotes.show(ANNOTATED)
    side.entities.show(ANNOTATED)
    assert not side.quotes.is_attached
    assert not side.quotes.holds_focus
    side.quotes.follow(3)  # the article scrolled
    side.quotes.focus_list()  # "2" pressed: nothing to focus yet, and no error
    side.show_message("analysing…")
    side.quotes.show(ANNOTATED)  # then the analysis arrived


async def test_what_a_panel_was_told_before_mounting_is_drawn_after() -> None:
    side = SidePanels(id="side")
    side.quotes.show(ANNOTATED)
    side.entities.show(ANNOTATED)
    side.facts.show(ANNOTATED)
    app = SideOnly(side)
    async with app.run_test(size=(120, 20)) as pilot:
        screen = await wait_drawn(pilot, "Ana Ruiz said", "no named entities found")
        assert "1 quote: 1 named" in screen
        assert [panel.id for panel in side.query("Panel")] == [
            "quotes", "entities", "facts", "notes"]
        side.quotes.focus_list()
        await pilot.pause()
        assert side.quotes.holds_focus
        assert "Quotes" in drawn(app)
        assert side.facts.option_list.option_count == 0  # told "no key facts found"
