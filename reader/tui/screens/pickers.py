"""Small modal lists: the article's links (``u``) and the articles of the list (backspace).

Both return the chosen item to the app with ``dismiss``; they never open anything
themselves, so the app keeps one place that decides what may be opened.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.models import Link
from reader.tui.screens.base import BaseModal


class PickerList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="picker.down"),
        Binding("k", "cursor_up", "Up", show=False, id="picker.up"),
    ]


class Picker(BaseModal[int | None]):
    """A titled list; Enter or a digit (1–9) picks, escape closes."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="picker.close"),
        *[Binding(str(d), f"pick({d - 1})", show=False, id=f"picker.{d}") for d in range(1, 10)],
    ]

    def __init__(self, title: str, rows: list[Text], empty: str) -> None:
        super().__init__(classes="picker")
        self.title_text = title
        self.rows = rows
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker-box"):
            yield Static(Text(self.title_text, style="bold"), classes="picker-title",
                         markup=False)
            if self.rows:
                yield PickerList(*[Option(row, id=str(i)) for i, row in enumerate(self.rows)])
            else:
                yield Static(Text(self.empty, style="dim"), markup=False)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_pick(self, index: int) -> None:
        if index < len(self.rows):
            self.dismiss(index)

    def action_close(self) -> None:
        self.dismiss(None)

    @property
    def highlighted(self) -> int | None:
        lists = self.query(PickerList)
        return lists.first().highlighted if lists else None


def link_rows(links: tuple[Link, ...]) -> list[Text]:
    rows = []
    for number, link in enumerate(links, start=1):
        row = Text(f"{number:>2}  ", style="bold")
        row.append(link.text or link.url)
        row.append(f"\n    {link.url}", style="dim")
        rows.append(row)
    return rows


class LinksScreen(Picker):
    """The article's links, numbered; ``o`` opens the highlighted one in the browser."""

    BINDINGS = [Binding("o", "browser", "Open in browser", id="links.browser")]

    def __init__(self, links: tuple[Link, ...]) -> None:
        super().__init__("Links in this article", link_rows(links), "this article has no links")
        self.links = links
        self.in_browser = False
        """Set when the link was chosen with ``o``: open it outside the reader."""

    def action_browser(self) -> None:
        index = self.highlighted
        if index is not None:
            self.in_browser = True
            self.dismiss(index)


class ArticleListScreen(Picker):
    def __init__(self, labels: list[str], current: int) -> None:
        rows = [Text(("▶ " if i == current else "  ") + label) for i, label in enumerate(labels)]
        super().__init__("Articles", rows, "no articles")
        self.current = current

    def on_mount(self) -> None:
        lists = self.query(PickerList)
        if lists:
            lists.first().highlighted = self.current
