"""Which way this terminal draws pictures: Kitty graphics, Sixel, or coloured half-blocks.

textual-image draws all three, but finds out what a terminal can do by writing a query and
reading the answer from stdin, which only works before Textual starts reading keys. So
the command line asks once (:func:`ask_terminal`), before it imports Textual, and reads
the answers (:func:`probe_terminal`) just before the app starts (only when images are on
and stdout is a terminal); everything after asks
:func:`chosen_renderer`, which says "halfblock" when no probe ran (tests, images turned on
later with ``I``), since half-blocks need nothing from the terminal.

textual-image's package ``__init__`` would also query the terminal when first imported;
:func:`_textual_image` makes that import see no terminal, so importing it late
(inside the running app) never races Textual for stdin. Pillow and textual-image are
imported only here, inside functions: start-up does not pay for them.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from textual.widget import Widget

Renderer = Literal["kitty", "sixel", "halfblock"]
RENDERER_NAMES: dict[Renderer, str] = {
    "kitty": "Kitty graphics", "sixel": "Sixel", "halfblock": "half-blocks"}

_chosen: Renderer | None = None
_cell: tuple[int, int] | None = None
"""The cell size in pixels the terminal told :func:`probe_terminal`, handed to
textual-image when it is first imported (after the first frame)."""


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


PROBE_TIMEOUT = 0.1
"""How long after asking an answer is still awaited (a terminal answers in milliseconds)."""
_DEVICE_ATTRIBUTES = re.compile(rb"\x1b\[\?([\d;]*)c")
_CELL_PIXELS = re.compile(rb"\x1b\[6;(\d+);(\d+)t")


class Questions:
    """What :func:`ask_terminal` asked, and how to put the terminal back. (A plain class:
    a dataclass costs ~0.5 ms to create, and this one is made on every start.)"""

    __slots__ = ("cell", "deadline", "fd", "kitty", "mode")

    def __init__(self, kitty: bool) -> None:
        self.kitty = kitty
        self.fd: int | None = None
        """The terminal's input, put in cbreak mode (no echo) until the answers are read."""
        self.mode: list[Any] | None = None
        self.deadline = 0.0
        self.cell: tuple[int, int] | None = None
        """The cell size in pixels, when the window size already says it."""


def ask_terminal(environ: Mapping[str, str] | None = None) -> Questions:
    """Ask the terminal now what it draws; :func:`probe_terminal` reads the answers.

    Called before Textual is imported: the answers arrive while Python imports it, so
    start-up never waits a round trip (nor the timeout, for a terminal that does not
    answer). Kitty is known by its environment; Sixel by the primary device attributes
    (``ESC [ c``, which every VT-style terminal answers, last, so its answer also says
    that no other answer is coming); the cell size in pixels by the window size, or by
    asking (``ESC [ 16 t``)."""
    environ = os.environ if environ is None else environ
    questions = Questions(kitty=kitty_by_environment(environ))
    stdout = sys.__stdout__
    if stdout is None or not stdout.isatty() or not os.isatty(0):
        return questions
    import fcntl
    import struct
    import termios
    import tty

    try:
        rows, columns, width, height = struct.unpack(
            "HHHH", fcntl.ioctl(stdout.fileno(), termios.TIOCGWINSZ, bytes(8)))
        if rows and columns and width and height:
            questions.cell = (width // columns, height // rows)
        questions.mode = termios.tcgetattr(0)
        tty.setcbreak(0, termios.TCSANOW)
        questions.fd = 0
        stdout.write(("" if questions.cell else "\x1b[16t") + "\x1b[c")
        stdout.flush()
    except (OSError, termios.error):
        _restore(questions)
        return questions
    questions.deadline = time.monotonic() + PROBE_TIMEOUT
    return questions


def probe_terminal(environ: Mapping[str, str] | None = None,
                   questions: Questions | None = None) -> Renderer:
    """Read the answers to :func:`ask_terminal`'s questions (asking now if they were not
    asked yet), put the terminal back and remember the renderer (Kitty, Sixel, or
    half-blocks for anything else) and the cell size. textual-image itself is not
    imported here: its terminal module (~2 ms) waits for the first picture, and its
    renderers pull in Pillow and numpy (about 170 ms), which the image worker imports
    later, off the UI thread."""
    global _cell
    if questions is None:
        questions = ask_terminal(environ)
    answers = b""
    try:
        answers = _answers(questions)
    finally:
        _restore(questions)
    renderer: Renderer = "halfblock"
    attributes = _DEVICE_ATTRIBUTES.search(answers)
    if questions.kitty:
        renderer = "kitty"
    elif attributes is not None and b"4" in attributes.group(1).split(b";"):
        renderer = "sixel"
    cell = questions.cell
    pixels = _CELL_PIXELS.search(answers)
    if cell is None and pixels is not None:
        cell = (int(pixels.group(2)), int(pixels.group(1)))
    if cell is not None and cell[0] > 0 and cell[1] > 0:
        _cell = cell
    set_renderer(renderer)
    return renderer


def _answers(questions: Questions) -> bytes:
    """What the terminal sent until the device attributes (the last answer) or the
    deadline, read a byte at a time so that no key typed after them is taken."""
    from select import select

    fd, got = questions.fd, b""
    if fd is None:
        return got
    while _DEVICE_ATTRIBUTES.search(got) is None:
        wait = questions.deadline - time.monotonic()
        if not select([fd], [], [], max(wait, 0.0))[0]:
            break
        byte = os.read(fd, 1)
        if not byte:
            break
        got += byte
    return got


def _restore(questions: Questions) -> None:
    if questions.mode is not None:
        import termios

        termios.tcsetattr(0, termios.TCSANOW, questions.mode)
        questions.mode = questions.fd = None


def load_renderers() -> None:
    """Import textual-image's widgets (Pillow, numpy) in the caller's thread: the image
    worker calls this, so the first picture does not stall the UI thread."""
    with _textual_image():
        import textual_image.widget  # noqa: F401


def image_widget(renderer: Renderer, picture: Any, *, id: str | None = None) -> Widget:
    """A textual-image widget drawing ``picture`` (a PIL image) the chosen way."""
    with _textual_image():
        from textual_image.widget import HalfcellImage, SixelImage, TGPImage

    kind = {"kitty": TGPImage, "sixel": SixelImage, "halfblock": HalfcellImage}[renderer]
    widget: Widget = kind(picture, id=id)
    return widget


def cell_size() -> tuple[int, int]:
    """A character cell's width and height in pixels (probed, or textual-image's guess)."""
    with _textual_image():
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
def _textual_image() -> Iterator[None]:
    """Import and use textual-image without it asking the terminal anything: Textual
    reads the keys by then, so an answer would be taken for typing. While textual-image
    is imported its ``sys.__stdout__`` says it is no terminal, and its cell size is the
    probed one (or, with no probe, its own guess made without asking)."""
    real = sys.__stdout__
    if real is None:
        yield
        return
    sys.__stdout__ = _NotATerminal(real)  # type: ignore[misc,assignment]
    try:
        from textual_image._terminal import CellSize, get_cell_size

        if _cell is not None and not hasattr(get_cell_size, "_result"):
            # textual-image keeps its answer on the function; its widgets read it there.
            setattr(get_cell_size, "_result", CellSize(*_cell))  # noqa: B010
        yield
    finally:
        sys.__stdout__ = real  # type: ignore[misc]
