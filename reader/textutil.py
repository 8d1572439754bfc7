"""Text hygiene shared by every way an article comes in.

Article text reaches the terminal, so control characters (an ESC starting an ANSI
sequence, a BEL, a C1 CSI) are turned into their visible Unicode "control picture"
instead of being passed through: the reader shows them, the terminal never obeys them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from reader.models import Block, BlockKind, clean_control

_SPACE_LIKE = str.maketrans({"\t": " ", "\x0b": " ", "\x0c": " ", "\r": " ",
                             "\xa0": " ", "\u2028": " ", "\u2029": " ", "\u200b": ""})
_WS = re.compile(r"[ \t\u3000\u2000-\u200a\u202f\u205f]+")


def make_visible(text: str) -> str:
    """The one rendering of outside text for the terminal (TUI and CLI): spacing
    characters become spaces and every control character a visible symbol
    (:func:`reader.models.clean_control`); newlines are kept."""
    return clean_control(text.translate(_SPACE_LIKE))


def clean_inline(text: str) -> str:
    """One line of display text: controls made visible, whitespace runs collapsed."""
    text = unicodedata.normalize("NFC", make_visible(text))
    return _WS.sub(" ", text.replace("\n", " ")).strip()


def plural(count: int, one: str, many: str | None = None) -> str:
    """"1 quote", "2 quotes", "3 matches": the count with the right form of the noun."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def clip_words(text: str, limit: int) -> str:
    """At most ``limit`` space-separated words, with an ellipsis when cut."""
    words = text.split(" ")
    return text if len(words) <= limit else " ".join(words[:limit]) + " …"


def first_line(error: object) -> str:
    """The first line of an error's message (third-party errors can run to many lines)."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


class TextBuilder:
    """Joins blocks with blank lines and records each block's offsets as it goes."""

    SEPARATOR = "\n\n"

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._blocks: list[Block] = []
        self._length = 0

    def add(self, kind: BlockKind, text: str) -> None:
        text = clean_inline(text)
        if not text:
            return
        if self._parts:
            self._parts.append(self.SEPARATOR)
            self._length += len(self.SEPARATOR)
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        self._blocks.append(Block(kind=kind, start=start, end=self._length))

    def extend(self, items: Iterable[tuple[BlockKind, str]]) -> None:
        for kind, text in items:
            self.add(kind, text)

    @property
    def text(self) -> str:
        return "".join(self._parts)

    @property
    def blocks(self) -> tuple[Block, ...]:
        return tuple(self._blocks)
