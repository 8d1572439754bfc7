"""Key points that lean on the sentence before them, and who their pronoun stands for.

A key point is read out of context, so one that opens "He also halved ..." or "This
comes after ..." leaves the reader guessing. A personal pronoun ("he", "her") or "its"
can be given its referent: the person (of a fitting gender) or organisation the article
named most recently before the sentence. What "it", "they", "this" or "the move" stand
for is usually an event or a group the parse cannot name reliably, so such a sentence
is passed over for a self-contained one instead (``facts.key_points``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reader.analysis.names import given_name_gender
from reader.models import Entity

PERSON_PRONOUNS = {"he": "male", "him": "male", "his": "male", "she": "female",
                   "her": "female", "hers": "female"}
THING_PRONOUNS = frozenset({"its"})
OTHER_PRONOUNS = frozenset({"it", "they", "them", "their", "theirs", "this", "that", "these",
                            "those"})
ANAPHORIC_NOUNS = frozenset({
    "move", "decision", "incident", "deal", "announcement", "comments", "remarks", "plan",
    "change", "changes", "claim", "claims", "findings", "news", "step", "ruling", "verdict",
    "attack", "case", "report", "statement", "measure", "proposal", "agreement", "episode",
    "latter", "former", "same", "pair", "couple", "duo", "trio", "row", "scandal",
    "development", "revelation", "discovery", "result", "outcome", "policy", "law", "bill",
})
"""Nouns that, after "The" at the start of a sentence, point back to something told
before ("The move", "The pair"); a key point opening so needs its context."""
RECENT_MENTIONS = 12
"""How many name mentions back a pronoun may reach."""
THING_LABELS = frozenset({"ORG", "GPE", "NORP", "PRODUCT", "FAC"})
_WORD = re.compile(r"[A-Za-z']+")


def opening_words(text: str) -> list[str]:
    """The first two words of a sentence, lower case, past opening quotes and dashes."""
    return [w.lower() for w in _WORD.findall(text.lstrip(" \"'“‘(-—–"))[:2]]


def needs_context(text: str) -> bool:
    """Whether a sentence opens with a pronoun, a demonstrative or "The move"."""
    words = opening_words(text)
    if not words:
        return False
    first = words[0]
    if first in PERSON_PRONOUNS or first in THING_PRONOUNS or first in OTHER_PRONOUNS:
        return True
    return first == "the" and len(words) > 1 and words[1] in ANAPHORIC_NOUNS


def _fits(entity: Entity, gender: str) -> bool:
    """A person a "he"/"she" can stand for: named with a known given name of that gender
    (which also keeps out organisations and words the model took for names)."""
    words = entity.name.split()
    found = given_name_gender(words[0]) if len(words) >= 2 else None
    return found in ("either", gender)


@dataclass(frozen=True)
class Referents:
    """Where the article names people and organisations, to look back from a sentence."""

    people: tuple[tuple[int, Entity], ...]
    things: tuple[tuple[int, Entity], ...]

    @classmethod
    def of(cls, entities: Sequence[Entity]) -> Referents:
        def mentions(labels: frozenset[str]) -> tuple[tuple[int, Entity], ...]:
            found = [(m.start, e) for e in entities if e.label in labels for m in e.mentions]
            return tuple(sorted(found, key=lambda item: item[0]))

        return cls(people=mentions(frozenset({"PERSON"})), things=mentions(THING_LABELS))

    def before(self, start: int, text: str) -> str | None:
        """The referent of ``text``'s opening pronoun, read back from ``start``; None when
        the sentence needs none or the article gives no fitting name before it."""
        words = opening_words(text)
        if not words or not needs_context(text):
            return None
        first = words[0]
        if first in PERSON_PRONOUNS:
            return _latest(self.people, start, lambda e: _fits(e, PERSON_PRONOUNS[first]))
        if first in THING_PRONOUNS:
            return _latest(self.things, start, lambda e: True)
        return None


def _latest(mentions: Sequence[tuple[int, Entity]], start: int,
            fits: Callable[[Entity], bool]) -> str | None:
    """The most-mentioned fitting name among those named shortly before ``start``.

    A sentence-initial "he" in news is nearly always the story's main person, so among
    the candidates named in the stretch before the sentence the one the article names
    most wins; the nearest breaks a tie.
    """
    index = bisect_left(mentions, start, key=lambda item: item[0])
    recent = [entity for _, entity in mentions[max(index - RECENT_MENTIONS, 0):index]
              if fits(entity)]
    if not recent:
        return None
    nearest = {entity.id: rank for rank, entity in enumerate(recent)}
    best = max(recent, key=lambda e: (len(e.mentions), nearest[e.id]))
    return best.name


POSSESSIVES = frozenset({"his", "her", "its", "their"})


def with_referent(text: str, referent: str) -> str:
    """The key point as shown: its opening pronoun replaced by the bracketed referent,
    "He also halved ..." -> "[NATO] also halved ...", "His parents ..." -> "[Lane's]
    parents ..."."""
    match = re.match(r"(?P<lead>[\s\"'“‘(—–-]*)(?P<word>[A-Za-z]+)\b", text)
    pronouns = set(PERSON_PRONOUNS) | THING_PRONOUNS | OTHER_PRONOUNS
    if match is None or match["word"].lower() not in pronouns:
        return f"[{referent}] {text}"
    name = f"[{referent}'s]" if match["word"].lower() in POSSESSIVES else f"[{referent}]"
    return match["lead"] + name + text[match.end():]
