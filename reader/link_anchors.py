"""Where an article's links sit in its text, so the reader can number them in place.

Extraction keeps each body link's address and text in document order, without offsets;
this finds each link's text in ``Article.text`` going forward from the previous one (the
same words may occur earlier as plain text), and falls back to the first occurrence for
a link out of order. A link whose text cannot be found has no anchor (it stays in the
``u`` list).
"""

from __future__ import annotations

from reader.models import Article

Anchor = tuple[int, int]


def link_anchors(article: Article) -> list[Anchor | None]:
    """For each of ``article.links``, the span of its text in ``article.text``, or None."""
    text = article.text
    anchors: list[Anchor | None] = []
    cursor = 0
    for link in article.links:
        words = " ".join(link.text.split())
        if not words:
            anchors.append(None)
            continue
        at = text.find(words, cursor)
        if at < 0:
            at = text.find(words)
        if at < 0:
            anchors.append(None)
            continue
        anchors.append((at, at + len(words)))
        cursor = max(cursor, at + len(words))
    return anchors
