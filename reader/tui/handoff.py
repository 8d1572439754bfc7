"""Handing an article or a link to other programs: the browser, a shell command, mail.

Shared by the home screen (the highlighted headline) and the reading screen (the
article). ``|`` runs the configured ``pipe`` command (or one typed at a prompt) with the
article's Markdown on its standard input and the terminal handed over (``App.suspend``),
as ``E`` does for the editor; a failing command is reported in one line. ``m`` runs the
``mail`` command for a link, or copies the link to the clipboard when none is set.
"""

from __future__ import annotations

import shlex
import subprocess
from typing import Any

from textual import work
from textual.app import SuspendNotSupported
from textual.dom import DOMNode

from reader.config import Settings
from reader.textutil import clean_inline, first_line
from reader.tui.messages import Notice


def run_with_terminal(app: Any, command: str, data: bytes) -> str | None:
    """Run ``command`` through the shell with ``data`` on its standard input, the terminal
    handed over; None when it succeeded, else one line saying why it failed."""
    try:
        try:
            with app.suspend():
                done = subprocess.run(command, shell=True, input=data,
                                      stderr=subprocess.PIPE, check=False)
        except SuspendNotSupported:  # tests, and terminals that cannot hand over
            done = subprocess.run(command, shell=True, input=data,
                                  capture_output=True, check=False)
    except OSError as exc:
        return f"cannot run {command}: {exc.strerror or exc}"
    if done.returncode == 0:
        return None
    said = first_line(done.stderr.decode("utf-8", "replace")) if done.stderr.strip() else ""
    status = f"exit status {done.returncode}" if done.returncode > 0 else "stopped by a signal"
    return clean_inline(f"{command} failed ({status})" + (f": {said}" if said else ""))


def mail_command(template: str, url: str, title: str) -> str:
    """The ``mail`` setting with ``{url}`` and ``{title}`` filled in, shell-quoted, so an
    address or a headline can never run as a command."""
    return template.replace("{url}", shlex.quote(url)).replace("{title}", shlex.quote(title))


def is_web_address(url: str | None) -> bool:
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


class HandOff(DOMNode):
    """Browser, pipe and mail for a screen; the screen says what the link and text are."""

    @property
    def handoff_settings(self) -> Settings:
        """The app's settings as they are now (``E`` may have reloaded them)."""
        settings = getattr(self.app, "settings", None)
        return settings if isinstance(settings, Settings) else Settings()

    def open_in_browser(self, url: str | None) -> None:
        if not is_web_address(url):
            self.app.notify("this has no web address to open", severity="warning",
                            markup=False)
            return
        assert url is not None
        self.launch_browser(url)

    @work(thread=True, group="browser", exit_on_error=False)
    def launch_browser(self, url: str) -> None:
        """``webbrowser.open`` can block (it may start a program) and says False when no
        browser is available, as over SSH: then the reader offers to copy the address."""
        import webbrowser

        try:
            opened = webbrowser.open(url)
        except webbrowser.Error:
            opened = False
        if not opened:
            self.post_message(Notice(f"no web browser available here: press m to copy {url}",
                                     title="Browser", severity="warning", timeout=8))

    def hand_over_link(self, url: str | None, title: str) -> None:
        """``m``: the ``mail`` command when set, else copy the link to the clipboard."""
        if not url:
            self.app.notify("no link to copy", timeout=2)
            return
        template = self.handoff_settings.mail
        if template is None:
            self.app.copy_to_clipboard(url)
            self.app.notify(f"copied {clean_inline(url)}", timeout=3, markup=False)
            return
        failed = run_with_terminal(self.app, mail_command(template, url, title), b"")
        if failed:
            self.app.notify(failed, severity="error", markup=False)
        else:
            self.app.notify("link handed to the mail command", timeout=2)

    def pipe_text(self, text: str) -> None:
        """``|``: ``text`` to the ``pipe`` command, or to one asked for at a prompt."""
        from reader.tui.screens.dialogs import LineEditor

        def run(command: str | None) -> None:
            if command and command.strip():
                failed = run_with_terminal(self.app, command.strip(), text.encode("utf-8"))
                if failed:
                    self.app.notify(failed, severity="error", markup=False)

        command = self.handoff_settings.pipe
        if command:
            run(command)
        else:
            self.app.push_screen(LineEditor("Pipe the article (Markdown) to a command",
                                            placeholder="glow -"), run)
