"""Key facts: the sentences that carry the story, its figures and its timeline.

Everything reads the one shared spaCy parse; the ranking is plain Python over sets of
words, so facts cost milliseconds on top of the parse. The result is ordered the way
the panel shows it: key points (best first), then figures, then dates in time order.

Key points follow how news is written. When the page brings its own summary (bullets
above the body), those bullets are the key points. Otherwise the body's sentences are
ranked: the lead matters most in news, and among the leading sentences the better ones
are dense in the words the rest of the article keeps repeating, name people and figures,
and are neither quotes nor fragments. Near-duplicates (a caption restating the lead) are
skipped.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.analysis.dates import is_point_in_time, parse_published, resolve_date, sort_key
from reader.models import Article, Entity, Fact, FactKind

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

BODY_KINDS = frozenset({"paragraph", "list_item", "blockquote"})
QUOTE_MARKS = frozenset("\"'“”‘’«»„")
NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})
DATE_LABELS = frozenset({"DATE", "TIME"})

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


def _body_ranges(article: Article) -> list[tuple[int, int, str]]:
    """Character ranges of the blocks facts may come from (not headings or captions)."""
    if not article.blocks:
        return [(0, len(article.text), "paragraph")]
    return [(b.start, b.end, b.kind) for b in article.blocks if b.kind in BODY_KINDS]


def _content_words(tokens: Iterable[Token]) -> frozenset[str]:
    return frozenset(t.lower_ for t in tokens
                     if not t.is_stop and (t.is_alpha or t.like_num) and len(t.text) > 1)


def _is_opening_mark(token: Token) -> bool:
    """A quotation mark opens a quote when it hugs the word after it, not the one before."""
    if token.text in "“‘«„":
        return True
    if token.text in "”’»":
        return False
    doc = token.doc
    previous = doc[token.i - 1] if token.i > 0 else None
    before = " " if previous is None or previous.whitespace_ else previous.text[-1]
    after = " " if token.whitespace_ or token.i + 1 >= len(doc) else doc[token.i + 1].text[0]
    return (before.isspace() or before in "([—–-") and not after.isspace()


def _is_quote_mark(token: Token) -> bool:
    return len(token.text) == 1 and token.text in QUOTE_MARKS


def _quoted_share(tokens: Sequence[Token], words: int) -> float:
    """Share of a sentence's words spoken inside quotation marks.

    When the first mark of a sentence closes a quote, the quote began in an earlier
    sentence, so the words up to that mark count as quoted too.
    """
    first_mark = next((t for t in tokens if _is_quote_mark(t)), None)
    if first_mark is None or not words:
        return 0.0
    inside = not _is_opening_mark(first_mark)
    quoted = 0
    for token in tokens:
        if _is_quote_mark(token):
            inside = _is_opening_mark(token)
        elif inside and not token.is_punct:
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


def _attribution_start(tokens: Sequence[Token], quoted: float) -> int | None:
    """Where a trailing attribution (", police said.") begins, if the sentence has one.

    Only a short tail whose verb of saying heads the whole sentence (or an "according
    to") is cut, and never from a quote, where the tail is what makes the words someone's.
    """
    if quoted > 0.2:
        return None
    commas = [i for i, t in enumerate(tokens) if t.text == ","]
    if not commas:
        return None
    comma = commas[-1]
    tail = [t for t in tokens[comma + 1:] if not t.is_punct]
    if not 1 < len(tail) <= 8 or comma < 6:
        return None
    verb = next((t for t in tail if t.lower_ in SPEECH_VERBS), None)
    if verb is None:
        return None
    heads_sentence = verb.dep_ == "ROOT" or verb.lower_ == "according"
    if not heads_sentence or any(t.text in QUOTE_MARKS for t in tail):
        return None
    return int(tokens[comma].idx)


def _make_sentence(doc: Doc, text: str, start: int, end: int, block: str,
                   figure_starts: Sequence[int]) -> Sentence | None:
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    if start >= end:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    tokens = [t for t in span if not t.is_space]
    word_count = sum(1 for t in tokens if not t.is_punct)
    if not word_count:
        return None
    quoted = _quoted_share(tokens, word_count)
    show_start = start + _leading_noise(text[start:end])
    show_end = _attribution_start(tokens, quoted) or end
    if show_end - show_start < (end - start) // 3:
        show_start, show_end = start, end
    return Sentence(
        start=start, end=end, show_start=show_start, show_end=show_end, block=block,
        span=span, words=_content_words(tokens), word_count=word_count,
        quoted_share=quoted,
        figures=bisect_left(figure_starts, end) - bisect_left(figure_starts, start),
    )


def body_sentences(doc: Doc, article: Article) -> list[Sentence]:
    """The parse's sentences cut at block edges, in text order.

    Sentences and blocks both come in text order, so one merge walk pairs them: the
    first block a sentence can touch only ever moves forward, which keeps the cost
    linear in the length of the article.
    """
    ranges = _body_ranges(article)
    figure_starts = [e.start_char for e in doc.ents if e.label_ in NUMBER_LABELS | DATE_LABELS]
    out: list[Sentence] = []
    first = 0
    for sent in doc.sents:
        while first < len(ranges) and ranges[first][1] <= sent.start_char:
            first += 1
        index = first
        while index < len(ranges) and ranges[index][0] < sent.end_char:
            block_start, block_end, kind = ranges[index]
            start, end = max(sent.start_char, block_start), min(sent.end_char, block_end)
            if start < end:
                sentence = _make_sentence(doc, article.text, start, end, kind, figure_starts)
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
                   taken: Sequence[frozenset[str]] = ()) -> list[tuple[float, Sentence]]:
    """The best ``limit`` sentences, best first, none repeating another or ``taken``.

    Scores come back scaled to 0..1 over all candidates so they read as confidence.
    """
    raw = sentence_scores(candidates, entities, all_sentences)
    low, high = min(raw, default=0.0), max(raw, default=0.0)
    scale = high - low or 1.0
    chosen: list[tuple[float, Sentence]] = []
    seen = list(taken)
    for index in sorted(range(len(candidates)), key=lambda i: (-raw[i], i)):
        sentence = candidates[index]
        if is_redundant(sentence.words, seen):
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


# --------------------------------------------------------------------------- phrases

CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp",
                         "parataxis"})
VERB_CHILD_DEPS = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "dobj", "agent", "neg",
                             "prt", "xcomp", "ccomp", "csubj"})
NOUN_MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "case", "nmod", "advmod",
                                "npadvmod", "prep", "pobj", "hyph"})
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
OBJECT_DEPS = ("dobj", "attr", "acomp", "oprd")
FUTURE_AUX = frozenset({"will", "'ll", "’ll", "shall", "wo"})
PRONOUNS = frozenset({"it", "he", "she", "they", "we", "i", "you", "this", "that", "these",
                      "those", "there", "who", "which"})


def _is_verb_like(token: Token) -> bool:
    """Without a tagger, a verb is a token that heads a clause or has a subject or object."""
    return token.dep_ in CLAUSE_DEPS or any(c.dep_ in VERB_CHILD_DEPS for c in token.children)


def _render(tokens: Iterable[Token]) -> str:
    """Tokens as text in sentence order, with a space wherever words were left out."""
    ordered = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    pieces = []
    for position, token in enumerate(ordered):
        adjacent = position + 1 < len(ordered) and ordered[position + 1].i == token.i + 1
        pieces.append(token.text + (token.whitespace_ if adjacent else " "))
    return " ".join("".join(pieces).split()).strip(" ,;:-–—\"'“”‘’")


def _noun_phrase(noun: Token, skip: frozenset[int], max_words: int = 6) -> list[Token]:
    """A noun with the modifiers that say which one it is, without articles or numbers."""
    keep: list[Token] = []

    def walk(token: Token, depth: int) -> None:
        if token.i in skip or token.dep_ in ("det", "nummod", "punct", "relcl", "appos",
                                             "acl", "cc", "conj", "quantmod"):
            return
        keep.append(token)
        for child in token.children:
            if child.dep_ in NOUN_MODIFIER_DEPS and (child.dep_ != "prep" or depth == 0):
                if child.dep_ == "prep" and child.lower_ != "of":
                    continue
                walk(child, depth + 1)

    walk(noun, 0)
    keep = sorted(keep, key=lambda t: t.i)
    while len(keep) > max_words:
        keep = [t for t in keep if t.i != max(keep, key=lambda t: abs(t.i - noun.i)).i]
    return keep


def _governing_verb(token: Token) -> Token | None:
    current = token
    for _ in range(12):
        if current.dep_ != "ROOT" and current.head is not current:
            current = current.head
        if _is_verb_like(current) and current is not token:
            return current
        if current.dep_ == "ROOT":
            return current if _is_verb_like(current) else None
    return None


def _clause_subject(verb: Token, skip: frozenset[int]) -> list[Token]:
    """The clause's subject as a short phrase; a bare pronoun says nothing out of context."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS and child.i not in skip:
            if child.lower_ not in PRONOUNS:
                return _noun_phrase(child, skip, 5)
            if verb.dep_ in ("relcl", "acl"):
                return _noun_phrase(verb.head, skip, 5)
            return []
    if verb.dep_ in ("relcl", "acl"):
        return _noun_phrase(verb.head, skip, 5)
    if verb.dep_ in ("xcomp", "advcl", "conj") and verb.head is not verb:
        return _clause_subject(verb.head, skip) if _is_verb_like(verb.head) else []
    return []


def _verb_group(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < verb.i] \
        + [verb] + [c for c in verb.children if c.dep_ == "prt"]


def _mentions_skipped(token: Token, skip: frozenset[int]) -> bool:
    return any(t.i in skip for t in token.subtree)


def _carries_figure(token: Token) -> bool:
    return any(t.ent_type_ in NUMBER_LABELS or t.ent_type_ in DATE_LABELS for t in token.subtree)


def _event(verb: Token, skip: frozenset[int], max_words: int = 12) -> str:
    """A short "who did what" for a clause: subject, verb, object or first phrase."""
    parts = _clause_subject(verb, skip) + _verb_group(verb)
    complements = [c for c in verb.children if c.dep_ in OBJECT_DEPS and c.i not in skip]
    if complements:
        parts += _noun_phrase(complements[0], skip)
    prep = next((c for c in verb.children if c.dep_ in ("prep", "agent")
                 and not _mentions_skipped(c, skip) and not _carries_figure(c)
                 and any(g.dep_ == "pobj" for g in c.children)), None)
    if prep is not None and len(parts) < max_words - 2:
        pobj = next(g for g in prep.children if g.dep_ == "pobj")
        parts += [prep, *_noun_phrase(pobj, skip, 4)]
    return _clip_words(_render(parts), max_words)


def _clip_words(text: str, limit: int) -> str:
    words = text.split()
    return " ".join(words[:limit]) if len(words) > limit else text


FORWARD_WORDS = frozenset({"until", "till", "next", "into", "before", "by"})


def _points_ahead(span: Span) -> bool:
    """"until Friday", "into April", "next week": the date lies ahead of the telling."""
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    return before in FORWARD_WORDS or span[0].lower_ == "next"


def _is_future(verb: Token) -> bool:
    """Whether a clause speaks of what will happen ("will be confirmed on Friday")."""
    current: Token | None = verb
    for _ in range(4):
        if current is None:
            break
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in FUTURE_AUX
               for c in current.children):
            return True
        if any(c.lower_ == "going" for c in current.children) or current.lower_ == "going":
            return True
        current = current.head if current.dep_ in ("xcomp", "conj") else None
    return False


# --------------------------------------------------------------------------- figures

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}
SCALE_WORDS = {"hundred": 100, "thousand": 1000}
LARGE_SCALES = ("million", "billion", "trillion")
CURRENCY_MARKS = ("$", "£", "€", "¥", "₹", "US$", "A$", "C$", "HK$")
CURRENCY_WORDS = frozenset({"dollars", "dollar", "euros", "euro", "pounds sterling", "yen",
                            "yuan", "rupees", "francs", "cents", "pence", "roubles", "rubles"})
PEOPLE_NOUNS = frozenset("""
people persons person men women children kids babies adults teenagers students pupils
officers officials soldiers troops workers employees staff patients residents citizens
civilians migrants refugees passengers victims voters members fans players protesters
demonstrators diplomats spies agents police policemen firefighters doctors nurses teachers
journalists reporters prisoners inmates suspects survivors casualties dead injured wounded
families households users customers visitors tourists athletes delegates lawmakers
senators candidates divorcees retirees pensioners crew sailors pilots miners fighters
militants rebels hostages pilgrims worshippers guests viewers readers subscribers
respondents adults participants volunteers experts scientists researchers immigrants
asylum-seekers deaths fatalities individuals directors executives managers
""".split())
QUANTITY_UNITS = (
    ("distance", ("km", "kilometre", "kilometer", "mile", "metre", "meter", "feet", "foot",
                  "ft", "yard", "inch", "cm", "mm", "nautical")),
    ("area", ("acre", "hectare", "square", "sq")),
    ("weight", ("kg", "kilogram", "tonne", "ton", "pound", "lb", "ounce", "oz", "gram", "g")),
    ("volume", ("litre", "liter", "gallon", "barrel", "cubic", "ml")),
    ("speed", ("mph", "km/h", "kph", "knot")),
    ("temperature", ("degree", "°c", "°f", "celsius", "fahrenheit")),
    ("energy", ("mw", "gw", "kw", "megawatt", "gigawatt", "kilowatt", "kwh")),
)
_PERCENT = re.compile(r"^(?P<number>.+?)\s*(?:%|per\s*cent|percent|pc)$", re.I)
_RANGE = re.compile(r"^(?P<low>.+?)\s+(?:to|and|-|–)\s+(?P<high>.+)$")


def _words_to_number(text: str) -> str:
    """"eight" -> "8", "twenty-five" -> "25", "two million" -> "2 million"; else as is."""
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w and w != "and"]
    if words and words[0] in ("a", "an") and len(words) > 1:
        words = ["one", *words[1:]]
    large = words.pop() if words and words[-1] in LARGE_SCALES and len(words) > 1 else None
    if not words or not all(w in NUMBER_WORDS or w in SCALE_WORDS for w in words):
        return text
    total, current = 0, 0
    for word in words:
        if word in SCALE_WORDS:
            current = max(current, 1) * SCALE_WORDS[word]
            if SCALE_WORDS[word] >= 1000:
                total, current = total + current, 0
        else:
            current += NUMBER_WORDS[word]
    value = str(total + current)
    return f"{value} {large}" if large else value


def _figure_value(text: str) -> str:
    text = " ".join(text.split())
    percent = _PERCENT.match(text)
    if percent:
        return f"{_words_to_number(percent['number'])}%"
    return _words_to_number(text)


@dataclass(frozen=True)
class _Figure:
    start: int
    end: int
    value: str
    tokens: tuple[int, ...]
    label: str


_BARE_RANGE = re.compile(r"\d[\d,.]*\s+(?:to|and|-|–)\s+\d[\d,.]*")


def _is_bare_range(ent: Span) -> bool:
    """"20 to 10" that the model calls a DATE: two plain numbers, neither a year."""
    if ent.label_ != "DATE" or not _BARE_RANGE.fullmatch(ent.text):
        return False
    return not any(re.fullmatch(r"(?:1[5-9]|20|21)\d\d", n) for n in re.findall(r"\d+",
                                                                                ent.text))


def _figure_spans(doc: Doc) -> list[_Figure]:
    """Number entities, with "one in five", "from 20 to 10" and "£ 2,100" made whole."""
    ents = [e for e in doc.ents if e.label_ in NUMBER_LABELS or _is_bare_range(e)]
    out: list[_Figure] = []
    skip_next = False
    for index, ent in enumerate(ents):
        if skip_next:
            skip_next = False
            continue
        start_tok, end_tok = ent.start, ent.end
        following = ents[index + 1] if index + 1 < len(ents) else None
        joiner = doc[end_tok:following.start].text.lower() if following is not None else ""
        if following is not None and joiner in ("to", "and", "in", "out of", "-", "–"):
            end_tok, skip_next = following.end, True
        if start_tok > 0 and doc[start_tok - 1].text in CURRENCY_MARKS:
            start_tok -= 1
        span = doc[start_tok:end_tok]
        value = _range_value(span, joiner if skip_next else "")
        label = "PERCENT" if _PERCENT.match(span.text) else \
            ("CARDINAL" if _is_bare_range(ent) else ent.label_)
        if label != "PERCENT" and any(span.text.startswith(m) for m in CURRENCY_MARKS):
            label = "MONEY"
        out.append(_Figure(span.start_char, span.end_char, value,
                           tuple(range(start_tok, end_tok)), label))
    return out


def _range_value(span: Span, joiner: str) -> str:
    """"20 → 10" for a change ("from 20 to 10"), "20–30" for a range; else the figure."""
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    text = span.text
    if joiner == "in":
        return text
    match = _RANGE.match(text)
    if match:
        low, high = _figure_value(match["low"]), _figure_value(match["high"])
        if before == "from" and " to " in f" {text} ":
            return f"{low} → {high}"
        return f"{low}–{high}"
    return _figure_value(text)


def _is_noise_figure(figure: _Figure, doc: Doc, article_text: str) -> bool:
    """Years written as numbers, ages after a name ("Lane, 22,"), "one" as a pronoun."""
    text = article_text[figure.start:figure.end]
    tokens = [doc[i] for i in figure.tokens]
    if re.fullmatch(r"(?:1[5-9]|20|21)\d\d", text):
        return True
    if text.lower() == "one" and tokens[-1].dep_ not in ("nummod", "quantmod"):
        return True
    if text.isdigit() and int(text) <= 120 and tokens[0].i > 0:
        previous, after = doc[tokens[0].i - 1], tokens[-1].nbor() if \
            tokens[-1].i + 1 < len(doc) else None
        if previous.text == "," and after is not None and after.text in (",", ".", ")"):
            return True
    return False


def _counted_noun(root: Token, skip: frozenset[int]) -> tuple[Token, Token] | None:
    """The noun a number counts, and the token whose role in the clause it takes.

    "eight officers": the number modifies the noun, which fills the clause itself.
    "tens of thousands of people", "one in five divorcees": the number heads the phrase
    and the counted noun hangs from it by "of" or "in".
    """
    current = root
    for _ in range(3):
        if current.dep_ in ("nummod", "quantmod") and current.head is not current:
            current = current.head
        else:
            break
    if current is not root and current.i not in skip:
        return current, current
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "in", "out"):
            pobj = next((g for g in child.subtree if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.i not in skip:
                return pobj, root
    return None


def _role_verb(carrier: Token) -> list[Token]:
    """The verb a counted noun is subject or object of, to say what happened to it."""
    verb = carrier.head
    if carrier.dep_ in ("dobj", "nsubjpass") and _is_verb_like(verb):
        return [verb]
    if carrier.dep_ == "nsubj" and _is_verb_like(verb):
        return _verb_group(verb)
    return []


def _figure_subject(figure: _Figure, doc: Doc) -> tuple[str, Token | None]:
    """What a figure counts or measures, and the noun it counts if there is one."""
    skip = frozenset(figure.tokens)
    root = doc[figure.tokens[0]:figure.tokens[-1] + 1].root
    counted = _counted_noun(root, skip)
    if counted is not None:
        noun, carrier = counted
        words = [_render(_noun_phrase(noun, skip)), _render(_role_verb(carrier))]
        return _clip_words(" ".join(w for w in words if w), 10), noun
    head = root.head
    if root.dep_ == "pobj" and head.dep_ in ("prep", "agent", "dative"):
        owner = head.head
        if _is_verb_like(owner):
            changed = next((c for c in owner.children if c.dep_ == "dobj"
                            and not _mentions_skipped(c, skip)), None)
            if changed is not None:
                return _clip_words(_render(_noun_phrase(changed, skip)), 10), None
            return _event(owner, skip, 8), None
        return _clip_words(_render(_noun_phrase(owner, skip)), 10), None
    verb = root if _is_verb_like(root) and root.dep_ == "ROOT" else _governing_verb(root)
    if verb is None:
        return "", None
    return _event(verb, skip, 10), None


def _unit(figure: _Figure, article_text: str, noun: Token | None) -> str:
    text = article_text[figure.start:figure.end].lower()
    if figure.label == "PERCENT":
        return "percent"
    if figure.label == "MONEY" or any(w in text for w in CURRENCY_WORDS):
        return "money"
    if figure.label == "QUANTITY":
        words = re.findall(r"[a-z°/]+", text)
        for unit, markers in QUANTITY_UNITS:
            if any(w.rstrip("s") in markers or w in markers for w in words):
                return unit
        return "quantity"
    if noun is not None and (noun.lower_ in PEOPLE_NOUNS or noun.ent_type_ == "NORP"
                             or noun.lower_.endswith(("ists", "ians"))):
        return "people"
    return "count"


def _figure_facts(doc: Doc, article: Article, sentences: Sequence[Sentence],
                  scores: dict[int, float]) -> list[Fact]:
    found: list[tuple[float, int, Fact]] = []
    seen: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for figure in _figure_spans(doc):
        host = _host(sentences, figure.start, figure.end)
        if host is None or _is_noise_figure(figure, doc, article.text):
            continue
        subject, noun = _figure_subject(figure, doc)
        earlier = seen.setdefault(figure.value.lower(), [])
        if any(subject.lower() == other or is_redundant(host.words, [words])
               for other, words in earlier):
            continue  # the same figure again, or restated (a caption repeating the lead)
        earlier.append((subject.lower(), host.words))
        score = scores.get(host.start, 0.0)
        found.append((score, figure.start, Fact(
            text=article.text[host.show_start:host.end], start=host.show_start, end=host.end,
            kind="number", score=round(score, 3), value=figure.value,
            unit=_unit(figure, article.text, noun), subject=subject or None,
        )))
    found.sort(key=lambda item: (-item[0], item[1]))
    return [fact for _, _, fact in found]


def _host(sentences: Sequence[Sentence], start: int, end: int) -> Sentence | None:
    """The sentence that holds ``[start, end)``, found by bisection (sentences are in order)."""
    index = bisect_right(sentences, start, key=lambda s: s.start) - 1
    if index >= 0 and end <= sentences[index].end:
        return sentences[index]
    return None


# --------------------------------------------------------------------------- timeline

def _date_spans(doc: Doc) -> list[Span]:
    """DATE and TIME entities, cut at a dash: the tagger sometimes runs "Friday - exactly
    eight weeks" together, and only the part before the dash names the day."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in DATE_LABELS or _is_bare_range(ent):
            continue
        dash = next((t.i for t in ent if t.text in ("-", "–", "—", "--") and t.whitespace_), None)
        out.append(doc[ent.start:dash] if dash is not None and dash > ent.start else ent)
    return out


def _date_facts(doc: Doc, article: Article, sentences: Sequence[Sentence],
                scores: dict[int, float]) -> list[Fact]:
    published = parse_published(article.published)
    dated: list[tuple[tuple[int, int, int], int, Fact]] = []
    undated: list[tuple[int, Fact]] = []
    seen: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for span in _date_spans(doc):
        host = _host(sentences, span.start_char, span.end_char)
        if host is None or not is_point_in_time(span.text):
            continue
        verb = _governing_verb(span.root)
        future = (verb is not None and _is_future(verb)) or _points_ahead(span)
        when = resolve_date(span.text, published, future=future)
        subject = _event(verb, frozenset(range(span.start, span.end))) if verb else ""
        earlier = seen.setdefault(when or span.text.lower(), [])
        if any(subject.lower() == other or is_redundant(host.words, [words])
               for other, words in earlier):
            continue
        earlier.append((subject.lower(), host.words))
        fact = Fact(text=article.text[host.show_start:host.end], start=host.show_start,
                    end=host.end, kind="date", score=round(scores.get(host.start, 0.0), 3),
                    value=span.text, subject=subject or None, when=when)
        if when is None:
            undated.append((span.start_char, fact))
        else:
            dated.append((sort_key(when), span.start_char, fact))
    dated.sort(key=lambda item: (item[0], item[1]))
    undated.sort(key=lambda item: item[0])
    return [fact for *_, fact in dated] + [fact for _, fact in undated]


# --------------------------------------------------------------------------- assembly

def _point(article: Article, start: int, end: int, kind: FactKind, score: float) -> Fact:
    return Fact(text=article.text[start:end], start=start, end=end, kind=kind,
                score=round(score, 3))


def key_points(doc: Doc, article: Article, entities: Sequence[Entity],
               sentences: Sequence[Sentence] | None = None) -> list[Fact]:
    """The article's own summary if it has one (plus the best body sentences after it),
    otherwise its best-ranked sentences; each key point is its displayed range."""
    sentences = body_sentences(doc, article) if sentences is None else sentences
    parsed_end = doc[-1].idx + len(doc[-1].text) if len(doc) else 0
    own = [(s, e) for s, e in _own_summary(article) if e <= parsed_end]
    own_ranges = set(own)
    candidates = [s for s in sentences if s.block == "paragraph"
                  and not any(a <= s.start and s.end <= b for a, b in own_ranges)]
    candidates = candidates or list(sentences)
    facts = [_point(article, start, end, "key_point", 1.0 - i / (2 * max(len(own), 1)))
             for i, (start, end) in enumerate(own)]
    taken = [s.words for s in sentences if any(a <= s.start and s.end <= b for a, b in own)]
    if own:
        ranked = rank_sentences(candidates, entities, 2, all_sentences=sentences, taken=taken)
        kind: FactKind = "sentence"
    else:
        ranked = rank_sentences(candidates, entities, key_point_count(len(candidates)),
                                all_sentences=sentences)
        kind = "key_point"
    facts += [_point(article, s.show_start, s.show_end, kind, score) for score, s in ranked]
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

