"""What the coverage screen draws: one card per outlet, the tab strip that names them
when not all fit, and the list of what differs.

All of it is built as ``rich.text.Text`` from page strings (headlines, names, quotes),
never parsed as markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from reader.stories.compare import Coverage, Outlet


def _sources(outlet: Outlet) -> str:
    line = f"{outlet.named_sources} named · {outlet.unnamed_sources} unnamed sources"
    if outlet.unattributed_quotes:
        line += f" · {outlet.unattributed_quotes} unattributed"
    return line


def card_text(outlet: Outlet) -> Text:
    """An outlet's column: name, headline, length, sources, who it quotes, figures."""
    text = Text()
    text.append(f"{outlet.index + 1}  {outlet.name}\n", style="bold")
    text.append(f"{outlet.title or 'untitled'}\n\n", style="italic")
    text.append(f"{outlet.words:,} words · {outlet.minutes} min\n")
    text.append(_sources(outlet) + "\n\n")
    text.append("Quotes\n", style="bold underline")
    if not outlet.speakers:
        text.append("nobody quoted\n", style="dim")
    for speaker in outlet.speakers:
        text.append(f"{speaker.name}")
        text.append(f" ×{speaker.quotes}" if speaker.quotes > 1 else "", style="dim")
        text.append(" (unnamed)\n" if speaker.kind == "unnamed" else "\n",
                    style="dim")
    text.append("\nFigures\n", style="bold underline")
    if not outlet.figures:
        text.append("no figures\n", style="dim")
    for figure in outlet.figures:
        text.append(figure.value, style="bold")
        text.append(f" — {figure.subject}\n" if figure.subject else "\n")
    text.rstrip()
    return text


def differences_text(coverage: Coverage) -> Text:
    """Figures that disagree, people and organisations only some mention, lone quotes."""
    names = [o.name for o in coverage.outlets]
    text = Text()
    text.append("Figures that disagree\n", style="bold underline")
    for d in coverage.disagreements:
        text.append(f"{d.subject}: ")
        for n, claim in enumerate(d.claims):
            if n:
                text.append(" · ", style="dim")
            text.append(f"{names[claim.outlet]} ")
            text.append(claim.value, style="bold")
        text.append("\n")
    if not coverage.disagreements:
        text.append("none found\n", style="dim")
    text.append("\nOnly some outlets mention\n", style="bold underline")
    for entity in coverage.only_some:
        text.append(entity.name, style="bold")
        label = "person" if entity.label == "PERSON" else "organisation"
        text.append(f" ({label}): " + ", ".join(names[i] for i in entity.outlets) + "\n")
    if not coverage.only_some:
        text.append("every outlet names the same people and organisations\n", style="dim")
    text.append("\nQuotes only one outlet carries\n", style="bold underline")
    for quote in coverage.unique_quotes:
        text.append(f"{names[quote.outlet]}, {quote.speaker or 'unattributed'}: ",
                    style="bold")
        text.append(f"“{quote.text}”\n")
    if not coverage.unique_quotes:
        text.append("none\n", style="dim")
    text.rstrip()
    return text


def tabs_text(coverage: Coverage, selected: int, shown: range) -> Text:
    """The outlets by number and name; the selected one reversed, those in view bold."""
    text = Text()
    for outlet in coverage.outlets:
        style = "reverse bold" if outlet.index == selected else \
            "bold" if outlet.index in shown else "dim"
        text.append(f" {outlet.index + 1} {outlet.name} ", style=style)
        text.append(" ")
    return text


class OutletCard(Static):
    """One outlet's column; a click selects it."""

    @dataclass
    class Chosen(Message):
        index: int

    def __init__(self, outlet: Outlet) -> None:
        super().__init__(card_text(outlet), markup=False, classes="outlet-card")
        self.outlet = outlet

    def on_click(self) -> None:
        self.post_message(self.Chosen(self.outlet.index))
