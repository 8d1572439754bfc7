"""Small wording helpers for what the TUI says."""

from __future__ import annotations


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 quote``, ``2 quotes``, ``1 match``, ``3 matches``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
