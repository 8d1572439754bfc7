"""The side of the reading screen: Quotes, Entities, Key facts and Notes, with tabs.

In the wide layout the panels stand side by side; in the narrower ones only the current
panel shows, under a line of numbered tabs (docked at the top; hidden in the wide layout).
``current`` is which one that is. The panels are the container's own children, with no
row container between: every widget in the first frame costs it ~1%.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static

from reader.tui.widgets.panels import EntitiesPanel, FactsPanel, NotesPanel, Panel, QuotesPanel


class SidePanels(Horizontal):
    """The panels are made with this widget, but Quotes, Entities and Key facts are
    mounted just after the screen's first frame, which they would make ~4% slower and in
    which they have nothing to show yet (the article is not analysed). Until then they
    keep what they are told (see ``Panel``'s unbuilt state) and ignore the focus."""

    current: reactive[int] = reactive(0)
    """Index of the panel shown in the tabbed layouts (0 Quotes … 3 Notes)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.quotes = QuotesPanel(id="quotes")
        self.entities = EntitiesPanel(id="entities")
        self.facts = FactsPanel(id="facts")
        self.notes = NotesPanel(id="notes")
        # The current panel (``current`` starts at 0) is marked now, not on mount: a panel
        # the layout hides when it is mounted is built only when first shown.
        self.quotes.add_class("-current")

    def compose(self) -> ComposeResult:
        yield Static(Text(""), id="side-tabs", markup=False)
        yield self.notes

    @property
    def panels(self) -> list[Panel]:
        return [self.quotes, self.entities, self.facts, self.notes]

    def on_mount(self) -> None:
        self.watch_current(self.current)
        self.call_after_refresh(self._mount_panels)

    async def _mount_panels(self) -> None:
        await self.mount(self.quotes, self.entities, self.facts, before=self.notes)

    def watch_current(self, index: int) -> None:
        tabs = Text()
        for i, panel in enumerate(self.panels):
            panel.set_class(i == index, "-current")
            if i:
                tabs.append(" │ ", style="dim")
            tabs.append(f"{i + 2} {panel.TITLE}", style="bold reverse" if i == index else "dim")
        self.query_one("#side-tabs", Static).update(tabs)

    def show_message(self, message: str) -> None:
        for panel in self.panels:
            panel.show_message(message)
