"""The reader application: theme, keymap, which screen shows, and the failure funnel.

The work lives in the screens: ``ReaderScreen`` (an article beside its panels),
``FeedsScreen`` (home, when started without a source) and ``LibraryScreen``. The app only
decides where they go in the stack, applies the theme and the ``[keys]`` table, shows
workers' notices and, through ``FailureFunnel``, turns any failed worker into one
notification.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from reader.analysis import pool
from reader.config import Settings, load_config
from reader.sources import EarlyLoad, Source
from reader.state import load_state, save_state
from reader.textutil import clean_inline
from reader.tui.commands import palette_commands
from reader.tui.config_editor import edit_config
from reader.tui.failures import FailureFunnel
from reader.tui.messages import Notice, OpenCoverage, OpenSources
from reader.tui.screens.reader import ReaderScreen
from reader.tui.widgets.loading_line import LoadingLine

if TYPE_CHECKING:
    import httpx

THEMES = ("textual-dark", "nord", "gruvbox", "tokyo-night", "dracula", "monokai",
          "textual-light", "solarized-light")


def styles_dir() -> Path:
    """The .tcss folder: inside the installed package, or beside it in a checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "styles", package.parent / "styles"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("reader styles folder not found")


class ReaderApp(FailureFunnel, App[int]):
    """Read articles beside their quotes, entities and key facts."""

    TITLE = "reader"
    CSS_PATH = [str(p) for p in sorted(styles_dir().glob("*.tcss"))]
    BINDINGS = [
        Binding("Q", "quit", "Quit now", show=False, id="app.quit"),
        Binding("question_mark", "help", "Keys", key_display="?", id="app.help"),
        Binding("t", "cycle_theme", "Theme", show=False, id="app.theme"),
        Binding("E", "edit_config", "Edit config", show=False, id="app.edit_config"),
    ]

    def __init__(self, sources: list[Source], *, settings: Settings | None = None,
                 stdin_data: bytes | None = None,
                 transport: httpx.AsyncBaseTransport | None = None,
                 library: Path | None = None, coverage: list[str] | None = None,
                 early: EarlyLoad | None = None) -> None:
        super().__init__()
        self.sources = sources
        self.coverage = coverage
        self.library = library
        self.settings = settings or Settings()
        self.transport = transport
        self.reader = ReaderScreen(settings=self.settings, library=library,
                                   transport=transport, stdin_data=stdin_data, early=early)
        self._quitting = threading.Event()

    def get_default_screen(self) -> Screen[Any]:
        """The reading screen, when there are sources to read, is the first screen itself:
        pushed over Textual's blank default screen during the app's mount, it was laid out
        and drawn inside Textual's start-up batch, which throws that frame away, so the
        first frame waited for the next change (the article)."""
        if self.sources:
            return self.reader
        return super().get_default_screen()

    def on_mount(self) -> None:
        remembered = load_state().get("theme")
        theme = remembered if isinstance(remembered, str) else self.settings.theme
        self.theme = theme if theme in self.available_themes else "textual-dark"
        self.apply_keys()
        self.install_screen(self.reader, "reader")
        # The CLI starts the model load at once when a core is free; otherwise (a busy
        # machine, or an app built without the CLI) it starts once this frame is on
        # screen, not on the same two cores while the frame is drawn.
        self.call_after_refresh(self.preload_model)
        self.call_after_refresh(collect_garbage_again)
        self.watch_terminal()
        if self.sources:
            self.reader.open_list(self.sources, 0)
        elif self.coverage:
            from reader.tui.screens.coverage import CoverageScreen

            self.push_screen(CoverageScreen(self.coverage, self.library))
        else:
            # Imported here: the home screen brings feed parsing (lxml) and the library,
            # which reading an article given on the command line never needs.
            from reader.tui.screens.feeds import FeedsScreen

            self.push_screen(FeedsScreen(self.library, self.transport))

    def watch_terminal(self) -> None:
        """Quit once the terminal has hung up. A terminal that goes away without sending
        SIGHUP (its window or connection closed while the reader is not the session's
        leader) leaves Textual's input thread reading end-of-file in a busy loop: the
        reader spun at full CPU, drawing for nobody, until killed."""
        if not self.is_headless and os.isatty(TERMINAL_FD):
            self.set_interval(TERMINAL_CHECK_SECONDS, self._quit_if_hung_up)

    def _quit_if_hung_up(self) -> None:
        if terminal_hung_up(TERMINAL_FD):
            self.exit(return_code=TERMINAL_GONE)

    def get_loading_widget(self) -> Widget:
        """A still line rather than Textual's animation, which competes with start-up."""
        return LoadingLine()

    @work(thread=True, group="model", exit_on_error=False)
    def preload_model(self) -> None:
        pool.warm_up(stop=self._quitting)

    def on_unmount(self) -> None:
        """Quitting while the model loads must not wait for it: the thread waiting in
        ``preload_model`` would hold the app's exit until the load ended."""
        self._quitting.set()

    @on(OpenSources)
    def open_sources(self, event: OpenSources) -> None:
        """Read what the home screen or the library chose, on the one reading screen."""
        if self.reader in self.screen_stack:
            while self.screen is not self.reader:
                self.pop_screen()
        else:
            self.push_screen(self.reader)
        self.reader.open_list(event.sources, event.index)

    @on(OpenCoverage)
    def open_coverage(self, event: OpenCoverage) -> None:
        """A story of several outlets: the coverage screen, above the home screen."""
        from reader.tui.screens.coverage import CoverageScreen

        self.push_screen(CoverageScreen(event.sources, self.library, event.title))

    @on(Notice)
    def show_notice(self, event: Notice) -> None:
        self.notify(event.text, title=event.title, severity=event.severity,  # type: ignore[arg-type]
                    timeout=event.timeout, markup=False)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from palette_commands(self, screen)

    def apply_keys(self) -> None:
        """Rebind keys by binding id; say once what in config.toml was not usable."""
        known = _binding_ids() if self.settings.keys else set()
        unknown = sorted(key for key in self.settings.keys if key not in known)
        keys = {k: v for k, v in self.settings.keys.items() if k not in unknown}
        if keys:
            self.set_keymap(keys)
        problems = list(self.settings.problems)
        if unknown:
            problems.append(f"unknown binding id {', '.join(unknown)} (ignored)")
        if problems:
            self.notify(clean_inline("config.toml: " + "; ".join(problems)),
                        severity="warning", markup=False, timeout=8)

    def action_help(self) -> None:
        from reader.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_cycle_theme(self) -> None:
        themes = [t for t in THEMES if t in self.available_themes]
        position = themes.index(self.theme) if self.theme in themes else -1
        self.theme = themes[(position + 1) % len(themes)]
        save_state(theme=self.theme)
        self.notify(f"theme: {self.theme}", timeout=2, markup=False)

    def action_edit_config(self) -> None:
        settings = edit_config(self)
        if settings is not None:
            self.settings = self.reader.settings = settings
            self.apply_keys()
            self.notify("settings reloaded", timeout=2)


def _binding_ids() -> set[str]:
    """Every binding id the app and its screens and widgets declare (``[keys]`` names).

    Screens are imported when first shown, so every module of ``reader.tui`` is imported
    here first (only when the config has a ``[keys]`` table)."""
    import importlib
    import pkgutil
    import sys

    import reader.tui

    for info in pkgutil.walk_packages(reader.tui.__path__, "reader.tui."):
        importlib.import_module(info.name)
    found: set[str] = set()
    for name, module in list(sys.modules.items()):
        if not name.startswith("reader.tui"):
            continue
        for value in vars(module).values():
            for binding in getattr(value, "BINDINGS", None) or ():
                if isinstance(binding, Binding) and binding.id:
                    found.add(binding.id)
    return found


def collect_garbage_again() -> None:
    """Turn garbage collection back on once the first frame is drawn, if start-up turned
    it off (``reader.cli.tui``); what start-up built is frozen first, so collections
    never walk it again."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


TERMINAL_FD = 0
"""Textual reads keys from standard input (the CLI points it at the terminal)."""
TERMINAL_CHECK_SECONDS = 1.0
TERMINAL_GONE = 129
"""The exit status of a process ended by a hang-up (128 + SIGHUP)."""


def terminal_hung_up(fd: int) -> bool:
    """The terminal at ``fd`` has hung up (nothing reads or writes at its other end),
    asked without reading from it: a key waiting there stays for Textual."""
    import select

    if not hasattr(select, "poll"):
        return False  # no way to ask without reading (Windows): never guess a hang-up
    try:
        events = select.poll()
        events.register(fd, 0)  # POLLHUP and POLLERR are always reported
        return any(mask & (select.POLLHUP | select.POLLERR) for _, mask in events.poll(0))
    except (OSError, ValueError):
        return True


def make_app(sources: list[Source], *, settings: Settings | None = None,
             stdin_data: bytes | None = None,
             transport: httpx.AsyncBaseTransport | None = None,
             library: Path | None = None, coverage: list[str] | None = None,
             early: EarlyLoad | None = None) -> ReaderApp:
    """The one way to build the app, shared by the CLI and the tests.

    ``coverage``: open the coverage screen comparing these sources (``reader compare
    --tui``) instead of the home screen.

    ``early``: the first source's load, already under way (see ``EarlyLoad``).

    The analysis processes are not started here: the app starts them after its first
    frame (see ``ReaderApp.on_mount``), or the first analysis does, whichever comes first.
    """
    if settings is None:
        settings = load_config()  # never raises: bad keys fall back, problems are noted
    return ReaderApp(sources, settings=settings, stdin_data=stdin_data, transport=transport,
                     library=library, coverage=coverage, early=early)
