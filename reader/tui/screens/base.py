"""Base classes for the reader's screens: each reports its failed workers through the
one funnel in ``reader.tui.failures``."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen, Screen

from reader.tui.failures import FailureFunnel

ResultT = TypeVar("ResultT")


class BaseScreen(FailureFunnel, Screen[ResultT]):
    """A full screen of the reader."""


class BaseModal(FailureFunnel, ModalScreen[ResultT]):
    """A dialog of the reader, centred over the screen it was opened from."""
