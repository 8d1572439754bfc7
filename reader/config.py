"""User settings from ``config.toml``, with defaults for everything.

A broken config file must never stop the reader from starting, nor break every fetch:
each key is checked on its own, a bad one falls back to its default, and what was wrong
is kept in ``Settings.problems`` (one short line each) for the CLI and the TUI to say
once at start. Strings from the file are cleaned of control characters like any other
outside text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from reader import paths
from reader.models import clean_control

if TYPE_CHECKING:
    from reader.feeds.filters import FilterRule
    from reader.headline_query import View

TIMEOUT_RANGE = (1.0, 600.0)
MEGABYTES_RANGE = (0.1, 1024.0)
REFRESH_MINUTES_RANGE = (0.0, 1440.0)
PREFETCH_RANGE = (0.0, 200.0)


class Settings(NamedTuple):
    """What config.toml says. (A named tuple: every start makes this class, and a
    frozen dataclass of this many fields costs ~2 ms to create, its methods compiled from
    source.)"""

    theme: str = "textual-dark"
    timeout: float = 20.0
    max_megabytes: float = 15.0
    refresh_minutes: int = 0
    """Refresh the feeds in the background this often while the app runs (0: never)."""
    prefetch: int = 0
    """After a refresh, prepare this many newest unread items of each feed for offline."""
    filters: tuple[FilterRule, ...] = ()
    """``[[filter]]`` rules: hide or mark read the new items they match."""
    images: bool = True
    """Show articles' lead images; False: none is fetched or drawn (``I`` turns them on)."""
    keys: Mapping[str, str] = MappingProxyType({})
    """Binding id -> comma-separated keys, applied with ``App.set_keymap``."""
    pipe: str | None = None
    """Shell command ``|`` pipes the article's Markdown to; None: ask each time."""
    mail: str | None = None
    """Shell command ``m`` hands a link to (``{url}`` and ``{title}`` are replaced, quoted);
    None: ``m`` copies the link to the clipboard."""
    views: tuple[View, ...] = ()
    """Query feeds (``[[view]]`` tables), listed above the feeds on the home screen."""
    problems: tuple[str, ...] = ()
    """What was wrong in the file, one line each; those keys kept their defaults."""


DEFAULTS = Settings()
"""What a key missing from config.toml (or wrong in it) is."""


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


def _whole(table: dict[str, Any], key: str, limits: tuple[float, float],
           problems: list[str]) -> int | None:
    """A whole number within ``limits``, like :func:`_number`."""
    if key in table and isinstance(table[key], float) and not table[key].is_integer():
        problems.append(f"{key} must be a whole number (using the default)")
        return None
    value = _number(table, key, limits, problems)
    return None if value is None else int(value)


def _command(table: dict[str, Any], key: str, problems: list[str]) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{key} must be a shell command as text (ignored)")
        return None
    return clean_control(value.strip())


def _views(data: dict[str, Any], problems: list[str]) -> tuple[View, ...]:
    """The ``[[view]]`` tables that name a readable query; each bad one is a problem."""
    if "view" not in data:
        return ()
    tables = data["view"]
    # Imported only when there are views: most configurations have none, and every
    # reader start reads the configuration.
    from reader.headline_query import QueryError, View, parse_query

    if not isinstance(tables, list):
        problems.append("view must be [[view]] tables with name and query (ignored)")
        return ()
    views: list[View] = []
    for number, table in enumerate(tables, start=1):
        name = table.get("name") if isinstance(table, dict) else None
        query = table.get("query") if isinstance(table, dict) else None
        if not isinstance(name, str) or not name.strip() or not isinstance(query, str):
            problems.append(f"view {number} needs name and query as text (ignored)")
            continue
        try:
            parsed = parse_query(query)
        except QueryError as exc:
            problems.append(f"view {clean_control(name.strip())!r}: {exc} (ignored)")
            continue
        if parsed.empty:
            problems.append(f"view {clean_control(name.strip())!r} has an empty query "
                            "(ignored)")
            continue
        views.append(View(clean_control(name.strip()), clean_control(query)))
    return tuple(views)


def _unreadable(path: Path, exc: Exception) -> Settings:
    reason = clean_control(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    return Settings(problems=(f"cannot read {path.name} ({reason}); using the defaults",))


def load_config(path: Path | None = None) -> Settings:
    """The settings in ``path`` (default: the user's config file); never raises."""
    path = path or paths.config_file()
    problems: list[str] = []
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        return _unreadable(path, exc)
    # Imported only when there is a file to parse: every reader start reads the
    # configuration, and most have none.
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return _unreadable(path, exc)
    general = data.get("reader", {})
    keys = data.get("keys", {})
    if not isinstance(general, dict):
        problems.append("[reader] must be a table (using the defaults)")
        general = {}
    if not isinstance(keys, dict):
        problems.append("[keys] must be a table (no keys rebound)")
        keys = {}
    theme = general.get("theme", DEFAULTS.theme)
    if not isinstance(theme, str):
        problems.append("theme must be text (using the default)")
        theme = DEFAULTS.theme
    images = general.get("images", DEFAULTS.images)
    if not isinstance(images, bool):
        problems.append("images must be true or false (using the default)")
        images = DEFAULTS.images
    timeout = _number(general, "timeout", TIMEOUT_RANGE, problems)
    megabytes = _number(general, "max_megabytes", MEGABYTES_RANGE, problems)
    refresh = _whole(general, "refresh_minutes", REFRESH_MINUTES_RANGE, problems)
    prefetch = _whole(general, "prefetch", PREFETCH_RANGE, problems)
    filters: tuple[FilterRule, ...] = ()
    if "filter" in data:
        from reader.feeds.filters import parse_rules

        filters = parse_rules(data["filter"], problems)
    pipe = _command(general, "pipe", problems)
    mail = _command(general, "mail", problems)
    views = _views(data, problems)
    bindings: dict[str, str] = {}
    for binding, value in keys.items():
        if isinstance(value, str):
            bindings[clean_control(binding)] = clean_control(value)
        else:
            problems.append(f"keys.{clean_control(binding)} must be text like \"ctrl+q\"")
    return Settings(
        theme=clean_control(theme),
        timeout=DEFAULTS.timeout if timeout is None else timeout,
        max_megabytes=DEFAULTS.max_megabytes if megabytes is None else megabytes,
        refresh_minutes=DEFAULTS.refresh_minutes if refresh is None else refresh,
        prefetch=DEFAULTS.prefetch if prefetch is None else prefetch,
        filters=filters,
        images=images,
        keys=bindings,
        pipe=pipe,
        mail=mail,
        views=views,
        problems=tuple(problems),
    )
