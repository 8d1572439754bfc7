"""App-wide messages: what screens and widgets tell each other without knowing each other.

Widget-specific messages live in their widget class; these travel between screens (open
these articles) or between the panels and the article (show these spans).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from reader.sources import Source

Span = tuple[int, int]


@dataclass
class JumpTo(Message):
    """Show these spans of the article: highlight all, scroll to the first."""

    spans: tuple[Span, ...]
    label: str = ""
    current: int = 0


@dataclass
class OpenSources(Message):
    """Read these sources in the reading screen, starting with ``index``.

    Posted by the home screen (feed items) and the library (saved articles); the app
    decides where the reading screen goes in the screen stack.
    """

    sources: list[Source]
    index: int = 0


@dataclass
class OpenCoverage(Message):
    """Compare how several outlets covered one story (the coverage screen).

    ``sources`` are source strings as ``reader compare`` takes them (``item:N``,
    ``saved:N``, a URL or a file); ``title`` names the story while they load.
    """

    sources: list[str]
    title: str = ""


@dataclass
class Notice(Message):
    """A worker's report for the reader, shown by the app as a plain-text notification."""

    text: str
    title: str = ""
    severity: str = "information"
    timeout: float = 4
