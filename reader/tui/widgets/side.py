"""The side of the reading screen: Quotes, Entities, Key facts and Notes, with tabs.

In the wide layout the panels stand side by side; in the narrower ones only the current
panel shows, under a line of numbered tabs. ``current`` is which one that is.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Static

from reader.tui.widgets.panels import EntitiesPanel, FactsPanel, NotesPanel, Panel, QuotesPanel


class SidePanels(Vertical):
    current: reactive[int] = reactive(0)
    """Index of the panel shown in the tabbed layouts (0 Quotes … 3 Notes)."""

    def compose(self) -> ComposeResult:
        yield Static(Text(""), id="side-tabs", markup=False)
        panels = [QuotesPanel(id="quotes"), EntitiesPanel(id="entities"),
                  FactsPanel(id="facts"), NotesPanel(id="notes")]
        # The current panel (``current`` starts at 0) is marked now, not on mount: a panel
        # the layout hides when it is composed is built only when first shown.
        panels[0].add_class("-current")
        with Horizontal(id="panels"):
            yield from panels

    @property
    def panels(self) -> list[Panel]:
        return list(self.query(Panel))

    def on_mount(self) -> None:
        self.watch_current(self.current)

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
