"""The dated events of an article: each date phrase, where it falls, and what happened.

A timeline entry is the date as the article writes it, the date it resolves to against
the publication date (``dates.resolve_date``), and the event as a short clause from the
parse (``clauses.event``), which keeps the clause's negation and modality: an entry
that drops the "not" of "pleaded not guilty" says the opposite of the article.
Which entries reach the panel, and in what order, is decided in ``facts``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.analysis import nlp
from reader.analysis.clauses import (
    SUBJECT_DEPS,
    event,
    governing_verb,
    is_future,
    negated_ancestor,
)
from reader.analysis.dates import is_point_in_time, resolve_date
from reader.analysis.figures import is_bare_range

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

DATE_LABELS = frozenset({"DATE", "TIME"})
FORWARD_WORDS = frozenset({"until", "till", "next", "into", "before", "by"})


@dataclass(frozen=True)
class Dated:
    """A date phrase in the text, the ISO date it resolves to, and the event on it."""

    start: int
    end: int
    phrase: str
    when: str | None
    event: str


def date_spans(doc: Doc) -> list[Span]:
    """DATE and TIME entities, cut at a dash: the tagger sometimes runs "Friday - exactly
    eight weeks" together, and only the part before the dash names the day."""
    out = []
    for ent in nlp.doc_ents(doc):
        if ent.label_ not in DATE_LABELS or is_bare_range(ent):
            continue
        dash = next((t.i for t in ent if t.text in ("-", "–", "—", "--") and t.whitespace_), None)
        out.append(doc[ent.start:dash] if dash is not None and dash > ent.start else ent)
    return out


def points_ahead(span: Span) -> bool:
    """"until Friday", "into April", "next week": the date lies ahead of the telling."""
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    return before in FORWARD_WORDS or span[0].lower_ == "next"


def _clause_verb(span: Span) -> Token | None:
    """The verb of the clause a date belongs to; a bare gerund or participle in a noun's
    phrase ("evidence of tampering on Tuesday") gives way to the clause around it."""
    verb = governing_verb(span.root)
    for _ in range(4):
        if verb is None or verb.dep_ not in ("pcomp", "acl") or any(
                c.dep_ in SUBJECT_DEPS or c.dep_ in ("aux", "auxpass") for c in verb.children):
            return verb
        above = governing_verb(verb)
        if above is None:
            return verb
        verb = above
    return verb


def find_dates(doc: Doc, published: dt.date | None) -> list[Dated]:
    """Every date phrase that names a point in time, with its event, in text order."""
    out: list[Dated] = []
    for span in date_spans(doc):
        if not is_point_in_time(span.text):
            continue
        verb = _clause_verb(span)
        future = (verb is not None and is_future(verb)) or points_ahead(span)
        skip = frozenset(range(span.start, span.end))
        clause = ""
        if verb is not None:
            clause = event(negated_ancestor(verb) or verb, skip)
        out.append(Dated(start=span.start_char, end=span.end_char, phrase=span.text,
                         when=resolve_date(span.text, published, future=future),
                         event=clause))
    return out
