"""``E``: open the config file in the user's editor, then read it again.

The app is suspended while the editor runs (in tests and on terminals that cannot
suspend, the editor runs without the terminal). Nothing here changes what the reading
screen shows: zen mode, panels and the article stay as they were.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from typing import Any

from textual.app import App, SuspendNotSupported

from reader import paths
from reader.config import Settings, load_config
from reader.errors import ReaderError

CONFIG_TEMPLATE = """\
# reader settings. Keys are rebound by binding id, e.g.:
# [keys]
# "app.next_article" = "ctrl+n"

[reader]
# theme = "nord"
# timeout = 20
# max_megabytes = 15
# images = false    # no lead images (none is fetched)
# pipe = "glow -"          # | sends the article's Markdown here (unset: asks)
# mail = "mutt -s {title} me@example.com <<< {url}"   # m (unset: copies the link)

# [[view]]                 # a query feed on the home screen
# name = "Climate"
# query = "tag:climate unread"

[keys]
"""


def edit_config(app: App[Any]) -> Settings | None:
    """The settings after editing, or None (and a notification) if that failed."""
    path = paths.config_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(CONFIG_TEMPLATE, encoding="utf-8")
    except OSError as exc:
        app.notify(f"cannot create {path}: {exc.strerror}", severity="error", markup=False)
        return None
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    command = [*shlex.split(editor), str(path)]
    try:
        with app.suspend():
            subprocess.run(command, check=False)
    except SuspendNotSupported:
        subprocess.run(command, check=False, capture_output=True)
    except OSError as exc:
        app.notify(f"cannot run {editor}: {exc.strerror}", severity="error", markup=False)
        return None
    try:
        return load_config(path)
    except ReaderError as exc:
        app.notify(str(exc), severity="error", markup=False)
        return None
