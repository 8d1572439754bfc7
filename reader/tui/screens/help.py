"""The ``?`` screen: every key the reader answers to, in one table."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Reading", (
        ("j / k, ↓ / ↑", "scroll a line"),
        ("space / b, PgDn / PgUp", "scroll a page"),
        ("g / G, Home / End", "top / bottom of the article"),
    )),
    ("Panels", (
        ("tab / shift+tab", "article → quotes → entities → key facts"),
        ("j / k", "move in a panel"),
        ("enter", "show the item in the article"),
        ("n / N", "next / previous highlighted span"),
        ("f", "quotes: only this speaker (again: everyone)"),
    )),
    ("Articles", (
        ("J / K", "next / previous article in the list"),
        ("escape", "cancel loading, clear highlights"),
    )),
    ("App", (
        ("?", "this help"),
        ("q", "quit"),
    )),
)


def keys_table() -> Table:
    table = Table(show_header=False, box=None, padding=(0, 2), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for section, rows in KEYS:
        table.add_row(Text(section, style="bold underline"), Text(""))
        for key, what in rows:
            table.add_row(Text(key), Text(what))
        table.add_row(Text(""), Text(""))
    return table


class HelpScreen(ModalScreen[None]):
    """A modal that lists the keys; any of escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text("Keys", style="bold"), id="help-title", markup=False)
            yield Static(keys_table(), id="help-table", markup=False)
