"""App-wide messages: what screens and widgets tell each other without knowing each other.

Widget-specific messages live in their widget class; these travel between screens (open
these articles) or between the panels and the article (show these spans).

Messages here and in the widgets are plain classes, not dataclasses: making a dataclass
costs about half a millisecond at import, and twenty of them are imported on the way to
the first frame.
"""

from __future__ import annotations

from textual.message import Message

from reader.sources import Source

Span = tuple[int, int]


class JumpTo(Message):
    """Show these spans of the article: highlight all, scroll to the first."""

    def __init__(self, spans: tuple[Span, ...], label: str = "", current: int = 0) -> None:
        super().__init__()
        self.spans = spans
        self.label = label
        self.current = current


class OpenSources(Message):
    """Read these sources in the reading screen, starting with ``index``.

    Posted by the home screen (feed items) and the library (saved articles); the app
    decides where the reading screen goes in the screen stack.
    """

    def __init__(self, sources: list[Source], index: int = 0) -> None:
        super().__init__()
        self.sources = sources
        self.index = index


class OpenCoverage(Message):
    """Compare how several outlets covered one story (the coverage screen).

    ``sources`` are source strings as ``reader compare`` takes them (``item:N``,
    ``saved:N``, a URL or a file); ``title`` names the story while they load.
    """

    def __init__(self, sources: list[str], title: str = "") -> None:
        super().__init__()
        self.sources = sources
        self.title = title


class Notice(Message):
    """A worker's report for the reader, shown by the app as a plain-text notification."""

    def __init__(
            self,
            text: str,
            title: str = "",
            severity: str = "information",
            timeout: float = 4,
    ) -> None:
        super().__init__()
        self.text = text
        self.title = title
        self.severity = severity
        self.timeout = timeout
