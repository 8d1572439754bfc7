"""The article's lead image above its text, with the caption and credit under it.

The picture is drawn by a textual-image widget (Kitty graphics, Sixel or half-blocks, as
:mod:`reader.tui.graphics` chose) sized here in whole cells: as wide as the article's text
column, never taller than a third of the screen, proportions kept with the terminal's
cell size. The widget holds an already decoded, already shrunk PIL image; decoding
happens in a thread worker of the reading screen, never here. The caption is page text
and is shown as ``Text``, never parsed as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.containers import Vertical
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Static

from reader.tui import graphics

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

MAX_SCREEN_SHARE = 3
"""The picture takes at most 1/3 of the screen's height."""
MAX_COLUMNS = 240
"""Kitty's placeholders number at most 297 cells a side; wider pictures are refused."""


def fit_cells(pixels: tuple[int, int], cell: tuple[int, int], columns: int,
              rows: int) -> tuple[int, int]:
    """The largest (columns, rows) box with the picture's proportions inside the limits."""
    width, height = pixels
    cell_width, cell_height = cell
    if width <= 0 or height <= 0 or columns <= 0 or rows <= 0:
        return 0, 0
    # How many rows the picture needs at the full width, in the terminal's cell shape.
    wanted_rows = columns * cell_width * height / (width * cell_height)
    if wanted_rows <= rows:
        return columns, max(1, round(wanted_rows))
    fitted_columns = rows * cell_height * width / (height * cell_width)
    return max(1, min(columns, round(fitted_columns))), rows


class LeadImage(Vertical):
    """Empty (and not displayed) until :meth:`show_picture`; :meth:`clear` empties it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.picture: PILImage | None = None
        self.measure: int | None = None
        """At most this many columns wide (zen mode's centred text column)."""
        self._picture_widget: Widget | None = None
        self.display = False

    async def show_picture(self, picture: PILImage, caption: str | None) -> None:
        await self.clear()
        self.picture = picture
        widget = graphics.image_widget(graphics.chosen_renderer(), picture,
                                       id="lead-picture")
        self._picture_widget = widget
        # The caption line is made with the first picture: an article without one (most
        # of them, and every first frame) has one widget fewer to style and draw.
        caption_widget = self._caption()
        if caption_widget is None:
            caption_widget = Static(Text(caption or ""), id="lead-caption", markup=False)
            await self.mount(caption_widget)
        else:
            caption_widget.update(Text(caption or ""))
        caption_widget.display = bool(caption)
        await self.mount(widget, before=caption_widget)
        self.display = True
        self._fit()

    def _caption(self) -> Static | None:
        """The caption line, once the first picture has made it."""
        return next(self.query("#lead-caption").results(Static), None)

    @property
    def empty(self) -> bool:
        """Nothing to clear: no picture shown, or hidden by a layout that has no room."""
        return self.picture is None and self._picture_widget is None

    async def clear(self) -> None:
        self.picture = None
        self.display = False
        if self._picture_widget is not None:
            widget, self._picture_widget = self._picture_widget, None
            await widget.remove()

    def on_resize(self, event: Resize) -> None:
        self._fit()

    def set_measure(self, measure: int | None) -> None:
        self.measure = measure
        self._fit()

    def _fit(self) -> None:
        """Size the picture to the column, at most a third of the screen high."""
        widget, picture = self._picture_widget, self.picture
        if widget is None or picture is None or not self.is_mounted:
            return
        columns = self.content_region.width or self.parent_width()
        if self.measure:
            columns = min(columns, self.measure)
        columns = min(columns, MAX_COLUMNS)
        screen_rows = self.app.size.height
        caption = self._caption()
        caption_rows = 1 if caption is not None and caption.display else 0
        rows = max(1, screen_rows // MAX_SCREEN_SHARE - caption_rows)
        width, height = fit_cells(picture.size, graphics.cell_size(), columns, rows)
        widget.styles.width = width
        widget.styles.height = height

    def parent_width(self) -> int:
        parent: Any = self.parent
        return int(parent.content_region.width) if parent is not None else 0
