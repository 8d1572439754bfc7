"""The reading screen's key footer: one widget drawing one line.

Textual's ``Footer`` is a scrolling container with a widget per key: on the reading
screen eleven widgets to style, lay out and draw for the first frame, and all rebuilt
(~20 ms) each time the keys change, three times as a screen starts. This footer draws the
same keys in the same colours (Textual's footer variables) as one line of text, redrawn
only when the keys it would show differ from those on screen. A key is clicked where it
is drawn; the command palette's key stands at the right end, as in Textual's footer.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class FooterEntry(NamedTuple):
    key: str
    """The key pressed when this entry is clicked."""
    display: str
    description: str
    enabled: bool
    tooltip: str


class KeyFooter(Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer-key--key",
        "footer-key--description",
        "footer-key--hover",
        "footer-key--separator",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--hover {
            background: $block-hover-background;
        }
        .footer-key--separator {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.entries: tuple[FooterEntry, ...] = ()
        """The keys on the left, in order."""
        self.palette: FooterEntry | None = None
        """The command palette's key, drawn at the right end."""
        self._cells: list[tuple[int, int, FooterEntry]] = []
        """Where each entry was drawn: start and end column."""
        self._hover: FooterEntry | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self._read_keys()

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            self._read_keys()

    def _read_keys(self) -> None:
        app = self.app
        entries: list[FooterEntry] = []
        seen_actions: set[str] = set()
        active = self.screen.active_bindings
        for _, binding, enabled, tooltip in active.values():
            # One entry per action, as Textual's footer shows it.
            if not binding.show or binding.action in seen_actions:
                continue
            seen_actions.add(binding.action)
            entries.append(FooterEntry(binding.key, app.get_key_display(binding),
                                       binding.description, enabled, tooltip))
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = FooterEntry(binding.key, app.get_key_display(binding),
                                  binding.description, enabled,
                                  tooltip or binding.tooltip or binding.description)
        if (tuple(entries), palette) != (self.entries, self.palette):
            self.entries, self.palette = tuple(entries), palette
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        hover = self.get_component_rich_style("footer-key--hover", partial=True)
        line = Text(no_wrap=True, end="")
        cells: list[tuple[int, int, FooterEntry]] = []

        def add(entry: FooterEntry, lead: Text | None = None) -> None:
            """Draw ``entry``; ``lead`` replaces the blank before its key."""
            start, first = line.cell_len, len(line)
            extra = hover if entry == self._hover else Style()
            if entry.description:
                line.append_text(lead or Text(" ", key_style + extra))
                line.append(f"{entry.display} ", key_style + extra)
                line.append(f"{entry.description} ", description_style + extra)
            else:
                line.append(entry.display, key_style + extra)
            if not entry.enabled:
                line.stylize(Style(dim=True), first, len(line))
            cells.append((start, line.cell_len, entry))

        for entry in self.entries:
            add(entry)
        palette = self.palette
        if palette is not None:
            # At the right end, after a thin rule that stands in for the key's left margin.
            room = self.size.width - Text(f" {palette.display} {palette.description} ").cell_len
            if room >= 0:
                line.truncate(room)
                line.pad_right(room - line.cell_len)
                cells = [(start, min(end, room), entry) for start, end, entry in cells
                         if start < room]
                add(palette, Text("▏", self.get_component_rich_style("footer-key--separator")))
        self._cells = cells
        return line

    def _entry_at(self, x: int) -> FooterEntry | None:
        return next((entry for start, end, entry in self._cells if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        entry = self._entry_at(event.x)
        if entry != self._hover:
            self._hover = entry
            self.tooltip = (entry.tooltip or None) if entry else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        entry = self._entry_at(event.x)
        if entry is None:
            return
        if entry.enabled:
            self.app.simulate_key(entry.key)
        else:
            self.app.bell()
