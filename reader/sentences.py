"""Sentence spans of an article, for selecting text by keyboard.

A regular expression over each block is enough here: the reader only needs sensible
places to start and stop a highlight, and it needs them before (or without) the
language model. Abbreviations such as "Mr." or "U.S." do not end a sentence.
"""

from __future__ import annotations

import re

from reader.models import Article

_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|St|Jr|Sr|Inc|Corp|Ltd|Co|No|vs|"
    r"Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)|\b[A-Z](?:\.[A-Z])*)\.$")

Span = tuple[int, int]


def sentence_spans(article: Article) -> list[Span]:
    """``[start, end)`` of every sentence, in order, never crossing a block."""
    spans: list[Span] = []
    for block in article.blocks:
        text = article.text[block.start:block.end]
        start = 0
        for match in _END.finditer(text):
            candidate = text[start:match.start()].rstrip("\"'”’)]")
            if _ABBREVIATION.search(candidate):
                continue
            end = match.start() + len(match.group()) - len(match.group().lstrip("\"'”’)]"))
            spans.append((block.start + start, block.start + end))
            start = match.end()
        if start < len(text):
            spans.append((block.start + start, block.end))
    return spans
