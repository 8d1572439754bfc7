"""reader: a terminal news reader with quotes, entities and key facts beside the text.

The public API is importable without Textual or spaCy being loaded; each function loads
what it needs on first call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.plaintext import article_from_text

if TYPE_CHECKING:
    from reader.models import Annotated, Article

__all__ = ["annotate", "article_from_text", "extract_article"]
__version__ = "0.1.0"


def extract_article(html: str | bytes, url: str | None = None) -> Article:
    """Clean article text, blocks and metadata from an HTML page."""
    from reader.extract import extract_article as _extract

    return _extract(html, url=url)


def annotate(article: Article) -> Annotated:
    """Entities, quotes and key facts of an article (loads the language model once)."""
    from reader.analysis import annotate as _annotate

    return _annotate(article)
