"""Messages that travel between the panels, the article and the app."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

Span = tuple[int, int]


@dataclass
class JumpTo(Message):
    """Show these spans of the article: highlight all, scroll to the first."""

    spans: tuple[Span, ...]
    label: str = ""
    current: int = 0
