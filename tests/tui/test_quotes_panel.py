"""The quotes panel says how sure each attribution is (Pilot, reading what is drawn)."""

from __future__ import annotations

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static

from reader.config import Settings
from reader.models import Annotated, Article, Quote
from reader.sources import demo_sources
from reader.tui.app import make_app
from reader.tui.widgets.panels import QuotesPanel
from tests.tui.helpers import wait_analysed

TEXT = ("“We will rebuild the bridge,” said Ana Ruiz. “It may rain,” he said. "
        "“Nobody knew.” A spokesman added: “The road stays shut.”")


def _quote(words: str, speaker: str | None, kind: str, confidence: float) -> Quote:
    start = TEXT.index(words)
    return Quote(words, start, start + len(words), speaker, None, "said" if speaker else None,
                 "direct", kind, confidence)  # type: ignore[arg-type]


QUOTES = (
    _quote("We will rebuild the bridge", "Ana Ruiz", "named", 0.92),
    _quote("It may rain", "Tomas Ek", "named", 0.4),
    _quote("Nobody knew.", None, "unknown", 0.0),
    _quote("The road stays shut.", "a spokesman", "unnamed", 0.85),
)


def drawn(widget: Widget) -> list[str]:
    """The lines a widget puts on screen."""
    size = widget.size
    lines = [strip.text.strip() for strip in
             widget.render_lines(Region(0, 0, size.width, size.height))]
    return [line for line in lines if line]


async def test_unsure_speakers_get_a_question_mark_and_are_not_counted() -> None:
    app = make_app(demo_sources(), settings=Settings(theme="textual-dark"))
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_analysed(pilot)
        panel = app.screen.query_one(QuotesPanel)
        panel.show(Annotated(article=Article(text=TEXT), entities=(), quotes=QUOTES, facts=()))
        await pilot.pause()
        summary = " ".join(drawn(panel.query_one(".panel-summary", Static)))
        assert summary.startswith("4 quotes: 1 named, 1 unnamed")
        assert "1 unsure" in summary and "1 unattributed" in summary
        assert summary.endswith("2 speakers")  # Tomas Ek, a guess, is not counted
        lines = drawn(panel.option_list)
        assert "Ana Ruiz said" in lines
        assert "Tomas Ek? said" in lines
        assert "unknown speaker" in lines
        assert "a spokesman (unnamed) said" in lines
        assert not any(line.startswith(("Ana Ruiz?", "a spokesman?")) for line in lines)
