"""How several outlets covered one story: each outlet's summary, and what differs.

Works on articles already analysed (:class:`reader.models.Annotated`): no parse, no
model, plain Python over their entities, quotes and figures, so comparing five articles
costs a few milliseconds (``tests/benchmarks/bench_compare.py``).

What differs, and how "the same" is decided across outlets:

- People and organisations only some outlets mention: names are matched without case,
  a leading "the" or a possessive; a person named in full by one outlet and by surname
  only by another ("Maria Okafor", "Okafor") is one person.
- Quotes only one outlet carries: two quotes are the same words when most of the
  shorter one's words appear in the longer, so a partial quote ("a betrayal") matches the
  full sentence it was cut from.
- Figures that disagree: two figures are about the same thing when they measure the
  same kind of quantity (a count, a currency, a percentage, a measure) and their
  subjects share most of their content words ("Russian officers expelled", "officers
  expelled"); they disagree when their amounts cannot both be true
  (:mod:`reader.stories.numbers`: "8" and "seven" disagree, "£3m" and "£3.2m" do not).
  When unsure, figures are not paired: a false disagreement is worse than a missed one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any
from urllib.parse import unquote, urlsplit

from reader.analysis.figures import NUMBER_WORDS
from reader.models import Annotated, Quote
from reader.stories.numbers import SCALES, Amount, parse_amount

SCHEMA = "reader.coverage/1"
COMPARED_LABELS = frozenset({"PERSON", "ORG"})
"""The issue asks for people and organisations; places are the story's setting."""
QUOTE_OVERLAP = 0.7
"""Share of the shorter quote's words found in the longer one for the two to be one quote."""
SUBJECT_OVERLAP = 0.5
"""Jaccard overlap of two figures' subject words for them to count the same thing."""
CONTEXT_OVERLAP = 0.4
"""Jaccard overlap of the two sentences' words when the subjects alone do not decide."""
CONTRASTS: tuple[tuple[str, ...], ...] = (
    ("kill", "dead", "died", "die", "death", "fatal"),
    ("injur", "wound", "hurt", "hospitali"),
    ("arrest", "detain", "detention"), ("miss",), ("evacuat", "displac"), ("rescu",),
    ("rise", "rose", "risen", "increas", "gain", "grew", "grow"),
    ("fell", "fall", "fallen", "drop", "dropp", "decreas", "declin", "cut", "shrank"),
    ("won", "win", "winn"), ("lost", "lose", "loss", "los"),
    ("support", "favour", "favor"), ("oppos", "against"),
)
"""Outcomes that are never the same count: the dead and the injured, winners and losers.
Stems: a short one must be the whole (stemmed) word, a long one its start."""
STOPWORDS = frozenset("""
a an the of in on at to for by with from and or but as than that this these those its
their his her our your my is are was were be been being has have had do does did will
would could should may might can into over about after before more less up down out who
which what when where while it they he she we you i them him us all some any each per
said says say told according also just
""".split()) | frozenset(NUMBER_WORDS) | frozenset(SCALES)


@dataclass(frozen=True)
class Speaker:
    """Someone an outlet quotes, with how many of its quotes are theirs."""

    name: str
    kind: str
    """"named" or "unnamed" (as the quote extractor says)."""
    quotes: int


@dataclass(frozen=True)
class KeyFigure:
    """A figure of one outlet as its Numbers panel shows it."""

    value: str
    unit: str | None
    subject: str
    sentence: str
    amount: Amount | None

    @property
    def label(self) -> str:
        """"8 — inspectors found": the value as written (its unit included), then what."""
        return f"{self.value} — {self.subject}" if self.subject else self.value


@dataclass(frozen=True)
class Outlet:
    """One article of the story, summarised."""

    index: int
    name: str
    title: str
    url: str | None
    published: str | None
    words: int
    minutes: int
    named_sources: int
    unnamed_sources: int
    unattributed_quotes: int
    quotes: int
    speakers: tuple[Speaker, ...]
    figures: tuple[KeyFigure, ...]


@dataclass(frozen=True)
class OnlySome:
    """A person or organisation some outlets mention and others do not."""

    name: str
    label: str
    outlets: tuple[int, ...]
    """Indexes of the outlets that mention it."""


@dataclass(frozen=True)
class UniqueQuote:
    outlet: int
    text: str
    speaker: str | None


@dataclass(frozen=True)
class Claim:
    """What one outlet says a figure is."""

    outlet: int
    value: str
    subject: str
    sentence: str


@dataclass(frozen=True)
class Disagreement:
    """Outlets give different figures for the same thing."""

    subject: str
    unit: str
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class Coverage:
    outlets: tuple[Outlet, ...]
    only_some: tuple[OnlySome, ...]
    unique_quotes: tuple[UniqueQuote, ...]
    disagreements: tuple[Disagreement, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "outlets": [_outlet_dict(o) for o in self.outlets],
            "only_some": [{"name": e.name, "label": e.label, "outlets": list(e.outlets)}
                          for e in self.only_some],
            "unique_quotes": [{"outlet": q.outlet, "text": q.text, "speaker": q.speaker}
                              for q in self.unique_quotes],
            "figures_disagree": [
                {"subject": d.subject, "unit": d.unit or None,
                 "claims": [{"outlet": c.outlet, "value": c.value, "subject": c.subject,
                             "sentence": c.sentence} for c in d.claims]}
                for d in self.disagreements],
        }


def _outlet_dict(outlet: Outlet) -> dict[str, Any]:
    return {
        "outlet": outlet.name, "title": outlet.title, "url": outlet.url,
        "published": outlet.published, "words": outlet.words,
        "sources": {"named": outlet.named_sources, "unnamed": outlet.unnamed_sources,
                    "unattributed_quotes": outlet.unattributed_quotes},
        "quotes": outlet.quotes,
        "quoted": [{"speaker": s.name, "kind": s.kind, "quotes": s.quotes}
                   for s in outlet.speakers],
        "figures": [{"value": f.value, "unit": f.unit, "subject": f.subject,
                     "number": f.amount.shown if f.amount else None} for f in outlet.figures],
    }


# --------------------------------------------------------------------------- outlets

def outlet_name(annotated: Annotated) -> str:
    """The site, else the web host, else the file's name: what a reader calls the source."""
    article = annotated.article
    if article.site:
        return article.site
    url = article.url or ""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.hostname:
        host = parts.hostname
        return host[4:] if host.startswith("www.") else host
    if parts.scheme == "file":
        return PurePath(unquote(parts.path)).name or url
    return article.title[:40] or "untitled"


def _speakers(quotes: Sequence[Quote]) -> tuple[Speaker, ...]:
    counts: dict[tuple[str, str], int] = {}
    shown: dict[tuple[str, str], str] = {}
    for quote in quotes:
        if not quote.speaker or quote.speaker_kind == "unknown":
            continue
        key = (_norm_name(quote.speaker), quote.speaker_kind)
        counts[key] = counts.get(key, 0) + 1
        shown.setdefault(key, quote.speaker)
    order = sorted(counts, key=lambda k: (k[1] != "named", -counts[k]))
    return tuple(Speaker(shown[k], k[1], counts[k]) for k in order)


def summarise(annotated: Annotated, index: int) -> Outlet:
    article = annotated.article
    speakers = _speakers(annotated.quotes)
    figures = tuple(
        KeyFigure(f.value or "", f.unit, f.subject or "", f.text,
                  parse_amount(f.value, f.unit) if f.value else None)
        for f in annotated.facts if f.kind == "number" and f.value)
    return Outlet(
        index=index, name=outlet_name(annotated), title=article.title, url=article.url,
        published=article.published, words=article.word_count,
        minutes=article.reading_minutes,
        named_sources=sum(1 for s in speakers if s.kind == "named"),
        unnamed_sources=sum(1 for s in speakers if s.kind == "unnamed"),
        unattributed_quotes=sum(1 for q in annotated.quotes
                                if not q.speaker or q.speaker_kind == "unknown"),
        quotes=len(annotated.quotes), speakers=speakers, figures=figures)


# --------------------------------------------------------------------------- entities

def _norm_name(name: str) -> str:
    name = re.sub(r"[’']s$", "", name.strip())
    name = re.sub(r"^the\s+", "", name, flags=re.I)
    return " ".join(re.findall(r"\w+", name.casefold()))


def _only_some(items: Sequence[Annotated]) -> tuple[OnlySome, ...]:
    """People and organisations not every outlet mentions, most mentioned first."""
    found: dict[tuple[str, str], set[int]] = {}
    shown: dict[tuple[str, str], str] = {}
    weight: dict[tuple[str, str], int] = {}
    surnames: dict[str, set[tuple[str, str]]] = {}
    for index, annotated in enumerate(items):
        for entity in annotated.entities:
            if entity.label not in COMPARED_LABELS:
                continue
            key = (_norm_name(entity.name), entity.label)
            if not key[0]:
                continue
            found.setdefault(key, set()).add(index)
            weight[key] = weight.get(key, 0) + len(entity.mentions)
            if len(shown.get(key, "")) < len(entity.name):
                shown[key] = entity.name
            if entity.label == "PERSON" and " " in key[0]:
                surnames.setdefault(key[0].split()[-1], set()).add(key)
    # "Okafor" alone is the "Maria Okafor" another outlet names, when only one person
    # of that surname appears in the story.
    for key in list(found):
        name, label = key
        if label != "PERSON" or " " in name:
            continue
        full = surnames.get(name, set())
        if len(full) == 1:
            target = next(iter(full))
            found[target] |= found.pop(key)
            weight[target] += weight.pop(key)
    everyone = set(range(len(items)))
    partial = [k for k, outlets in found.items() if outlets != everyone]
    partial.sort(key=lambda k: (-len(found[k]), -weight[k], shown[k]))
    return tuple(OnlySome(shown[k], k[1], tuple(sorted(found[k]))) for k in partial)


# --------------------------------------------------------------------------- quotes

def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _same_quote(a: list[str], b: set[str], b_len: int) -> bool:
    if not a or not b:
        return False
    if len(a) <= b_len:
        return sum(1 for w in a if w in b) >= QUOTE_OVERLAP * len(a)
    return False


def _unique_quotes(items: Sequence[Annotated]) -> tuple[UniqueQuote, ...]:
    """Quotes that no other outlet carries (the same words, in part or in full)."""
    words = [[(_words(q.text), set(_words(q.text)), q) for q in a.quotes] for a in items]
    out: list[UniqueQuote] = []
    for index, quotes in enumerate(words):
        for seq, bag, quote in quotes:
            if not seq:
                continue
            elsewhere = any(
                _same_quote(seq, other_bag, len(other_seq))
                or _same_quote(other_seq, bag, len(seq))
                for other, other_quotes in enumerate(words) if other != index
                for other_seq, other_bag, _ in other_quotes)
            if not elsewhere:
                out.append(UniqueQuote(index, quote.text, quote.speaker))
    return tuple(out)


# --------------------------------------------------------------------------- figures

def _stem(word: str) -> str:
    for suffix, keep in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ing", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + keep
    return word


def subject_words(subject: str) -> frozenset[str]:
    """The content words of a figure's subject, roughly stemmed ("officers expelled" and
    "officer expels" give the same words)."""
    return frozenset(_stem(w) for w in _words(subject)
                     if w not in STOPWORDS and not w.isdigit())


def _contrast(words: frozenset[str]) -> set[int]:
    """Which outcome groups the words name ("killed" and "injured" are never one count)."""
    return {n for n, stems in enumerate(CONTRASTS) for w in words for stem in stems
            if w == stem or (len(stem) >= 5 and w.startswith(stem))}


def same_thing(a: frozenset[str], b: frozenset[str], a_context: frozenset[str] = frozenset(),
               b_context: frozenset[str] = frozenset()) -> bool:
    """Two figures count the same thing.

    Their subjects must share a word and name the same outcome, if any (killed, injured;
    one naming an outcome the other does not is not the same count either). Then either
    the subjects agree on two words or more — most of their words in common, or all the
    words of the shorter — or the sentences around them tell the same fact (most of their
    words in common): when outlets chose different verbs ("eight inspectors found
    cracks", "seven inspectors discovered cracks"), and always when the subjects share one
    word only, since one word ("people", "countries") says little of what is counted.
    """
    shared = len(a & b)
    if not shared:
        return False
    if _contrast(a) != _contrast(b):
        return False  # "killed" and "injured", or "votes against" and all "votes"
    if shared >= 2 and (shared / len(a | b) >= SUBJECT_OVERLAP
                        or shared == min(len(a), len(b))):
        return True
    if a_context and b_context:
        return len(a_context & b_context) / len(a_context | b_context) >= CONTEXT_OVERLAP
    return False


@dataclass(frozen=True)
class _Told:
    outlet: int
    figure: KeyFigure
    amount: Amount
    words: frozenset[str]
    context: frozenset[str]


def _matches(group: list[_Told], told: _Told) -> bool:
    return any(m.amount.unit == told.amount.unit
               and same_thing(m.words, told.words, m.context, told.context) for m in group)


def _disagreements(outlets: Sequence[Outlet]) -> tuple[Disagreement, ...]:
    """Groups of figures about the same thing in which two outlets' figures cannot both
    be true. A group where one outlet itself gives two different figures is left out: it
    is then unclear which figure answers which."""
    groups: list[list[_Told]] = []
    for outlet in outlets:
        for figure in outlet.figures:
            words = subject_words(figure.subject)
            if figure.amount is None or not words:
                continue
            told = _Told(outlet.index, figure, figure.amount, words,
                         subject_words(figure.sentence))
            group = next((g for g in groups if _matches(g, told)), None)
            if group is None:
                groups.append([told])
            else:
                group.append(told)
    out: list[Disagreement] = []
    for group in groups:
        pairs = [(a, b) for i, a in enumerate(group) for b in group[i + 1:]]
        if any(a.outlet == b.outlet and not a.amount.agrees(b.amount) for a, b in pairs):
            continue
        if not any(a.outlet != b.outlet and not a.amount.agrees(b.amount) for a, b in pairs):
            continue
        subject = min((t.figure.subject for t in group), key=len)
        out.append(Disagreement(subject, group[0].amount.unit, tuple(
            Claim(t.outlet, t.figure.value, t.figure.subject, t.figure.sentence)
            for t in group)))
    return tuple(out)


# --------------------------------------------------------------------------- all

def compare(items: Sequence[Annotated]) -> Coverage:
    """Each outlet's summary and what differs between them (two or more articles)."""
    if len(items) < 2:
        raise ValueError("comparing needs two or more articles")
    outlets = tuple(summarise(a, i) for i, a in enumerate(items))
    return Coverage(outlets=outlets, only_some=_only_some(items),
                    unique_quotes=_unique_quotes(items),
                    disagreements=_disagreements(outlets))

