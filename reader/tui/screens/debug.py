"""``X``: what extraction saw on this page, for finding out why text is missing or extra."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from reader.tui.screens.base import BaseModal


class ExtractionScreen(BaseModal[None]):
    """The extraction report as plain text: page markup is shown, never interpreted."""

    BINDINGS = [
        Binding("escape,q,X", "dismiss", "Close", id="debug.close"),
        Binding("j", "scroll_down", "Down", show=False, id="debug.down"),
        Binding("k", "scroll_up", "Up", show=False, id="debug.up"),
    ]

    def __init__(self, title: str, report: str) -> None:
        super().__init__()
        self.title_text = title
        self.report = report

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="debug-box"):
            yield Static(Text(self.title_text, style="bold"), id="debug-title", markup=False)
            yield Static(Text(self.report), id="debug-report", markup=False)

    def action_scroll_down(self) -> None:
        self.query_one("#debug-box", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#debug-box", VerticalScroll).scroll_up()
