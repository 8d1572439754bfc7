"""Every file location the reader uses, in one place.

``READER_HOME`` puts everything (config, library, cache) under one folder, which is what
tests and people with several setups want; otherwise the platform's usual folders.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "reader"


def _home() -> Path | None:
    value = os.environ.get("READER_HOME")
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    home = _home()
    return home if home else Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    home = _home()
    return home if home else Path(platformdirs.user_data_dir(APP_NAME))


def cache_dir() -> Path:
    """Files the reader can always rebuild (the analysis's lookup tables)."""
    home = _home()
    return home / "cache" if home else Path(platformdirs.user_cache_dir(APP_NAME))


def config_file() -> Path:
    return config_dir() / "config.toml"


def library_file() -> Path:
    return data_dir() / "library.sqlite3"
