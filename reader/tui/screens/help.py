"""The ``?`` screen: the keys of the screen it was opened from, as they are bound now.

Built from that screen's live bindings (``Screen.active_bindings``), so a ``[keys]`` rebind
in the config, or a key that only works in one state, shows as it is; hidden bindings are
listed too, grouped by the part of the screen that answers them.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from reader.tui.screens.base import BaseModal

SECTIONS = {
    "ArticleView": "Article",
    "PanelList": "Panel",
    "ReaderScreen": "Reading",
    "FeedsScreen": "Home: feeds",
    "CoverageScreen": "Coverage",
    "FeedList": "Lists",
    "StoryList": "Lists",
    "HeadlineList": "Headlines",
    "FindBar": "Search bar",
    "LibraryScreen": "Library",
    "LibraryList": "Lists",
    "ReaderApp": "Everywhere",
}


def keys_table(screen: Screen[Any]) -> Table:
    """Section by section (the focused widget first), each key and what it does."""
    app = screen.app
    sections: dict[str, list[tuple[str, str]]] = {}
    seen: set[tuple[str, str]] = set()
    for _key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or not binding.id:
            continue  # Textual's own scrolling and copy keys: not the reader's
        node = type(active.node).__name__
        section = SECTIONS.get(node, node)
        shown = binding.key_display or app.get_key_display(binding)
        if (section, binding.action) in seen:
            row = sections[section]
            for i, (keys, what) in enumerate(row):
                if what == binding.description and shown not in keys.split(" / "):
                    row[i] = (f"{keys} / {shown}", what)
            continue
        seen.add((section, binding.action))
        sections.setdefault(section, []).append((shown, binding.description))
    table = Table(show_header=False, box=None, padding=(0, 2), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    settings = getattr(screen, "help_settings", None)
    if callable(settings):
        sections["Settings (config.toml)"] = list(settings())
    for section, rows in sections.items():
        table.add_row(Text(section, style="bold underline"), Text(""))
        for key, what in rows:
            table.add_row(Text(key), Text(what))
        table.add_row(Text(""), Text(""))
    return table


class HelpScreen(BaseModal[None]):
    """The keys of ``screen``; escape, q or ? closes, j/k and g/G move."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up"),
        Binding("g,home", "top", "Top", show=False, id="help.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="help.bottom"),
    ]

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.table = keys_table(screen)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text("Keys", style="bold"), id="help-title", markup=False)
            yield Static(self.table, id="help-table", markup=False)

    @property
    def box(self) -> VerticalScroll:
        return self.query_one("#help-box", VerticalScroll)

    def action_scroll(self, lines: int) -> None:
        self.box.scroll_relative(y=lines, animate=False)

    def action_top(self) -> None:
        self.box.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.box.scroll_end(animate=False)
