"""User settings from ``config.toml``, with defaults for everything.

A broken config file must never stop the reader from starting, nor break every fetch:
each key is checked on its own, a bad one falls back to its default, and what was wrong
is kept in ``Settings.problems`` (one short line each) for the CLI and the TUI to say
once at start. Strings from the file are cleaned of control characters like any other
outside text.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader import paths
from reader.models import clean_control

TIMEOUT_RANGE = (1.0, 600.0)
MEGABYTES_RANGE = (0.1, 1024.0)


@dataclass(frozen=True)
class Settings:
    theme: str = "textual-dark"
    timeout: float = 20.0
    max_megabytes: float = 15.0
    images: bool = True
    """Show articles' lead images; False: none is fetched or drawn (``I`` turns them on)."""
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> comma-separated keys, applied with ``App.set_keymap``."""
    problems: tuple[str, ...] = ()
    """What was wrong in the file, one line each; those keys kept their defaults."""


def _number(table: dict[str, Any], key: str, limits: tuple[float, float],
            problems: list[str]) -> float | None:
    if key not in table:
        return None
    value = table[key]
    low, high = limits
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{key} must be a number (using the default)")
        return None
    if not math.isfinite(value) or not low <= value <= high:
        problems.append(f"{key} = {value} is out of range {low:g}-{high:g} (using the default)")
        return None
    return float(value)


def load_config(path: Path | None = None) -> Settings:
    """The settings in ``path`` (default: the user's config file); never raises."""
    path = path or paths.config_file()
    problems: list[str] = []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        reason = clean_control(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return Settings(problems=(f"cannot read {path.name} ({reason}); using the defaults",))
    general = data.get("reader", {})
    keys = data.get("keys", {})
    if not isinstance(general, dict):
        problems.append("[reader] must be a table (using the defaults)")
        general = {}
    if not isinstance(keys, dict):
        problems.append("[keys] must be a table (no keys rebound)")
        keys = {}
    theme = general.get("theme", Settings.theme)
    if not isinstance(theme, str):
        problems.append("theme must be text (using the default)")
        theme = Settings.theme
    images = general.get("images", Settings.images)
    if not isinstance(images, bool):
        problems.append("images must be true or false (using the default)")
        images = Settings.images
    timeout = _number(general, "timeout", TIMEOUT_RANGE, problems)
    megabytes = _number(general, "max_megabytes", MEGABYTES_RANGE, problems)
    bindings: dict[str, str] = {}
    for binding, value in keys.items():
        if isinstance(value, str):
            bindings[clean_control(binding)] = clean_control(value)
        else:
            problems.append(f"keys.{clean_control(binding)} must be text like \"ctrl+q\"")
    return Settings(
        theme=clean_control(theme),
        timeout=Settings.timeout if timeout is None else timeout,
        max_megabytes=Settings.max_megabytes if megabytes is None else megabytes,
        images=images,
        keys=bindings,
        problems=tuple(problems),
    )
