"""User settings from ``config.toml``, with defaults for everything.

A broken config file must never stop the reader from starting: it is reported as a
ReaderError by ``load_config`` and the caller decides whether to fall back to defaults.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from reader import paths
from reader.errors import ReaderError


@dataclass(frozen=True)
class Settings:
    theme: str = "textual-dark"
    timeout: float = 20.0
    max_megabytes: float = 15.0
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> comma-separated keys, applied with ``App.set_keymap``."""


def load_config(path: Path | None = None) -> Settings:
    path = path or paths.config_file()
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReaderError(f"cannot read the config file {path}: {exc}") from None
    general = data.get("reader", {})
    keys = data.get("keys", {})
    if not isinstance(general, dict) or not isinstance(keys, dict):
        raise ReaderError(f"config file {path}: [reader] and [keys] must be tables")
    try:
        return Settings(
            theme=str(general.get("theme", Settings.theme)),
            timeout=float(general.get("timeout", Settings.timeout)),
            max_megabytes=float(general.get("max_megabytes", Settings.max_megabytes)),
            keys={str(k): str(v) for k, v in keys.items()},
        )
    except (TypeError, ValueError) as exc:
        raise ReaderError(f"config file {path}: {exc}") from None
