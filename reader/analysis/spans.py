"""A mention before merging, shared by the entity modules."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """A mention before merging: ``[start, end)`` in the parsed text, with its label.

    A tuple, so that sorting thousands of them compares in C."""

    start: int
    end: int
    label: str
