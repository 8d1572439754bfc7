"""Key facts: the sentences that carry the story, its figures and its timeline.

Everything reads the one shared spaCy parse; ranking is plain Python over token sets so
it adds a few milliseconds, not a second parse. Facts are returned key points first
(best first), then figures, then dates in chronological order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.models import Article, Entity, Fact

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

BODY_KINDS = frozenset({"paragraph", "list_item", "blockquote"})
QUOTE_MARKS = frozenset("\"'“”‘’«»„")
NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})

# Ranking weights; general preferences of news summaries, not fitted to any article.
LEAD_WEIGHT = 1.0
LEAD_DECAY = 0.35
CENTRALITY_WEIGHT = 0.6
ENTITY_WEIGHT = 0.4
FIGURE_WEIGHT = 0.08
QUOTE_PENALTY = 0.6
SHORT_WORDS = 8
LONG_WORDS = 40
IDEAL_WORDS = (12, 30)
LENGTH_PENALTY = 0.5
REDUNDANCY = 0.5


@dataclass(frozen=True)
class Sentence:
    """A body sentence clipped to its block, with what ranking needs to know about it."""

    index: int
    start: int
    end: int
    span: Span
    words: frozenset[str]
    word_count: int
    quoted_share: float
    figures: int


# --------------------------------------------------------------------------- sentences

def _body_ranges(article: Article) -> list[tuple[int, int]]:
    """Character ranges of the blocks a summary may quote (not headings or captions)."""
    if not article.blocks:
        return [(0, len(article.text))]
    return [(b.start, b.end) for b in article.blocks if b.kind in BODY_KINDS]


def _content_words(span: Span) -> frozenset[str]:
    return frozenset(t.lower_ for t in span
                     if not t.is_stop and not t.is_punct and not t.is_space
                     and (t.is_alpha or t.like_num) and len(t.text) > 1)


def _is_opening_mark(doc: Doc, token: Token) -> bool:
    """A quotation mark opens a quote when it hugs the word after it, not the one before."""
    text = doc.text
    before = text[token.idx - 1] if token.idx > 0 else " "
    after_pos = token.idx + len(token.text)
    after = text[after_pos] if after_pos < len(text) else " "
    if token.text in "“‘«„":
        return True
    if token.text in "”’»":
        return False
    return (before.isspace() or before in "([—-") and not after.isspace()


def _quoted_share(span: Span) -> float:
    """Share of a sentence's words spoken inside quotation marks.

    A sentence whose first mark closes a quote started earlier, so its words up to
    that mark count as quoted too.
    """
    doc = span.doc
    marks = [t for t in span if t.text in QUOTE_MARKS and len(t.text) == 1]
    words = [t for t in span if not t.is_punct and not t.is_space]
    if not marks or not words:
        return 0.0
    inside = not _is_opening_mark(doc, marks[0])
    quoted = 0
    mark_ids = {t.i for t in marks}
    for token in span:
        if token.i in mark_ids:
            inside = _is_opening_mark(doc, token)
            continue
        if inside and not token.is_punct and not token.is_space:
            quoted += 1
    return quoted / len(words)


def _figure_count(span: Span) -> int:
    return sum(1 for e in span.ents if e.label_ in NUMBER_LABELS or e.label_ == "DATE")


def body_sentences(doc: Doc, article: Article) -> list[Sentence]:
    """The parse's sentences cut at block edges, stripped, empty ones dropped."""
    ranges = _body_ranges(article)
    out: list[Sentence] = []
    for sent in doc.sents:
        for block_start, block_end in ranges:
            start = max(sent.start_char, block_start)
            end = min(sent.end_char, block_end)
            if start >= end:
                continue
            text = article.text[start:end]
            start += len(text) - len(text.lstrip())
            end -= len(text) - len(text.rstrip())
            span = doc.char_span(start, end, alignment_mode="expand") if start < end else None
            if span is None or not span.text.strip():
                continue
            words = [t for t in span if not t.is_punct and not t.is_space]
            if not words:
                continue
            out.append(Sentence(
                index=len(out), start=start, end=end, span=span,
                words=_content_words(span), word_count=len(words),
                quoted_share=_quoted_share(span), figures=_figure_count(span),
            ))
    return out


# --------------------------------------------------------------------------- ranking

def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def _centrality(sentences: Sequence[Sentence]) -> list[float]:
    """How much each sentence shares with the rest: the mean similarity to the others,
    weighted by how often the article repeats each word (TextRank's degree, in short)."""
    frequency = Counter(w for s in sentences for w in s.words)
    out = []
    for sentence in sentences:
        weight = sum(math.log(frequency[w]) for w in sentence.words)
        norm = math.sqrt(len(sentence.words)) if sentence.words else 1.0
        out.append(weight / norm)
    top = max(out, default=0.0)
    return [v / top if top > 0 else 0.0 for v in out]


def _entity_coverage(sentences: Sequence[Sentence], entities: Sequence[Entity]) -> list[float]:
    """How much of the article's cast each sentence names, weighted by mention counts."""
    weights: list[tuple[float, list[tuple[int, int]]]] = []
    total = sum(len(e.mentions) for e in entities) or 1
    for entity in entities:
        if len(entity.mentions) < 2:
            continue
        weights.append((len(entity.mentions) / total,
                        [(m.start, m.end) for m in entity.mentions]))
    out = []
    for sentence in sentences:
        score = 0.0
        for weight, spans in weights:
            if any(sentence.start <= s and e <= sentence.end for s, e in spans):
                score += weight
        out.append(score)
    top = max(out, default=0.0)
    return [v / top if top > 0 else 0.0 for v in out]


def _length_penalty(words: int) -> float:
    if words < SHORT_WORDS:
        return LENGTH_PENALTY * 2
    low, high = IDEAL_WORDS
    if words < low:
        return LENGTH_PENALTY * (low - words) / low
    if words > LONG_WORDS:
        return LENGTH_PENALTY * (1 + (words - LONG_WORDS) / LONG_WORDS)
    if words > high:
        return LENGTH_PENALTY * (words - high) / (LONG_WORDS - high) * 0.5
    return 0.0


def sentence_scores(sentences: Sequence[Sentence], entities: Sequence[Entity]) -> list[float]:
    """One score per sentence: the lead, centrality, the cast, figures, minus penalties."""
    central = _centrality(sentences)
    cast = _entity_coverage(sentences, entities)
    scores = []
    for i, sentence in enumerate(sentences):
        lead = math.exp(-LEAD_DECAY * i)
        score = (LEAD_WEIGHT * lead + CENTRALITY_WEIGHT * central[i]
                 + ENTITY_WEIGHT * cast[i] + FIGURE_WEIGHT * min(sentence.figures, 3)
                 - QUOTE_PENALTY * sentence.quoted_share
                 - _length_penalty(sentence.word_count))
        scores.append(score)
    return scores


def rank_sentences(sentences: Sequence[Sentence], entities: Sequence[Entity],
                   limit: int) -> list[tuple[float, Sentence]]:
    """Best sentences first, skipping any that repeats one already chosen."""
    scores = sentence_scores(sentences, entities)
    order = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    chosen: list[tuple[float, Sentence]] = []
    for i in order:
        candidate = sentences[i]
        if any(_overlap(candidate.words, s.words) > REDUNDANCY for _, s in chosen):
            continue
        chosen.append((scores[i], candidate))
        if len(chosen) >= limit:
            break
    return chosen


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


# --------------------------------------------------------------------------- assembly

def extract_facts(doc: Doc, article: Article, entities: Sequence[Entity]) -> list[Fact]:
    sentences = body_sentences(doc, article)
    facts = []
    for score, sentence in rank_sentences(sentences, entities, 5):
        facts.append(Fact(text=article.text[sentence.start:sentence.end], start=sentence.start,
                          end=sentence.end, kind="key_point", score=round(score, 3)))
    return facts


_ = re
