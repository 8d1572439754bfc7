"""Helpers for driving the real app with Pilot."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.pilot import Pilot

from reader.tui.app import ReaderApp


async def wait_until(pilot: Pilot[int], condition: Callable[[], bool],
                     timeout: float = 60.0) -> None:
    """Let the app work (fetch, extract, analyse) until ``condition`` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.05)


async def wait_analysed(pilot: Pilot[int]) -> None:
    app = pilot.app
    assert isinstance(app, ReaderApp)
    # "analysed", or "analysed the first 50,000 words" for a text past the analysis cap
    await wait_until(pilot, lambda: app.analysis_state.startswith("analysed")
                     or app.analysis_state == "unavailable")
    await pilot.pause()
