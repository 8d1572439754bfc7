"""Adapter for ../shared/tools/score_extraction.py: the benchmark calls ``body_text``."""

from __future__ import annotations

from reader.errors import ExtractError
from reader.extract import extract_article


def body_text(html: str, url: str) -> str | None:
    """Article text of one benchmark page, or None when the extractor finds none."""
    try:
        return extract_article(html, url=url or None).text
    except ExtractError:
        return None
