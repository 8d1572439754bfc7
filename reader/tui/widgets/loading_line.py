"""A still "loading…" line shown over a widget whose ``loading`` is set.

Textual's default ``LoadingIndicator`` animates about 16 times a second; measured during
start-up (issue 13) that animation took about a quarter of the UI's CPU while the first
article was laid out and the language model loaded on the same two cores. The status
line already says what is loading, so a still line is enough here.
"""

from __future__ import annotations

from textual.widgets import Static


class LoadingLine(Static):
    """One still line covering the loading widget."""

    DEFAULT_CSS = """
    LoadingLine {
        width: 100%;
        height: 100%;
        padding: 1 2;
        background: $background;
        color: $text-muted;
    }
    """

    def __init__(self) -> None:
        super().__init__("loading…", markup=False)
