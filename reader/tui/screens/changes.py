"""What a news article changed since it was saved: shown after ``r`` on a saved article."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.library.diff import ArticleDiff
from reader.textutil import clean_inline


def diff_text(diff: ArticleDiff) -> Text:
    """Added lines in green with +, removed ones in red with −; article text stays text."""
    out = Text()
    if diff.old_title != diff.new_title:
        out.append("Title\n", style="bold underline")
        out.append(f"− {clean_inline(diff.old_title)}\n", style="red")
        out.append(f"+ {clean_inline(diff.new_title)}\n\n", style="green")
    sections = (
        ("Paragraphs", diff.added_paragraphs, diff.removed_paragraphs),
        ("Quotes", tuple(q.text for q in diff.added_quotes),
         tuple(q.text for q in diff.removed_quotes)),
        ("Key facts", tuple(f.text for f in diff.added_facts),
         tuple(f.text for f in diff.removed_facts)),
    )
    for title, added, removed in sections:
        if not added and not removed:
            continue
        out.append(f"{title}\n", style="bold underline")
        for line in removed:
            out.append(f"− {clean_inline(line)}\n", style="red")
        for line in added:
            out.append(f"+ {clean_inline(line)}\n", style="green")
        out.append("\n")
    return out


class ChangesScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,enter", "dismiss", "Close", id="changes.close")]

    def __init__(self, diff: ArticleDiff) -> None:
        super().__init__(classes="picker")
        self.diff = diff

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="picker-box"):
            yield Static(Text(f"Changed since you saved it: {self.diff.summary()}",
                              style="bold"), classes="picker-title", markup=False)
            yield Static(diff_text(self.diff), id="changes-text", markup=False)
