"""The one place a failed worker is reported, whichever screen or widget ran it.

Every worker in the TUI runs with ``exit_on_error=False``; when one fails, Textual sends
``Worker.StateChanged`` to the node that owns it (the message does not bubble). The App and
every reader screen mix in ``FailureFunnel``, so each failure becomes exactly one
notification, its text built as plain text (an error can quote page content).
"""

from __future__ import annotations

from textual.app import App
from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

from reader.errors import Cancelled, ReaderError
from reader.textutil import clean_inline

TITLES = {
    "load": "Could not open the article",
    "analysis": "Analysis failed",
    "model": "Analysis not available",
    "library": "Library",
    "library-read": "Library",
    "feeds": "Feeds",
    "feeds-read": "Feeds",
    "feeds-net": "Feeds",
    "report": "Extraction report",
    "browser": "Browser",
}


def failure_text(error: BaseException | None) -> str:
    if isinstance(error, ReaderError):
        return clean_inline(str(error))
    name = type(error).__name__ if error is not None else "unknown"
    return clean_inline(f"unexpected error: {name}: {error}")


def report_failure(app: App[object], worker: Worker[object], context: str = "") -> None:
    title = TITLES.get(worker.group, "Something failed")
    text = failure_text(worker.error)
    app.notify(f"{context}\n{text}" if context else text, title=title, severity="error",
               timeout=8, markup=False)


class FailureFunnel(DOMNode):
    """Turns every failed worker of this node into one notification."""

    def failure_context(self, worker: Worker[object]) -> str:
        """What the failed work was about (e.g. which article), for the first line."""
        return ""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and not isinstance(event.worker.error, Cancelled):
            report_failure(self.app, event.worker, self.failure_context(event.worker))
