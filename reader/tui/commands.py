"""Every reader action by name in the command palette (ctrl+p).

The list is built from the app's own bindings, so a new key shows up in the palette
without a second table to keep in step; the key shown is the one currently bound.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding

PALETTE_SKIP = {"app.cancel", "app.next_pane", "app.previous_pane"}


def palette_commands(app: App[Any], bindings: list[Binding]) -> Iterator[SystemCommand]:
    seen: set[str] = set()
    for binding in bindings:
        if binding.id in PALETTE_SKIP or binding.action in seen or not binding.description:
            continue
        seen.add(binding.action)
        run: Callable[[], object] = partial(app.run_action, binding.action)
        key = binding.key_display or binding.key
        yield SystemCommand(binding.description, f"key: {key}", run)
