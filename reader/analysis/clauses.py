"""Short phrases read off the dependency parse: noun phrases and "who did what" clauses.

Figures and timeline entries are shown as a value and a few words: what a number
counts, what happened on a date. Those words come from the parse, not from cutting the
sentence, so they stay short. A clause must stay true when shortened: it keeps its
negation wherever the parse hangs it ("pleaded not guilty", "found no evidence"), its
auxiliaries and modal verbs ("could face", "may resign"), the verb that carries a
"plans to" or "is expected to", and a negated main clause above a date's own clause
("predictions of ... by January never came true").

The model runs without a tagger (see ``nlp``), so verbs are found by their dependents.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp",
                         "parataxis"})
VERB_CHILD_DEPS = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "dobj", "agent",
                             "prt", "xcomp", "ccomp", "csubj"})
"""Dependents only a verb has ("not" is not one: "not guilty" is an adjective's)."""
NOUN_MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "case", "nmod", "advmod",
                                "nummod", "quantmod", "npadvmod", "prep", "pobj", "hyph"})
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
OBJECT_DEPS = ("dobj", "attr", "acomp", "oprd")
FUTURE_AUX = frozenset({"will", "'ll", "’ll", "shall", "wo", "may", "might"})
FUTURE_HEADS = frozenset({"going", "expected", "set", "due", "scheduled", "planned", "plans",
                          "plan", "likely", "hopes", "hope", "aims", "intends", "poised"})
"""Verbs and adjectives that put what they govern ahead ("is expected to resign")."""
PRONOUNS = frozenset({"it", "he", "she", "they", "we", "i", "you", "this", "that", "these",
                      "those", "there", "who", "which", "someone", "something", "one"})
NEGATIVE_DETERMINERS = frozenset({"no", "neither"})
NEGATORS = frozenset({"not", "n't", "never", "no", "neither", "nor", "cannot"})
SUBORDINATE_DEPS = frozenset({"relcl", "acl", "xcomp"})
"""Clauses whose truth hangs on a negated clause above ("did not plan to leave on
Friday", "the forecast that ... by January never came true"). A conjoined, adverbial or
reported clause stands on its own: "did not deny that she left on Friday" says she did."""
NUMBER_OR_DATE = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "DATE", "TIME"})


def is_verb_like(token: Token) -> bool:
    """Without a tagger, a verb is a token that heads a clause or has a subject or object."""
    return token.dep_ in CLAUSE_DEPS or any(c.dep_ in VERB_CHILD_DEPS for c in token.children)


def render(tokens: Iterable[Token]) -> str:
    """Tokens as text in sentence order, with a space wherever words were left out."""
    ordered = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    pieces = []
    for position, token in enumerate(ordered):
        adjacent = position + 1 < len(ordered) and ordered[position + 1].i == token.i + 1
        pieces.append(token.text + (token.whitespace_ if adjacent else " "))
    return " ".join("".join(pieces).split()).strip(" ,;:-–—\"'“”‘’([")


def clip_words(text: str, limit: int) -> str:
    words = text.split()
    return " ".join(words[:limit]) if len(words) > limit else text


def noun_phrase(noun: Token, skip: frozenset[int], max_words: int = 6) -> list[Token]:
    """A noun with the modifiers that say which one it is, without articles.

    "No" and "neither" stay: "no evidence" is not "evidence". An "of" phrase is kept
    only when it says something (not when its object is the skipped figure itself).
    """
    keep: list[Token] = []

    def walk(token: Token, depth: int) -> None:
        if token.i in skip:
            return
        if token.dep_ == "det" and token.lower_ not in NEGATIVE_DETERMINERS:
            return
        if token.dep_ in ("punct", "relcl", "appos", "acl", "cc", "conj"):
            return
        keep.append(token)
        for child in token.children:
            if child.dep_ == "det" and child.lower_ in NEGATIVE_DETERMINERS:
                walk(child, depth + 1)
            elif child.dep_ in NOUN_MODIFIER_DEPS and (child.dep_ != "prep" or depth == 0):
                if child.dep_ == "prep" and (child.lower_ != "of" or all(
                        g.i in skip for g in child.children if g.dep_ == "pobj")):
                    continue
                walk(child, depth + 1)

    walk(noun, 0)
    keep = sorted(keep, key=lambda t: t.i)
    while len(keep) > max_words:
        keep = [t for t in keep if t.i != max(keep, key=lambda t: abs(t.i - noun.i)).i]
    # an "of" left hanging at the end ("size of") says nothing
    while keep and keep[-1].dep_ in ("prep", "case") and keep[-1].i != noun.i:
        keep.pop()
    return keep


def governing_verb(token: Token) -> Token | None:
    """The nearest verb above a token (the one a date or figure belongs to)."""
    current = token
    for _ in range(12):
        if current.dep_ != "ROOT" and current.head.i != current.i:
            current = current.head
        if is_verb_like(current) and current.i != token.i:
            return current
        if current.dep_ == "ROOT":
            return current if is_verb_like(current) else None
    return None


def clause_subject(verb: Token, skip: frozenset[int]) -> list[Token]:
    """The clause's subject as a short phrase; a bare pronoun says nothing out of context."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS and child.i not in skip:
            if child.lower_ not in PRONOUNS:
                return noun_phrase(child, skip, 5)
            if verb.dep_ in ("relcl", "acl"):
                return noun_phrase(verb.head, skip, 5)
            return []
    if verb.dep_ in ("relcl", "acl"):
        return noun_phrase(verb.head, skip, 5)
    if verb.dep_ in ("xcomp", "advcl", "conj") and verb.head.i != verb.i:
        return clause_subject(verb.head, skip) if is_verb_like(verb.head) else []
    return []


def verb_group(verb: Token) -> list[Token]:
    """Auxiliaries, modals and negation before the verb, the verb, its particle.

    For a verb that completes another ("plans to resign", "is likely to miss") the
    governing verb and its adjective come along, or the plan would read as the deed.
    """
    own = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < verb.i] \
        + [verb] + [c for c in verb.children if c.dep_ in ("prt", "neg") and c.i > verb.i]
    head = verb.head
    if verb.dep_ == "xcomp" and head.i < verb.i:
        between = [c for c in head.children if c.dep_ in ("acomp", "advmod", "neg")
                   and head.i < c.i < verb.i]
        return verb_group(head) + between + own
    return own


def mentions_skipped(token: Token, skip: frozenset[int]) -> bool:
    return any(t.i in skip for t in token.subtree)


def carries_figure(token: Token) -> bool:
    return any(t.ent_type_ in NUMBER_OR_DATE for t in token.subtree)


def _complement(verb: Token, skip: frozenset[int]) -> list[Token]:
    """The verb's object or complement, with any negation hung on it ("not guilty")."""
    complement = next((c for c in verb.children if c.dep_ in OBJECT_DEPS and c.i not in skip),
                      None)
    if complement is None:
        return []
    negation = [c for c in complement.children if c.dep_ == "neg"]
    return negation + noun_phrase(complement, skip)


def negated_ancestor(verb: Token) -> Token | None:
    """A negated verb above a subordinate clause, whose "not" decides what is true.

    "The predictions that there would be a million cases by January never came true":
    the date's own clause is the prediction; the sentence says it did not happen.
    """
    current = verb
    for _ in range(6):
        if current.dep_ not in SUBORDINATE_DEPS or current.head.i == current.i:
            return None
        current = current.head
        while not is_verb_like(current) and current.head.i != current.i:
            current = current.head
        if any(c.dep_ == "neg" or c.lower_ in ("never", "not", "n't") for c in current.children):
            return current
        if current.dep_ == "ROOT":
            return None
    return None


def event(verb: Token, skip: frozenset[int], max_words: int = 12) -> str:
    """A short "who did what" for a clause: subject, verb, object or first phrase."""
    parts = clause_subject(verb, skip) + verb_group(verb)
    parts += _complement(verb, skip)
    prep = next((c for c in verb.children if c.dep_ in ("prep", "agent")
                 and not mentions_skipped(c, skip) and not carries_figure(c)
                 and any(g.dep_ == "pobj" for g in c.children)), None)
    if prep is not None and len(parts) < max_words - 2:
        pobj = next(g for g in prep.children if g.dep_ == "pobj")
        parts += [prep, *noun_phrase(pobj, skip, 4)]
    text = render(parts)
    words = text.split()
    if len(words) > max_words:
        # never clip away the negation: keep the words up to and including it
        last_negator = max((i for i, w in enumerate(words) if w.lower() in NEGATORS),
                           default=-1)
        text = " ".join(words[:max(max_words, last_negator + 2)])
    return text


def is_future(verb: Token) -> bool:
    """Whether a clause speaks of what will happen ("will be confirmed on Friday")."""
    current: Token | None = verb
    for _ in range(4):
        if current is None:
            break
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in FUTURE_AUX
               for c in current.children):
            return True
        if current.lower_ in FUTURE_HEADS and any(c.dep_ == "xcomp" for c in current.children):
            return True
        if any(c.lower_ in FUTURE_HEADS and c.dep_ in ("acomp", "advmod")
               for c in current.children) or current.lower_ == "going":
            return True
        current = current.head if current.dep_ in ("xcomp", "conj") and \
            current.head.i != current.i else None
    return False
