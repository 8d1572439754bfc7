"""Small dialogs: a line of input, a note, a yes/no question, an export path.

Each returns its answer with ``dismiss``; none of them touches the library itself.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static, TextArea

from reader.textutil import clean_inline
from reader.tui.screens.base import BaseModal

EXPORT_FORMATS = {".md": "Markdown", ".json": "JSON", ".html": "HTML", ".htm": "HTML"}


class NoteEditor(BaseModal[str | None]):
    """A small editor for a highlight's note; ctrl+s keeps it, escape cancels."""

    BINDINGS = [
        Binding("ctrl+s", "keep", "Keep note", id="note.keep"),
        Binding("escape", "dismiss(None)", "Cancel", id="note.cancel"),
    ]

    def __init__(self, quoted: str, note: str = "") -> None:
        super().__init__(classes="picker")
        self.quoted = quoted
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker-box"):
            yield Static(Text(f"Note on “{clean_inline(self.quoted)[:160]}”", style="bold"),
                         classes="picker-title", markup=False)
            yield TextArea(self.note, id="note-text")
            yield Static(Text("ctrl+s keep · escape cancel", style="dim"), markup=False)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_keep(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())


class LineEditor(BaseModal[str | None]):
    """One line of input (tags, a feed address); enter keeps it, escape cancels."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="line.cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__(classes="picker")
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker-box"):
            yield Static(Text(self.title_text, style="bold"), classes="picker-title",
                         markup=False)
            yield Input(self.value, placeholder=self.placeholder, id="line-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class ConfirmDialog(BaseModal[bool]):
    """A question answered with y (or enter) and n (or escape)."""

    BINDINGS = [
        Binding("y,enter", "dismiss(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "dismiss(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__(classes="picker")
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="picker-box"):
            yield Static(Text(self.question, style="bold"), classes="picker-title",
                         markup=False)
            if self.detail:
                yield Static(Text(self.detail), markup=False)
            yield Static(Text("y yes · n no", style="dim"), classes="confirm-keys",
                         markup=False)


def short_path(path: Path) -> str:
    """``~/reader-exports/x.md`` rather than the full home folder, to fit the dialog."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


class ExportDialog(BaseModal[Path | None]):
    """Where to export, in which format (from the name's extension).

    An unknown extension is refused with the list of formats; an existing file is only
    replaced after a second enter on the same name."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="export.cancel")]

    def __init__(self, default: Path) -> None:
        super().__init__(classes="picker")
        self.default = default
        self._confirmed: Path | None = None

    def compose(self) -> ComposeResult:
        formats = " · ".join(f"{ext} {name}" for ext, name in EXPORT_FORMATS.items()
                             if ext != ".htm")
        with Vertical(classes="picker-box export-box"):
            yield Static(Text("Export this article to", style="bold"),
                         classes="picker-title", markup=False)
            yield Input(short_path(self.default), id="export-path")
            yield Static(Text(f"formats: {formats}", style="dim"), id="export-formats",
                         markup=False)
            yield Static(Text(""), id="export-message", markup=False)

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        field.cursor_position = len(field.value)

    def say(self, message: str) -> None:
        self.query_one("#export-message", Static).update(Text(message, style="bold"))

    @on(Input.Changed)
    def _changed(self) -> None:
        self._confirmed = None
        self.say("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            return
        path = Path(value).expanduser()
        if path.suffix.lower() not in EXPORT_FORMATS:
            self.say(f"{path.suffix or 'no extension'}: not a format; "
                     "use .md, .json or .html")
            return
        if path.is_dir():
            self.say("that is a folder: add a file name")
            return
        if path.exists() and self._confirmed != path:
            self._confirmed = path
            self.say("this file exists: enter again to replace it, or change the name")
            return
        self.dismiss(path)
