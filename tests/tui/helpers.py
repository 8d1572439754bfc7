"""Helpers for driving the real app with Pilot and reading what it draws."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.errors import NoWidget
from textual.pilot import Pilot
from textual.widget import Widget

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
    await wait_until(pilot, lambda: app.reader.analysis_state.startswith("analysed")
                     or app.reader.analysis_state == "unavailable")
    await pilot.pause()


def drawn_lines(app: App[Any]) -> list[str]:
    """The text of every line of the top screen, as the compositor draws it now."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def drawn(app: App[Any]) -> str:
    return "\n".join(drawn_lines(app))


async def wait_drawn(pilot: Pilot[int], *texts: str, timeout: float = 60.0) -> str:
    """Wait for one frame that shows every one of ``texts`` and return that frame.

    Two separate reads can straddle a relayout (a modal screen's first frames), so the
    assertions must look at the same frame the wait saw.
    """
    frame = ""

    def ready() -> bool:
        nonlocal frame
        frame = drawn(pilot.app)
        return all(text in frame for text in texts)

    await wait_until(pilot, ready, timeout)
    return frame


def shows(widget: Widget) -> bool:
    """True if ``widget`` is on screen and not covered: the widget drawn at its region's
    centre is the widget itself or one of its children."""
    region = widget.region
    if not widget.display or region.width <= 0 or region.height <= 0:
        return False
    x, y = region.x + region.width // 2, region.y + region.height // 2
    try:
        top, _ = widget.screen.get_widget_at(x, y)
    except NoWidget:
        return False
    return top is widget or widget in top.ancestors
