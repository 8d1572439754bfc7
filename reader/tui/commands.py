"""Every action of the current screen by name in the command palette (ctrl+p).

The list is built from the screen's live bindings (with the ``[keys]`` table applied), so
a new key shows up in the palette without a second table to keep in step, and the key
shown is the one currently bound.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.app import App, SystemCommand
from textual.screen import Screen

PALETTE_SKIP = {"app.cancel", "app.next_pane", "app.previous_pane"}


def palette_commands(app: App[Any], screen: Screen[Any]) -> Iterator[SystemCommand]:
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.id in PALETTE_SKIP or binding.action in seen or not binding.description:
            continue
        seen.add(binding.action)
        node, action = active.node, binding.action

        async def run(node: Any = node, action: str = action) -> None:
            await app.run_action(action, node)

        yield SystemCommand(binding.description, f"key: {binding.key_display or key}", run)
