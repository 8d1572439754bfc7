"""Which way this terminal draws pictures: Kitty graphics, Sixel, or coloured half-blocks.

textual-image draws all three, but finds out what a terminal can do by writing a query and
reading the answer from stdin, which only works before Textual starts reading keys. So
:func:`probe_terminal` runs once, from the command line, before the app starts (and only
when images are on and stdout is a terminal); everything after asks
:func:`chosen_renderer`, which says "halfblock" when no probe ran (tests, images turned on
later with ``I``), since half-blocks need nothing from the terminal.

textual-image's package ``__init__`` would also query the terminal when first imported;
:func:`_without_terminal_queries` makes that import see no terminal, so importing it late
(inside the running app) never races Textual for stdin. Pillow and textual-image are
imported only here, inside functions: start-up does not pay for them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from textual.widget import Widget

Renderer = Literal["kitty", "sixel", "halfblock"]
RENDERER_NAMES: dict[Renderer, str] = {
    "kitty": "Kitty graphics", "sixel": "Sixel", "halfblock": "half-blocks"}

_chosen: Renderer | None = None
_probed = False


def chosen_renderer() -> Renderer:
    return _chosen or "halfblock"


def set_renderer(renderer: Renderer | None) -> None:
    """Force a renderer (tests force "halfblock" for stable snapshots); None forgets it."""
    global _chosen
    _chosen = renderer


def kitty_by_environment(environ: Mapping[str, str]) -> bool:
    """Terminals that draw Kitty's unicode-placeholder images say who they are in the
    environment; asking them costs a round trip, and others never answer (a timeout)."""
    term = environ.get("TERM", "")
    return bool(environ.get("KITTY_WINDOW_ID")) or term in ("xterm-kitty", "xterm-ghostty")


def probe_terminal(environ: Mapping[str, str] | None = None) -> Renderer:
    """Ask the terminal (before Textual starts) and remember the answer.

    Kitty is known by its environment; Sixel by the terminal's device attributes (every
    VT-style terminal answers those at once: textual-image asks the same question);
    anything else gets half-blocks. The cell size in pixels is read too, so pictures keep
    their proportions. Only textual-image's terminal module is imported here: its
    renderers pull in Pillow and numpy (about 170 ms), which the image worker imports
    later, off the UI thread."""
    global _probed
    environ = os.environ if environ is None else environ
    renderer: Renderer = "halfblock"
    try:
        from textual_image._terminal import get_cell_size

        if kitty_by_environment(environ):
            renderer = "kitty"
        elif _answers_sixel():
            renderer = "sixel"
        get_cell_size()
        _probed = True
    except Exception:  # a terminal that answers oddly still gets half-blocks
        renderer = "halfblock"
    set_renderer(renderer)
    return renderer


def _answers_sixel(timeout: float = 0.1) -> bool:
    """Primary device attributes (``ESC [ c``): attribute 4 in the answer means Sixel."""
    from textual_image._terminal import TerminalError, capture_terminal_response

    stdout = sys.__stdout__
    if stdout is None or not stdout.isatty():
        return False
    start, end = "\x1b[?", "c"
    try:
        with capture_terminal_response(start, end, timeout) as response:
            stdout.write("\x1b[c")
            stdout.flush()
    except (TerminalError, TimeoutError, OSError):
        return False
    answer: str = response.sequence
    return "4" in answer[len(start):-len(end)].split(";")


def load_renderers() -> None:
    """Import textual-image's widgets (Pillow, numpy) in the caller's thread: the image
    worker calls this, so the first picture does not stall the UI thread."""
    with _without_terminal_queries():
        import textual_image.widget  # noqa: F401


def image_widget(renderer: Renderer, picture: Any, *, id: str | None = None) -> Widget:
    """A textual-image widget drawing ``picture`` (a PIL image) the chosen way."""
    with _without_terminal_queries():
        from textual_image.widget import HalfcellImage, SixelImage, TGPImage

    kind = {"kitty": TGPImage, "sixel": SixelImage, "halfblock": HalfcellImage}[renderer]
    widget: Widget = kind(picture, id=id)
    return widget


def cell_size() -> tuple[int, int]:
    """A character cell's width and height in pixels (probed, or textual-image's guess)."""
    with _without_terminal_queries():
        from textual_image._terminal import get_cell_size

        size = get_cell_size()
    return size.width, size.height


class _NotATerminal:
    """Stands in for ``sys.__stdout__`` while textual-image is imported inside the app."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def _without_terminal_queries() -> Iterator[None]:
    real = sys.__stdout__
    if _probed or real is None:
        yield  # the terminal was asked before Textual started: nothing more is asked
        return
    sys.__stdout__ = _NotATerminal(real)  # type: ignore[misc,assignment]
    try:
        yield
    finally:
        sys.__stdout__ = real  # type: ignore[misc]
