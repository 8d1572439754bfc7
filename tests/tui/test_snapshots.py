"""Snapshot of the main screen; update only after looking at the report."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from reader.config import Settings
from reader.sources import demo_sources
from reader.tui.app import make_app
from tests.tui.helpers import wait_analysed


async def _ready(pilot: Pilot[Any]) -> None:
    await wait_analysed(pilot)
    await pilot.pause()


def test_main_screen_120x40(snap_compare: Any) -> None:
    app = make_app(demo_sources()[:1], settings=Settings(theme="textual-dark"))
    assert snap_compare(app, terminal_size=(120, 40), run_before=_ready)
