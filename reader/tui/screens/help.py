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
        ("ctrl+d / ctrl+u", "scroll half a page"),
        ("space / b, PgDn / PgUp", "scroll a page"),
        ("g / G, Home / End", "top / bottom of the article"),
        ("/", "find in the article (enter keeps it, escape clears)"),
        ("n / N", "next / previous match, mention or quote of the speaker"),
    )),
    ("Panels", (
        ("tab / shift+tab", "article → quotes → entities → key facts"),
        ("1 2 3 4 5", "article, quotes, entities, key facts, notes"),
        ("j / k, enter", "move in a panel; show the item in the article"),
        ("f", "quotes: only this speaker (again: everyone)"),
        ("e", "entity marks in the text on / off"),
        ("\\", "hide / show the panels"),
        ("z", "zen mode: the article alone, centred"),
    )),
    ("Articles", (
        ("J / K", "next / previous article in the list"),
        ("backspace", "the list of articles"),
        ("H / L", "back / forward in history"),
        ("u", "links of the article (enter or 1-9 opens, o: browser)"),
        ("o", "open the article in the web browser"),
        ("y", "copy the address, or the selected quote with its speaker"),
        ("r", "reload the article"),
        ("escape", "cancel loading, clear highlights, leave zen mode"),
    )),
    ("Library", (
        ("s", "save the article (again: update it, keeping your notes)"),
        ("S", "the library: / searches as you type, o sorts, d deletes, enter opens"),
        ("v, then j / k, { }", "select by sentence or paragraph (escape drops it)"),
        ("h", "highlight the selection, or the current sentence"),
        ("a", "a note on the selection (in Notes: edit the note)"),
        ("#", "tags of the article"),
        ("x", "export: .md, .json or .html"),
        ("i", "the selected entity or speaker across the library"),
        ("5", "Notes: your highlights (d deletes)"),
    )),
    ("App", (
        ("t", "next theme (remembered)"),
        ("E", "edit the config file in $EDITOR"),
        ("X", "extraction report: how the text was found (debugging)"),
        ("ctrl+p", "command palette: every action by name"),
        ("?", "this help"),
        ("q / Q", "back (quit at the first article) / quit now"),
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
