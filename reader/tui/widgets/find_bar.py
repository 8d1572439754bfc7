"""Find in the article: a one-line input that reports matches as you type.

Matching is literal and case-insensitive (``re.escape`` + ``IGNORECASE``) so offsets
are those of the article text itself, even for characters whose lower case is longer.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

MAX_MATCHES = 5000
Span = tuple[int, int]


def find_all(text: str, query: str, limit: int = MAX_MATCHES) -> list[Span]:
    if not query:
        return []
    spans: list[Span] = []
    for match in re.finditer(re.escape(query), text, flags=re.IGNORECASE):
        spans.append(match.span())
        if len(spans) >= limit:
            break
    return spans


class FindBar(Horizontal):
    """Hidden until ``/``; posts ``Changed`` on each keystroke, ``Done`` on enter/escape.

    Its input is built the first time it opens: a reader who never searches does not pay
    for it while the screen's first frame is drawn."""

    BINDINGS = [Binding("escape", "clear", "Clear search", id="find.clear")]

    class Changed(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Done(Message):
        def __init__(self, cleared: bool) -> None:
            super().__init__()
            self.cleared = cleared

    def __init__(self, *, placeholder: str = "find in the article",
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.placeholder = placeholder
        self.display = False

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    async def open(self, placeholder: str | None = None) -> None:
        if placeholder is not None:
            self.placeholder = placeholder
        if not self.children:
            await self.mount_all([
                Static(Text("/"), classes="find-prompt", markup=False),
                Input(placeholder=self.placeholder, id="find-input"),
                Static(Text(""), classes="find-count", markup=False)])
        self.input.placeholder = self.placeholder
        self.display = True
        self.input.focus()

    def set_count(self, current: int, total: int, query: str) -> None:
        label = "" if not query else ("no matches" if total == 0 else f"{current + 1}/{total}")
        self.query_one(".find-count", Static).update(Text(label))

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done(cleared=False))

    def close(self) -> None:
        if self.children:
            self.input.value = ""
        self.display = False

    def action_clear(self) -> None:
        self.close()
        self.post_message(self.Done(cleared=True))
