"""Adapter for ../shared/tools/score_quotes.py: raw article text -> quotes with offsets.

``article_from_text`` normalises whitespace and joins paragraphs with blank lines, so the
quote offsets are mapped back to the text the scorer passed in by aligning the two
strings. The gold data closes every quote at the end of its paragraph, so a quote that
runs over several paragraphs is reported as one piece per paragraph (same speaker).

    cd /work/main && PYTHONPATH=/work/main /work/venv/bin/python \\
        /work/shared/tools/score_quotes.py \\
        /work/shared/eval/quotes/polnear_test_direct_quotes.jsonl \\
        --fn tests/benchmarks/quotes_adapter.py:extract

``extract_scored`` returns the same quotes with ``speaker_confidence`` (score_quotes.py
takes no confidence; the calibration figures read it from here).
"""

from __future__ import annotations

import unicodedata

from reader.analysis import nlp
from reader.analysis.entities import extract_entities
from reader.analysis.quotes import extract_quotes
from reader.plaintext import article_from_text

MARKS = "“”\"«»„ \n"


def align(clean: str, raw: str) -> list[int]:
    """For each offset of ``clean`` (and its end) the matching offset of ``raw``.

    The two differ only in whitespace (runs collapsed, line breaks joined), in accents
    composed by NFC and in rare characters made visible, so a walk that skips whitespace
    on either side lines them up.
    """
    mapping = [0] * (len(clean) + 1)
    i = j = 0
    while i < len(clean):
        a = clean[i]
        if j >= len(raw):
            mapping[i] = len(raw)
            i += 1
        elif a == raw[j] or (a.isspace() and raw[j].isspace()):
            mapping[i] = j
            i += 1
            j += 1
        elif a.isspace():
            mapping[i] = j
            i += 1
        elif raw[j].isspace():
            j += 1
        else:
            mapping[i] = j
            i += 1
            j += _composed_length(raw, j, a)
    mapping[len(clean)] = j
    return mapping


def _composed_length(raw: str, j: int, char: str) -> int:
    """How many raw characters NFC folded into ``char`` (a letter plus its accents)."""
    for length in (2, 3, 4):
        if unicodedata.normalize("NFC", raw[j:j + length]) == char:
            return length
    return 1


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The paragraph-sized parts of a quote, each without marks and spaces at its ends."""
    out: list[tuple[int, int]] = []
    piece_start = start
    while piece_start < end:
        brk = text.find("\n", piece_start, end)
        piece_end = end if brk < 0 else brk
        s, e = piece_start, piece_end
        while s < e and text[s] in MARKS:
            s += 1
        while e > s and text[e - 1] in MARKS + ",":
            e -= 1
        if e > s:
            out.append((s, e))
        piece_start = piece_end + 1
    return out


def extract(text: str) -> list[tuple[str, str | None, int, int]]:
    """What score_quotes.py reads: (quote, speaker, start, end) in the text passed in."""
    return [(quote, speaker, start, end) for quote, speaker, start, end, _ in extract_scored(text)]


def extract_scored(text: str) -> list[tuple[str, str | None, int, int, float]]:
    """The same quotes with their speaker_confidence, for calibration."""
    article = article_from_text(text, title="")
    doc = nlp.parse(article)
    quotes = extract_quotes(doc, article, extract_entities(doc, article))
    mapping = align(article.text, text)
    out: list[tuple[str, str | None, int, int, float]] = []
    for quote in quotes:
        for s, e in _pieces(article.text, quote.start, quote.end):
            raw_start, raw_end = mapping[s], mapping[e - 1] + 1
            out.append((text[raw_start:raw_end], quote.speaker, raw_start, raw_end,
                        quote.speaker_confidence))
    return out
