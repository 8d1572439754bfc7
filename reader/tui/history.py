"""Browser-style history for the reading screen: each entry remembers where the reader was.

Going back or forward restores the scroll position the reader left the article at;
opening something new drops the forward entries, as a browser does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.sources import Source


class Entry:
    """One article visited, and how far down it the reader was."""

    __slots__ = ("scroll_y", "source")

    def __init__(self, source: Source, scroll_y: float = 0.0) -> None:
        self.source = source
        self.scroll_y = scroll_y


class History:
    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.position = -1

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def current(self) -> Entry | None:
        return self.entries[self.position] if self.entries else None

    def visit(self, source: Source) -> Entry:
        """A new article: it becomes the newest entry, dropping the forward ones."""
        del self.entries[self.position + 1:]
        entry = Entry(source)
        self.entries.append(entry)
        self.position = len(self.entries) - 1
        return entry

    def remember(self, scroll_y: float) -> None:
        """Where the reader is in the current article, kept for when they come back."""
        if self.current is not None:
            self.current.scroll_y = scroll_y

    def move(self, delta: int) -> Entry | None:
        """The entry ``delta`` steps away, now current; None (and no move) past either end."""
        target = self.position + delta
        if not 0 <= target < len(self.entries):
            return None
        self.position = target
        return self.entries[target]

    def last_position(self, source: Source) -> float:
        """Where the reader last left ``source`` (the top if never read)."""
        return next((e.scroll_y for e in reversed(self.entries) if e.source == source), 0.0)

    def replace_current(self, source: Source) -> None:
        if self.current is not None:
            self.current.source = source
