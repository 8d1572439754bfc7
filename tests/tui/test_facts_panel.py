"""The Key facts panel as drawn in the real app: dates as readers write them, figures
with what they count, negation kept, no dangling "He" among the key points."""

from __future__ import annotations

import re
from pathlib import Path

from reader.config import Settings
from reader.sources import Source
from reader.tui.app import make_app
from reader.tui.widgets.panels import FactsPanel
from tests.tui.helpers import wait_analysed

ARTICLE = """Court hears port fraud case
By Test Desk
Published: 2019-11-13

Harbour master Daniel Okoro pleaded not guilty on Monday to taking bribes from agents.

He also denied approving a $2 million contract for 14 tugboats last week without a tender.

Prosecutors said the contract cost the port authority 40% more than the previous one.

The trial is expected to last six weeks, and a verdict may come in January.
"""


def plain(panel: FactsPanel) -> list[str]:
    listing = panel.option_list
    out = []
    for index in range(listing.option_count):
        prompt = listing.get_option_at_index(index).prompt
        out.append(prompt.plain if hasattr(prompt, "plain") else str(prompt))
    return out


async def test_facts_panel_draws_dates_figures_and_negation(tmp_path: Path) -> None:
    path = tmp_path / "court.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    app = make_app([Source("file", str(path))], settings=Settings(theme="textual-dark"))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_analysed(pilot)
        drawn = plain(app.screen.query_one(FactsPanel))
    assert "Timeline" in drawn and "Numbers" in drawn
    timeline = drawn[drawn.index("Timeline") + 1:]
    assert any(line.startswith("Mon 11 Nov 2019") and "pleaded not guilty" in line
               for line in timeline), timeline
    assert any(line.startswith("Jan 2020") and "may come" in line for line in timeline), \
        timeline  # "may come in January", told in November, is the January ahead
    assert any(line.startswith("week of 4 Nov 2019") for line in timeline), timeline
    for line in drawn:
        assert not re.search(r"\b\d{4}-W\d{2}\b|\b\d{4}-\d{2}-\d{2}\b", line), line
    numbers = drawn[drawn.index("Numbers") + 1:drawn.index("Timeline")]
    assert any(line.startswith("$2 million — ") for line in numbers), numbers
    assert any(line.startswith("14 — ") and "tugboats" in line for line in numbers), numbers
    assert len([line for line in numbers if " — " in line]) <= 8
    key_points = drawn[:drawn.index("Numbers")]
    assert not any(line.startswith("He ") for line in key_points), key_points
