"""The key footer, rebuilt only when what it shows changes.

Textual's ``Footer`` rebuilds all its keys on every bindings signal. A screen sends three
as it starts (the first focus, the screen's resume, the focus settling), so the footer was
built three times after the first frame, about 20 ms each, while the article's title
waited. This one queues one rebuild at a time and skips it when the keys it would draw are
the ones on screen already.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._drawn: Hashable = None
        """What the keys now in the footer were built from (``None``: nothing yet)."""
        self._queued = False

    def _keys(self) -> Hashable:
        """Everything ``Footer.compose`` reads, as one comparable value."""
        app = self.app
        return (self.show_command_palette, self.compact, app.ENABLE_COMMAND_PALETTE, tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action,
             binding.group, binding.show, binding.tooltip, enabled, tooltip)
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()))

    def compose(self) -> ComposeResult:
        self._drawn = self._keys() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._queued:
            self._queued = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._queued = False
        if self.is_attached and self._keys() != self._drawn:
            await self.recompose()
