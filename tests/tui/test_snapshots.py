"""Snapshots of the main screen in its three layouts; update only after looking at them."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from reader.config import Settings
from reader.sources import demo_sources
from reader.tui.app import make_app
from tests.tui.helpers import wait_analysed


async def _ready(pilot: Pilot[Any]) -> None:
    await wait_analysed(pilot)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)],
                         ids=["80x24", "120x40", "200x60"])
def test_main_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    app = make_app(demo_sources()[:1], settings=Settings(theme="textual-dark"))
    assert snap_compare(app, terminal_size=size, run_before=_ready)
