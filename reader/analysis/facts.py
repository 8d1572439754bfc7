"""Key facts: the sentences that carry the story, its figures and its timeline.

Everything reads the one shared spaCy parse; the ranking is plain Python over sets of
words, so facts cost milliseconds on top of the parse, and the cost grows linearly with
the article (sentences and blocks are paired in one merge walk, hosts found by
bisection). The result is ordered the way the panel shows it: key points (best first),
then figures (at most eight, most salient first), then dates in time order.

Key points follow how news is written. When the page brings its own summary (bullets
above the body), those bullets are the key points. Otherwise the body's sentences are
ranked: the lead matters most in news, and among the leading sentences the better ones
are dense in the words the rest of the article keeps repeating, name people and figures,
and are neither quotes nor fragments. Near-duplicates (a caption restating the lead) are
skipped, and so is boilerplate (comment requests, credits, sign-ups). A key point that
opens with a pronoun names its referent or gives way to a self-contained sentence
(``referents``). What a figure counts comes from ``figures``, what happened on a date
from ``timeline``; both phrase it with ``clauses``.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.analysis import nlp
from reader.analysis.dates import parse_published, sort_key
from reader.analysis.figures import NUMBER_LABELS, Figure, find_figures
from reader.analysis.referents import Referents, needs_context
from reader.analysis.timeline import DATE_LABELS, find_dates
from reader.models import Article, Entity, Fact, FactKind

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

BODY_KINDS = frozenset({"paragraph", "list_item", "blockquote"})
QUOTE_MARKS = frozenset("\"'“”‘’«»„")

# Ranking: how much each preference of news summaries weighs. Set by hand from general
# reading habits (lead first, dense, not quotes, not fragments), not fitted per article.
DENSITY_WEIGHT = 0.2
"""Mean repetition of a sentence's words across the article (its centrality)."""
LEAD_STEP = 0.016
"""What each sentence further from the top costs."""
FRAGMENT_WORDS = 10
FRAGMENT_PENALTY = 0.08
QUOTE_PENALTY = 0.12
"""Per share of the sentence inside quotation marks: quotes are colour, not the story."""
FIGURE_BONUS = 0.01
"""Per figure or date (up to three): a fact-dense sentence is a better key point."""
CAST_BONUS = 0.02
"""For introducing the article's main people, places and organisations by name."""
DANGLING_START_PENALTY = 0.01
"""For starting with a pronoun or conjunction that needs the sentence before it."""
REDUNDANCY = 0.4
"""Share of the shorter sentence's words two key points may have in common."""

DANGLING_STARTS = frozenset({
    "but", "and", "or", "so", "yet", "he", "she", "it", "they", "we", "i", "his", "her",
    "its", "their", "this", "that", "these", "those", "there", "however", "also", "then",
    "meanwhile", "as", "in", "with", "when", "while", "if", "although", "though",
})
SPEECH_VERBS = frozenset({
    "said", "says", "say", "told", "tells", "reported", "reports", "added", "adds",
    "explained", "stated", "states", "wrote", "writes", "noted", "notes", "announced",
    "confirmed", "claimed", "claims", "according", "insisted", "warned", "revealed",
})
_DATELINE = re.compile(
    r"^(?:[A-Z][\w.,'’ -]{0,40}?\s*)?\((?:CNN|AP|AFP|Reuters|UPI|dpa|Xinhua|EW\.com)\)"
    r"\s*(?:--|—|–|-)?\s*"
    r"|^[A-Z][A-Z.,'’ ]{2,40}\s+(?:--|—|–)\s+")
_BOILERPLATE = re.compile(
    r"^(?:scroll down for (?:the )?videos?|click here\b[^.:]*?(?:[.:]|$)|read more:|"
    r"watch the video\b[^.:]*?[.:]|advertisement)\s*", re.I)
_BOILERPLATE_SENTENCE = re.compile(
    r"(?:did not|didn't|has not|hasn't|have not|could not|couldn't|not)\s+(?:immediately\s+)?"
    r"(?:respond|return|reply|answer)\w*\b[^.]{0,40}\b(?:request|comment|call|e-?mail|message)"
    r"|\brequests? for comment|\breached for comment|\bcould not be reached\b"
    r"|\bdeclined to comment\b|\bsign up\b|\bsubscribe\b|\bnewsletter\b"
    r"|\ball rights reserved\b|\bcopyright\b|\b(?:photo|picture|image)s?\s*(?:by|:|credit)"
    r"|\bgetty images\b|\bap photo\b|\bclick here\b|\bscroll down\b|\bread more\b"
    r"|\bcontributed to this report\b|\bfollow (?:us|him|her|me) (?:on|@)"
    r"|^(?-i:By [A-Z][a-z]+ [A-Z])",
    re.I)


# --------------------------------------------------------------------------- sentences

@dataclass(frozen=True)
class Sentence:
    """A body sentence clipped to its block, with what ranking needs to know about it.

    ``start``/``end`` cover the whole sentence; ``show_start``/``show_end`` leave out a
    dateline or boilerplate in front ("Scroll down for video") and a trailing attribution
    (", officials said."), which the key point does not need to stay true.
    """

    start: int
    end: int
    show_start: int
    show_end: int
    block: str
    span: Span
    words: frozenset[str]
    word_count: int
    quoted_share: float
    figures: int
    numerals: int
    """Tokens written as numbers ("97", "2006-09"), to tell a stats box from prose."""


def _body_ranges(article: Article) -> list[tuple[int, int, str]]:
    """Character ranges of the blocks facts may come from (not headings or captions)."""
    if not article.blocks:
        return [(0, len(article.text), "paragraph")]
    return [(b.start, b.end, b.kind) for b in article.blocks if b.kind in BODY_KINDS]


def _is_opening_mark(table: _TokenTable, i: int) -> bool:
    """A quotation mark opens a quote when it hugs the word after it, not the one before."""
    mark = table.text[i]
    if mark in "“‘«„":
        return True
    if mark in "”’»":
        return False
    before = " " if i == 0 or table.spaced[i - 1] else table.text[i - 1][-1]
    after = " " if table.spaced[i] or i + 1 >= len(table.text) else table.text[i + 1][0]
    return (before.isspace() or before in "([—–-") and not after.isspace()


def _quoted_share(table: _TokenTable, kept: Sequence[int], words: int) -> float:
    """Share of a sentence's words spoken inside quotation marks.

    When the first mark of a sentence closes a quote, the quote began in an earlier
    sentence, so the words up to that mark count as quoted too.
    """
    marks = [i for i in kept if table.text[i] in QUOTE_MARKS]
    if not marks or not words:
        return 0.0
    inside = not _is_opening_mark(table, marks[0])
    quoted = 0
    for i in kept:
        if table.text[i] in QUOTE_MARKS:
            inside = _is_opening_mark(table, i)
        elif inside and not table.punct[i]:
            quoted += 1
    return quoted / words


def _leading_noise(text: str) -> int:
    """Characters of dateline or web boilerplate in front of a sentence's first word."""
    cut = 0
    for pattern in (_DATELINE, _BOILERPLATE, _DATELINE):
        match = pattern.match(text[cut:])
        if match:
            cut += match.end()
    return cut if cut < len(text) else 0


def _attribution_start(table: _TokenTable, kept: Sequence[int], quoted: float) -> int | None:
    """Where a trailing attribution (", police said.") begins, if the sentence has one.

    Only a short tail whose verb of saying heads the whole sentence (or an "according
    to") is cut, and never from a quote, where the tail is what makes the words someone's.
    """
    if quoted > 0.2:
        return None
    commas = [n for n, i in enumerate(kept) if table.text[i] == ","]
    if not commas:
        return None
    comma = commas[-1]
    tail = [i for i in kept[comma + 1:] if not table.punct[i]]
    if not 1 < len(tail) <= 8 or comma < 6:
        return None
    verb = next((i for i in tail if table.lower[i] in SPEECH_VERBS), None)
    if verb is None:
        return None
    heads_sentence = table.root[verb] or table.lower[verb] == "according"
    if not heads_sentence or any(table.text[i] in QUOTE_MARKS for i in tail):
        return None
    return int(table.idx[kept[comma]])


class _TokenTable:
    """The token attributes sentences are built from, read once per document.

    Iterating a span builds a Python ``Token`` for every word each time; these columns
    cost one pass, and ``Token`` objects are made only for a sentence that needs its
    parse (one with a quotation mark)."""

    def __init__(self, doc: Doc, text: str) -> None:
        """``text`` is the article's text: when ``doc`` is its parse, each token's words
        are sliced from it, cheaper than looking every token up in the string store."""
        from spacy.attrs import (
            DEP,
            IDX,
            IS_ALPHA,
            IS_PUNCT,
            IS_SPACE,
            IS_STOP,
            LENGTH,
            LIKE_NUM,
            LOWER,
            ORTH,
            SENT_START,
            SPACY,
        )

        from reader.analysis.entities import is_text_of

        strings = doc.vocab.strings
        columns = doc.to_array([IS_SPACE, IS_PUNCT, IS_STOP, IS_ALPHA, LIKE_NUM, LOWER, ORTH,
                                IDX, DEP, SENT_START, SPACY, LENGTH]).reshape(len(doc), 12)
        # Whole-column comparisons in numpy, then one list each: a Python loop per
        # column and token was most of the table's cost.
        self.space: list[bool] = (columns[:, 0] == 1).tolist()
        self.punct: list[bool] = (columns[:, 1] == 1).tolist()
        self.content: list[bool] = ((columns[:, 2] != 1)
                                    & ((columns[:, 3] == 1) | (columns[:, 4] == 1))).tolist()
        self.idx: list[int] = columns[:, 7].tolist()
        if is_text_of(doc, nlp.analysable_text(text)):
            self.text = [text[at:at + length]
                         for at, length in zip(self.idx, columns[:, 11].tolist(), strict=True)]
            self.lower = [word.lower() for word in self.text]  # as spaCy's LOWER is made
        else:
            self.text = [strings[key] for key in columns[:, 6].tolist()]
            self.lower = [strings[key] for key in columns[:, 5].tolist()]
        self.numeral = [not alpha and any(c.isdigit() for c in word) for alpha, word
                        in zip((columns[:, 3] == 1).tolist(), self.text, strict=True)]
        """The token holds a digit (a word of letters never does)."""
        self.spaced: list[bool] = (columns[:, 10] == 1).tolist()
        """A space follows the token (``token.whitespace_``)."""
        self.root: list[bool] = (columns[:, 8] == strings.add("ROOT")).tolist()
        starts: list[int] = [0, *((columns[1:, 9] == 1).nonzero()[0] + 1).tolist()] \
            if len(doc) else []
        self.sentences = [(self.idx[a], self.idx[b - 1] + len(self.text[b - 1]))
                          for a, b in zip(starts, [*starts[1:], len(doc)][:len(starts)],
                                          strict=True)]
        """Character range of each of the parse's sentences (``doc.sents``)."""


def _make_sentence(doc: Doc, table: _TokenTable, text: str, start: int, end: int,
                   block: str, figure_starts: Sequence[int]) -> Sentence | None:
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    if start >= end:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    kept = [i for i in range(span.start, span.end) if not table.space[i]]
    word_count = sum(1 for i in kept if not table.punct[i])
    if not word_count:
        return None
    quoted = _quoted_share(table, kept, word_count)
    show_start = start + _leading_noise(text[start:end])
    show_end = _attribution_start(table, kept, quoted) or end
    if show_end - show_start < (end - start) // 3:
        show_start, show_end = start, end
    return Sentence(
        start=start, end=end, show_start=show_start, show_end=show_end, block=block,
        span=span,
        words=frozenset(table.lower[i] for i in kept
                        if table.content[i] and len(table.text[i]) > 1),
        word_count=word_count,
        quoted_share=quoted,
        figures=bisect_left(figure_starts, end) - bisect_left(figure_starts, start),
        numerals=sum(1 for i in kept if table.numeral[i]),
    )


def body_sentences(doc: Doc, article: Article) -> list[Sentence]:
    """The parse's sentences cut at block edges, in text order.

    Sentences and blocks both come in text order, so one merge walk pairs them: the
    first block a sentence can touch only ever moves forward, which keeps the cost
    linear in the length of the article.
    """
    ranges = _body_ranges(article)
    figure_starts = [e.start_char for e in nlp.doc_ents(doc)
                     if e.label_ in NUMBER_LABELS | DATE_LABELS]
    out: list[Sentence] = []
    table = _TokenTable(doc, article.text)
    first = 0
    for sent_start, sent_end in table.sentences:
        while first < len(ranges) and ranges[first][1] <= sent_start:
            first += 1
        index = first
        while index < len(ranges) and ranges[index][0] < sent_end:
            block_start, block_end, kind = ranges[index]
            start, end = max(sent_start, block_start), min(sent_end, block_end)
            if start < end:
                sentence = _make_sentence(doc, table, article.text, start, end, kind,
                                          figure_starts)
                if sentence is not None:
                    out.append(sentence)
            index += 1
    return out


# --------------------------------------------------------------------------- ranking

def _density(sentences: Sequence[Sentence]) -> list[float]:
    """Mean log-frequency, over the article, of each sentence's content words.

    A sentence made of words the article keeps coming back to is central to it; this is
    the cheap cousin of TextRank's degree, and unlike a sum it does not favour length.
    """
    frequency = Counter(w for s in sentences for w in s.words)
    raw = [sum(math.log(frequency[w]) for w in s.words) / len(s.words) if s.words else 0.0
           for s in sentences]
    top = max(raw, default=0.0)
    return [v / top if top > 0 else 0.0 for v in raw]


def _introductions(entities: Sequence[Entity], limit: int = 3) -> list[int]:
    """Where the article first names each of the few entities it names most.

    The sentence that introduces the main people, places and organisations by name is
    the one a summary needs; later mentions are shorthand ("he", "the club").
    """
    named = sorted((e for e in entities if len(e.mentions) >= 2 and e.mentions),
                   key=lambda e: -len(e.mentions))[:limit]
    return [min(m.start for m in e.mentions) for e in named]


def _introduced_share(sentence: Sentence, introductions: Sequence[int]) -> float:
    if not introductions:
        return 0.0
    named = sum(1 for start in introductions if sentence.start <= start < sentence.end)
    return named / len(introductions)


def _starts_dangling(sentence: Sentence) -> bool:
    first = next((t for t in sentence.span if t.is_alpha), None)
    return first is not None and first.lower_ in DANGLING_STARTS


def sentence_scores(sentences: Sequence[Sentence], entities: Sequence[Entity],
                    all_sentences: Sequence[Sentence] | None = None) -> list[float]:
    """One raw score per candidate sentence (higher is better, scale arbitrary)."""
    density = _density(sentences if all_sentences is None else all_sentences)
    if all_sentences is not None:
        position = {id(s): i for i, s in enumerate(all_sentences)}
        density = [density[position[id(s)]] for s in sentences]
    introductions = _introductions(entities)
    scores = []
    for index, sentence in enumerate(sentences):
        score = (DENSITY_WEIGHT * density[index]
                 - LEAD_STEP * index
                 - QUOTE_PENALTY * sentence.quoted_share
                 + FIGURE_BONUS * min(sentence.figures, 3)
                 + CAST_BONUS * _introduced_share(sentence, introductions))
        if sentence.word_count < FRAGMENT_WORDS:
            score -= FRAGMENT_PENALTY
        if _starts_dangling(sentence):
            score -= DANGLING_START_PENALTY
        scores.append(score)
    return scores


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def is_redundant(words: frozenset[str], chosen: Iterable[frozenset[str]]) -> bool:
    return any(_overlap(words, other) > REDUNDANCY for other in chosen)


def rank_sentences(candidates: Sequence[Sentence], entities: Sequence[Entity], limit: int,
                   *, all_sentences: Sequence[Sentence] | None = None,
                   taken: Sequence[frozenset[str]] = (),
                   accept: Callable[[Sentence], bool] | None = None,
                   ) -> list[tuple[float, Sentence]]:
    """The best ``limit`` sentences, best first, none repeating another or ``taken``,
    and each one that ``accept`` (if given) lets through.

    Scores come back scaled to 0..1 over all candidates so they read as confidence.
    """
    raw = sentence_scores(candidates, entities, all_sentences)
    low, high = min(raw, default=0.0), max(raw, default=0.0)
    scale = high - low or 1.0
    chosen: list[tuple[float, Sentence]] = []
    seen = list(taken)
    for index in sorted(range(len(candidates)), key=lambda i: (-raw[i], i)):
        sentence = candidates[index]
        if is_redundant(sentence.words, seen) or (accept is not None and not accept(sentence)):
            continue
        chosen.append(((raw[index] - low) / scale, sentence))
        seen.append(sentence.words)
        if len(chosen) >= limit:
            break
    return chosen


def key_point_count(candidates: int) -> int:
    """Three key points for a short piece, up to five for a long one."""
    return 3 if candidates < 15 else 4 if candidates < 30 else 5


# --------------------------------------------------------------------------- the page's own

def _own_summary(article: Article) -> list[tuple[int, int]]:
    """Bullets (or a standfirst) the article puts above its body, in order.

    A run of list items before the first paragraph is a summary when body paragraphs
    follow it. A first paragraph that is one short unpunctuated line followed by the
    body is a standfirst.
    """
    blocks = [b for b in article.blocks if b.kind != "heading"]
    bullets = []
    for block in blocks:
        if block.kind != "list_item":
            break
        bullets.append(block)
    rest = blocks[len(bullets):]
    if bullets and any(b.kind == "paragraph" for b in rest):
        return [(b.start, b.end) for b in bullets]
    if len(rest) >= 3 and rest[0].kind == "paragraph":
        first = article.block_text(rest[0]).strip()
        if 5 <= len(first.split()) <= 40 and first[-1:].isalnum():
            return [(rest[0].start, rest[0].end)]
    return []


# --------------------------------------------------------------------------- figures

MAX_FIGURES = 8
"""The panel's Numbers section: more than this and the figures stop being the point."""
FURNITURE_NUMERALS = 6
FURNITURE_WORDS_PER_NUMERAL = 4
"""A "sentence" with six or more numbers and fewer than four words per number is a stats
box or a fixtures list ("97 apps, 22 goals"), not prose: it gives no facts."""
DISTINCT_BELOW = 13
"""Small plain counts ("2 goals", "2 defeats") are told apart by what they count;
larger values, money, percentages and head counts are one figure however worded."""


def _is_furniture(sentence: Sentence) -> bool:
    return sentence.numerals >= FURNITURE_NUMERALS and \
        sentence.word_count < FURNITURE_WORDS_PER_NUMERAL * sentence.numerals


def _figure_key(figure: Figure) -> tuple[str, str, str]:
    """Two figures with the same key are one fact told twice."""
    plain = figure.unit is None and figure.value.isdigit() and int(figure.value) < DISTINCT_BELOW
    return figure.value.lower(), figure.unit or "", figure.head if plain else ""


def _figure_facts(doc: Doc, article: Article, sentences: Sequence[Sentence],
                  scores: dict[int, float]) -> list[Fact]:
    """Each figure once, most salient (best-ranked sentence) first, at most eight."""
    found: list[tuple[float, int, Fact]] = []
    seen: set[tuple[str, str, str]] = set()
    for figure in find_figures(doc):
        host = _host(sentences, figure.start, figure.end)
        key = _figure_key(figure)
        if host is None or _is_furniture(host) or key in seen:
            continue
        seen.add(key)
        score = scores.get(host.start, 0.0)
        found.append((score, figure.start, Fact(
            text=article.text[host.show_start:host.end], start=host.show_start, end=host.end,
            kind="number", score=round(score, 3), value=figure.value, unit=figure.unit,
            subject=figure.subject,
        )))
    found.sort(key=lambda item: (-item[0], item[1]))
    return [fact for _, _, fact in found[:MAX_FIGURES]]


def _host(sentences: Sequence[Sentence], start: int, end: int) -> Sentence | None:
    """The sentence that holds ``[start, end)``, found by bisection (sentences are in order)."""
    index = bisect_right(sentences, start, key=lambda s: s.start) - 1
    if index >= 0 and end <= sentences[index].end:
        return sentences[index]
    return None


# --------------------------------------------------------------------------- timeline

def _date_facts(doc: Doc, article: Article, sentences: Sequence[Sentence],
                scores: dict[int, float]) -> list[Fact]:
    """Dated events in time order (unresolved ones after, in text order), each once."""
    dated: list[tuple[tuple[int, int, int], int, Fact]] = []
    undated: list[tuple[int, Fact]] = []
    seen: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for found in find_dates(doc, parse_published(article.published)):
        host = _host(sentences, found.start, found.end)
        if host is None or _is_furniture(host):
            continue
        earlier = seen.setdefault(found.when or found.phrase.lower(), [])
        if any(found.event.lower() == other or is_redundant(host.words, [words])
               for other, words in earlier[-8:]):
            continue
        earlier.append((found.event.lower(), host.words))
        fact = Fact(text=article.text[host.show_start:host.end], start=host.show_start,
                    end=host.end, kind="date", score=round(scores.get(host.start, 0.0), 3),
                    value=found.phrase, subject=found.event or None, when=found.when)
        if found.when is None:
            undated.append((found.start, fact))
        else:
            dated.append((sort_key(found.when), found.start, fact))
    dated.sort(key=lambda item: (item[0], item[1]))
    undated.sort(key=lambda item: item[0])
    return [fact for *_, fact in dated] + [fact for _, fact in undated]


# --------------------------------------------------------------------------- assembly

def _point(article: Article, start: int, end: int, kind: FactKind, score: float,
           referent: str | None = None) -> Fact:
    return Fact(text=article.text[start:end], start=start, end=end, kind=kind,
                score=round(score, 3), referent=referent)


def is_boilerplate(text: str) -> bool:
    """Page furniture that reads like a sentence: comment requests, bylines, credits,
    sign-up and sharing prompts."""
    return bool(_BOILERPLATE_SENTENCE.search(text))


def key_points(doc: Doc, article: Article, entities: Sequence[Entity],
               sentences: Sequence[Sentence] | None = None) -> list[Fact]:
    """The article's own summary if it has one (plus the best body sentences after it),
    otherwise its best-ranked sentences; each key point is its displayed range.

    A key point never is boilerplate, and one that opens with a pronoun either names
    what it stands for (``referent``) or gives way to the next self-contained sentence.
    """
    sentences = body_sentences(doc, article) if sentences is None else sentences
    parsed_end = doc[-1].idx + len(doc[-1].text) if len(doc) else 0
    own = [(s, e) for s, e in _own_summary(article) if e <= parsed_end]
    own_ranges = set(own)
    candidates = [s for s in sentences if s.block == "paragraph"
                  and not any(a <= s.start and s.end <= b for a, b in own_ranges)]
    candidates = candidates or list(sentences)
    referents = Referents.of(entities)
    facts = [_point(article, start, end, "key_point", 1.0 - i / (2 * max(len(own), 1)),
                    referents.before(start, article.text[start:end]))
             for i, (start, end) in enumerate(own)]
    taken = [s.words for s in sentences if any(a <= s.start and s.end <= b for a, b in own)]

    def shown(sentence: Sentence) -> str:
        return article.text[sentence.show_start:sentence.show_end]

    def self_contained(sentence: Sentence) -> bool:
        text = shown(sentence)
        if is_boilerplate(text):
            return False
        return not needs_context(text) or referents.before(sentence.start, text) is not None

    limit = 2 if own else key_point_count(len(candidates))
    kind: FactKind = "sentence" if own else "key_point"
    ranked = rank_sentences(candidates, entities, limit, all_sentences=sentences,
                            taken=taken, accept=self_contained)
    facts += [_point(article, s.show_start, s.show_end, kind, score,
                     referents.before(s.start, shown(s))) for score, s in ranked]
    return facts


def _sentence_scores(sentences: Sequence[Sentence],
                     entities: Sequence[Entity]) -> dict[int, float]:
    """Every sentence's 0..1 score, keyed by its start, to rank figures and dates."""
    if not sentences:
        return {}
    raw = sentence_scores(sentences, entities)
    low, high = min(raw), max(raw)
    scale = high - low or 1.0
    return {s.start: (r - low) / scale for s, r in zip(sentences, raw, strict=True)}


def extract_facts(doc: Doc, article: Article, entities: Sequence[Entity]) -> list[Fact]:
    """Key points (best first), then figures (best first), then dates (in time order)."""
    sentences = body_sentences(doc, article)
    if not sentences:
        return []
    scores = _sentence_scores(sentences, entities)
    return [*key_points(doc, article, entities, sentences),
            *_figure_facts(doc, article, sentences, scores),
            *_date_facts(doc, article, sentences, scores)]

