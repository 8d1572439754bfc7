"""Small things the reader remembers between runs (the theme chosen with ``t``).

Kept apart from ``config.toml`` so the reader never rewrites a file the user edits by
hand. A missing or unreadable state file just means defaults.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from reader import paths


def state_file() -> os.PathLike[str]:
    return paths.data_dir() / "state.json"


def load_state() -> dict[str, Any]:
    try:
        with open(state_file(), encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, ValueError):
        return {}
    # Imported once there is a state file: the first start of the reader has none.
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def save_state(**changes: Any) -> None:
    """Merge ``changes`` into the state file, replacing it atomically."""
    data = load_state()
    data.update(changes)
    folder = paths.data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".state-", suffix=".json")
        import json

        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(tmp, state_file())
    except OSError:
        pass  # remembering a theme is a convenience; never fail the app over it
