"""The coverage screen: how each outlet told one story, side by side, and what differs.

The articles load and are analysed in a thread worker (``reader.stories.gather``, the
analysis in the worker process), so the screen draws at once with a loading line and
never freezes. Then one card per outlet — headline, length, named and unnamed sources,
who it quotes, key figures — as many side by side as the width fits (a card needs
``CARD_WIDTH`` columns); when not all fit, a strip of tabs names every outlet and the
cards in view follow the selected one. Below the cards: figures that disagree, people and
organisations only some outlets mention, quotes only one carries.

``enter`` reads the selected outlet's article on the reading screen, with the story's
other articles one ``J``/``K`` away there; here ``J``/``K`` (or the arrows) select.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.message import Message
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from reader.errors import Cancelled
from reader.fetch_control import Cancel
from reader.models import Annotated, Article
from reader.sources import Source, limits_from
from reader.stories.compare import Coverage, compare
from reader.stories.gather import gather
from reader.tui.failures import failure_text
from reader.tui.messages import OpenSources
from reader.tui.screens.base import BaseScreen
from reader.tui.widgets.coverage_view import (
    OutletCard,
    differences_text,
    tabs_text,
)

CARD_WIDTH = 38
"""Columns one outlet's card needs to read well (a headline wraps in three lines)."""


class CoverageScreen(BaseScreen[None]):
    """Compare how several outlets covered one story."""

    BINDINGS = [
        Binding("enter", "open_outlet", "Read", id="coverage.open"),
        Binding("J", "step(1)", "Next article", id="coverage.next"),
        Binding("K", "step(-1)", "Previous article", id="coverage.previous"),
        Binding("right,l", "step(1)", "Next outlet", show=False, id="coverage.right"),
        Binding("left,h", "step(-1)", "Previous outlet", show=False, id="coverage.left"),
        Binding("escape,q", "back", "Back", id="coverage.back"),
    ]

    @dataclass
    class Progress(Message):
        line: str

    @dataclass
    class Compared(Message):
        coverage: Coverage
        sources: tuple[Source, ...]
        warnings: tuple[str, ...]

    def __init__(self, sources: list[str], library: Path | None = None,
                 title: str = "") -> None:
        super().__init__(id="coverage-screen")
        self.source_texts = list(sources)
        self.library = library
        self.story_title = title
        self.coverage: Coverage | None = None
        self.sources: tuple[Source, ...] = ()
        self.selected = 0
        self.columns = 1
        self._cancel = Cancel()

    def compose(self) -> ComposeResult:
        yield Static(Text(self._loading_line()), id="coverage-status", markup=False)
        yield Static(Text(""), id="coverage-tabs", markup=False)
        with VerticalScroll(id="coverage-body"):
            yield Horizontal(id="coverage-cards")
            yield Static(Text(""), id="coverage-differences", markup=False)
        yield Footer()

    def _loading_line(self) -> str:
        what = f"“{self.story_title}”: " if self.story_title else ""
        return f"{what}loading and analysing {len(self.source_texts)} articles…"

    def on_mount(self) -> None:
        self.query_one("#coverage-tabs").display = False
        self.query_one("#coverage-differences").display = False
        self.query_one("#coverage-body").focus()
        self.columns = self._fitting(self.size.width)
        self.load(self._cancel)

    # ----- loading ------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self, cancel: Cancel) -> None:
        settings = getattr(self.app, "settings", None)
        limits = limits_from(settings) if settings is not None else None
        total = len(self.source_texts)

        def loaded_one(done: int, total: int) -> None:
            self.post_message(self.Progress(f"loaded {done} of {total} articles…"))

        def analyse(articles: list[Article]) -> list[Annotated]:
            from reader.analysis import pool

            out = []
            for n, article in enumerate(articles, start=1):
                self.post_message(self.Progress(f"analysing {n} of {len(articles)}…"))
                out.append(pool.annotate_isolated(article))
            return out

        self.post_message(self.Progress(f"loading {total} articles…"))
        gathered = gather(self.source_texts, analyse, library=self.library, limits=limits,
                          transport=getattr(self.app, "transport", None), cancel=cancel,
                          loaded_one=loaded_one)
        coverage = compare(gathered.annotated)
        self.post_message(self.Compared(coverage, gathered.sources, gathered.warnings))

    @on(Worker.StateChanged)
    def _worker_ended(self, event: Worker.StateChanged) -> None:
        """The funnel has said what failed; the status line keeps saying it."""
        if event.state == WorkerState.ERROR and event.worker.group == "load" \
                and not isinstance(event.worker.error, Cancelled):
            self._status(f"could not compare: {failure_text(event.worker.error)}")

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        if self.coverage is None:
            what = f"“{self.story_title}”: " if self.story_title else ""
            self._status(what + message.line)

    @on(Compared)
    async def _compared(self, message: Compared) -> None:
        self.coverage, self.sources = message.coverage, message.sources
        for warning in message.warnings:
            self.notify(warning, severity="warning", markup=False)
        cards = self.query_one("#coverage-cards", Horizontal)
        await cards.remove_children()
        await cards.mount_all(OutletCard(outlet) for outlet in message.coverage.outlets)
        differences = self.query_one("#coverage-differences", Static)
        differences.update(differences_text(message.coverage))
        differences.display = True
        self._arrange()

    # ----- layout ---------------------------------------------------------------------

    @staticmethod
    def _fitting(width: int) -> int:
        return max(1, width // CARD_WIDTH)

    def on_resize(self, event: Resize) -> None:
        self.columns = self._fitting(event.size.width)
        self._arrange()

    def _shown(self) -> range:
        """The outlets in view: all when they fit, else a window holding the selected."""
        count = len(self.coverage.outlets) if self.coverage else 0
        if count <= self.columns:
            return range(count)
        first = min(self.selected, count - self.columns)
        return range(first, first + self.columns)

    def _arrange(self) -> None:
        coverage = self.coverage
        if coverage is None:
            return
        shown = self._shown()
        for card in self.query(OutletCard):
            card.display = card.outlet.index in shown
            card.set_class(card.outlet.index == self.selected, "-selected")
        tabs = self.query_one("#coverage-tabs", Static)
        tabs.display = len(shown) < len(coverage.outlets)
        tabs.update(tabs_text(coverage, self.selected, shown))
        outlet = coverage.outlets[self.selected]
        title = f"“{self.story_title}” · " if self.story_title else ""
        self._status(f"{title}{len(coverage.outlets)} outlets · {outlet.index + 1} "
                     f"{outlet.name} selected · enter reads it")

    def _status(self, line: str) -> None:
        self.query_one("#coverage-status", Static).update(Text(line))

    # ----- keys -----------------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        if self.coverage is None:
            return
        count = len(self.coverage.outlets)
        self.selected = (self.selected + delta) % count
        self._arrange()

    @on(OutletCard.Chosen)
    def _chosen(self, message: OutletCard.Chosen) -> None:
        self.selected = message.index
        self._arrange()

    def action_open_outlet(self) -> None:
        if self.coverage is None:
            self.notify("still loading the articles", timeout=2)
            return
        self.post_message(OpenSources(list(self.sources), self.selected))

    def action_back(self) -> None:
        self._cancel.cancel()
        if len(self.app.screen_stack) <= 2:  # opened on its own (reader compare --tui)
            self.app.exit(0)
        else:
            self.dismiss()
